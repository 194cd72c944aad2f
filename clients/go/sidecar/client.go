package sidecar

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The host part of request URLs. The transport dials the socket whatever the host, but
// HTTP/1.1 requires one.
const baseURL = "http://swiftlet"

// Client speaks sidecar protocol v1 to one server socket. It is safe for concurrent use;
// requests share a pool of keep-alive connections.
type Client struct {
	socket string
	http   *http.Client
	tenant string
	model  string
	// prepare runs before every request; the supervisor uses it to spawn the server
	// lazily and to wait for it to be healthy.
	prepare func(context.Context) error
	// retries: how often a request that lost its connection (refused, reset, closed) is
	// sent again after prepare. Safe because every sidecar call is idempotent; useful
	// under a supervisor, which restarts a dead server before the retry goes out.
	retries int
}

// Option configures a Client.
type Option func(*Client)

// WithTenant sets X-Tenant on every request: the server's admission control (in-flight
// caps, 429s) is per tenant, so one flooding caller does not starve the others.
func WithTenant(tenant string) Option { return func(c *Client) { c.tenant = tenant } }

// WithModel names the model Embed asks for (a name or an alias the server was given);
// empty means the server's default model.
func WithModel(name string) Option { return func(c *Client) { c.model = name } }

// NewClient returns a client for the server listening on the Unix socket at path.
func NewClient(socketPath string, opts ...Option) *Client {
	return newClient(socketPath, newTransport(socketPath), opts)
}

func newClient(socketPath string, t *http.Transport, opts []Option) *Client {
	c := &Client{socket: socketPath, http: &http.Client{Transport: t}, tenant: "default"}
	for _, o := range opts {
		o(c)
	}
	return c
}

func newTransport(socketPath string) *http.Transport {
	var d net.Dialer
	return &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return d.DialContext(ctx, "unix", socketPath)
		},
		MaxIdleConns:        64,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     90 * time.Second,
	}
}

// SocketPath is the Unix socket this client talks to.
func (c *Client) SocketPath() string { return c.socket }

// Health asks GET /healthz. A server that is loading or draining answers 503; Health then
// returns its body together with an *APIError (Code = the reported status).
func (c *Client) Health(ctx context.Context) (*Health, error) {
	resp, err := c.do(ctx, http.MethodGet, "/healthz", "", nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := readBody(resp, 1<<20)
	if err != nil {
		return nil, err
	}
	var h Health
	if err := json.Unmarshal(body, &h); err != nil {
		if resp.StatusCode != http.StatusOK {
			return nil, apiError(resp, body)
		}
		return nil, &ResponseError{Reason: "healthz body: " + err.Error()}
	}
	if h.Protocol != ProtocolVersion {
		return nil, &ProtocolVersionError{Got: strconv.Itoa(h.Protocol)}
	}
	if resp.StatusCode != http.StatusOK {
		return &h, &APIError{Status: resp.StatusCode, Code: h.Status, Message: "server is not ready",
			RetryAfter: retryAfter(resp), RequestID: resp.Header.Get(headerRequestID)}
	}
	return &h, nil
}

// Embed returns one vector per text, in order, computed by the client's model (see
// WithModel) with the given mode (ModeQuery, ModePassage, ModeNone; "" = ModeNone).
// The vectors are exactly what `swiftlet embed` prints for the same texts.
func (c *Client) Embed(ctx context.Context, texts []string, mode string) ([][]float32, error) {
	payload, err := json.Marshal(embedRequest{Model: c.model, Texts: texts, Mode: mode})
	if err != nil {
		return nil, err
	}
	resp, err := c.do(ctx, http.MethodPost, "/v1/embed", "application/json", payload)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, err := readBody(resp, 1<<20)
		if err != nil {
			return nil, err
		}
		return nil, apiError(resp, body)
	}
	count, err := positiveHeader(resp, headerEmbeddingCount, true)
	if err != nil {
		return nil, err
	}
	dim, err := positiveHeader(resp, headerEmbeddingDim, false)
	if err != nil {
		return nil, err
	}
	if count != len(texts) {
		return nil, &ResponseError{Reason: fmt.Sprintf("%s is %d for %d texts", headerEmbeddingCount, count, len(texts))}
	}
	want := int64(count) * int64(dim) * 4
	// One byte more than expected, so a longer body is detected without reading it all.
	body, err := io.ReadAll(io.LimitReader(resp.Body, want+1))
	if err != nil {
		return nil, fmt.Errorf("sidecar: reading embeddings: %w", err)
	}
	if int64(len(body)) != want {
		return nil, &ResponseError{Reason: fmt.Sprintf("body has %s bytes, %s × %s × 4 = %d expected",
			lengthString(len(body), want), headerEmbeddingCount, headerEmbeddingDim, want)}
	}
	return decodeVectors(body, count, dim), nil
}

// Extract runs OCR on a PNG or JPEG image. Other formats fail with ErrUnsupportedImage
// without a request.
func (c *Client) Extract(ctx context.Context, image []byte) (*OCRResult, error) {
	contentType, err := imageContentType(image)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(ctx, http.MethodPost, "/v1/extract", contentType, image)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := readBody(resp, 64<<20)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, apiError(resp, body)
	}
	var r OCRResult
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, &ResponseError{Reason: "extract body: " + err.Error()}
	}
	return &r, nil
}

// do waits for the server (under a supervisor) and sends the request, again if the
// connection was lost to a server restart.
func (c *Client) do(ctx context.Context, method, path, contentType string, body []byte) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		if c.prepare != nil {
			if err := c.prepare(ctx); err != nil {
				return nil, err
			}
		}
		resp, err := c.send(ctx, method, path, contentType, body)
		if err == nil || attempt >= c.retries || !isConnectionLost(err) || ctx.Err() != nil {
			return resp, err
		}
		// The supervisor needs a moment to see the exit before Ready waits for the
		// restarted server instead of passing at once.
		t := time.NewTimer(100 * time.Millisecond * time.Duration(attempt+1))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, err
		}
	}
}

// send refuses an answer in another protocol version before anyone looks at its status
// or body.
func (c *Client) send(ctx context.Context, method, path, contentType string, body []byte) (*http.Response, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, baseURL+path, r)
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set(headerTenant, c.tenant)
	id := newRequestID()
	req.Header.Set(headerRequestID, id)
	// Every sidecar call is idempotent (same input, same output, no state); saying so
	// lets net/http resend a POST that hit a keep-alive connection the server closed, as
	// happens to the pooled connections of a server that was just restarted.
	req.Header.Set("X-Idempotency-Key", id)
	if d, ok := ctx.Deadline(); ok {
		// The server drops work whose deadline passed before its batch forms, so a caller
		// that has given up does not cost a batch slot.
		req.Header.Set(headerDeadline, strconv.FormatInt(d.UnixMilli(), 10))
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("sidecar: %s %s on %s: %w", method, path, c.socket, err)
	}
	if got := resp.Header.Get(headerProtocolVersion); got != strconv.Itoa(ProtocolVersion) {
		resp.Body.Close()
		return nil, &ProtocolVersionError{Got: got}
	}
	return resp, nil
}

// isConnectionLost: the request failed in transport (refused, socket missing, reset, EOF
// on a pooled connection, as when the server was just killed) rather than with an answer.
// Matched on the *url.Error net/http returns for any transport failure, because it does
// not always wrap the underlying errno (Go 1.19 formats some read errors with %v).
func isConnectionLost(err error) bool {
	var ue *url.Error
	return errors.As(err, &ue)
}

// newRequestID makes the X-Request-Id that ties a client-side failure to the server's log
// line; random so that ids from several processes never collide.
func newRequestID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	return hex.EncodeToString(b[:])
}

func readBody(resp *http.Response, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("sidecar: reading response: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, &ResponseError{Reason: fmt.Sprintf("body over %d bytes", limit)}
	}
	return b, nil
}

// apiError reads the {"error":{"code","message"}} body; anything else (which the server
// never sends, but a wrong socket might) becomes the message verbatim.
func apiError(resp *http.Response, body []byte) *APIError {
	e := &APIError{Status: resp.StatusCode, RetryAfter: retryAfter(resp), RequestID: resp.Header.Get(headerRequestID)}
	var shaped struct {
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &shaped) == nil && shaped.Error != nil {
		e.Code, e.Message = shaped.Error.Code, shaped.Error.Message
	} else {
		e.Message = strings.TrimSpace(string(body))
		if len(e.Message) > 200 {
			e.Message = e.Message[:200] + "…"
		}
	}
	return e
}

func retryAfter(resp *http.Response) time.Duration {
	s, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get(headerRetryAfter)))
	if err != nil || s < 0 {
		return 0
	}
	return time.Duration(s) * time.Second
}

// positiveHeader parses a count header; zero is allowed only where the protocol allows
// it (no count of zero comes back for a non-empty request, and dim is never zero).
func positiveHeader(resp *http.Response, name string, zeroOK bool) (int, error) {
	v := resp.Header.Get(name)
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || (n == 0 && !zeroOK) {
		return 0, &ResponseError{Reason: fmt.Sprintf("%s is %q", name, v)}
	}
	return n, nil
}

func lengthString(got int, want int64) string {
	if int64(got) > want {
		return "more than " + strconv.FormatInt(want, 10)
	}
	return strconv.Itoa(got)
}
