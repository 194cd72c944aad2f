package sidecar

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// f32bytes is what the server sends for these vectors.
func f32bytes(vs ...float32) []byte {
	b := make([]byte, 4*len(vs))
	for i, v := range vs {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return b
}

// embedAnswer answers /v1/embed with the given headers and body.
func embedAnswer(version, count, dim string, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if version != "" {
			w.Header().Set("X-Protocol-Version", version)
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("X-Embedding-Count", count)
		w.Header().Set("X-Embedding-Dim", dim)
		w.Write(body)
	}
}

func TestEmbedRefusesOtherProtocolVersion(t *testing.T) {
	for _, version := range []string{"2", "0", ""} {
		c := fakeServer(t, embedAnswer(version, "1", "2", f32bytes(1, 0)))
		vecs, err := c.Embed(context.Background(), []string{"a"}, ModeNone)
		var pv *ProtocolVersionError
		if !errors.As(err, &pv) || pv.Got != version || vecs != nil {
			t.Fatalf("X-Protocol-Version %q: got %v, %v; want *ProtocolVersionError", version, vecs, err)
		}
		t.Logf("version %q: %v", version, err)
	}
}

func TestHealthRefusesOtherProtocolVersion(t *testing.T) {
	c := fakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Protocol-Version", "1")
		w.Write([]byte(`{"status":"ok","protocol":2,"version":"9","models":[]}`))
	})
	_, err := c.Health(context.Background())
	var pv *ProtocolVersionError
	if !errors.As(err, &pv) || pv.Got != "2" {
		t.Fatalf("got %v, want *ProtocolVersionError for protocol 2 in the body", err)
	}
}

func TestEmbedValidatesHeadersAgainstBody(t *testing.T) {
	two := f32bytes(1, 2, 3, 4, 5, 6) // 2 vectors × 3
	cases := []struct {
		name, count, dim string
		body             []byte
	}{
		{"count is not the number of texts", "3", "2", f32bytes(1, 2, 3, 4, 5, 6)},
		{"count below the number of texts", "1", "6", two},
		{"dim does not match the body", "2", "4", two},
		{"body longer than count × dim", "2", "2", two},
		{"body shorter than count × dim", "2", "3", two[:20]},
		{"dim zero", "2", "0", nil},
		{"dim missing", "2", "", two},
		{"count not a number", "two", "3", two},
		{"count negative", "-2", "3", two},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := fakeServer(t, embedAnswer("1", tc.count, tc.dim, tc.body))
			vecs, err := c.Embed(context.Background(), []string{"a", "b"}, ModeNone)
			var re *ResponseError
			if !errors.As(err, &re) || vecs != nil {
				t.Fatalf("got %v, %v; want *ResponseError", vecs, err)
			}
			t.Log(err)
		})
	}
}

func TestEmbedRequestAndDecoding(t *testing.T) {
	var ids []string
	var deadlines []string
	c := fakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/embed" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("request %s %s (%s)", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		}
		if got := r.Header.Get("X-Tenant"); got != "indexer" {
			t.Errorf("X-Tenant %q", got)
		}
		ids = append(ids, r.Header.Get("X-Request-Id"))
		deadlines = append(deadlines, r.Header.Get("X-Deadline"))
		var req map[string]interface{}
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &req); err != nil {
			t.Errorf("body %s: %v", body, err)
		}
		if req["model"] != "search" || req["mode"] != "query" || len(req["texts"].([]interface{})) != 2 {
			t.Errorf("body %s", body)
		}
		embedAnswer("1", "2", "3", f32bytes(1.5, -2, float32(math.Pi), 0, math.MaxFloat32, -1e-30))(w, r)
	}, WithTenant("indexer"), WithModel("search"))

	deadline := time.Now().Add(time.Minute)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	vecs, err := c.Embed(ctx, []string{"a", "b"}, ModeQuery)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float32{{1.5, -2, float32(math.Pi)}, {0, math.MaxFloat32, -1e-30}}
	for i := range want {
		for j := range want[i] {
			if vecs[i][j] != want[i][j] {
				t.Fatalf("vecs = %v, want %v", vecs, want)
			}
		}
	}
	// Rows must not share spare capacity: appending to one must leave the next intact.
	_ = append(vecs[0], 42)
	if vecs[1][0] != 0 {
		t.Fatal("appending to row 0 overwrote row 1")
	}
	if _, err := c.Embed(context.Background(), []string{"a", "b"}, ModeQuery); err != nil {
		t.Fatal(err)
	}

	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	if len(ids) != 2 || !hex32.MatchString(ids[0]) || !hex32.MatchString(ids[1]) || ids[0] == ids[1] {
		t.Fatalf("X-Request-Id %q: want two distinct random ids", ids)
	}
	if ms, err := strconv.ParseInt(deadlines[0], 10, 64); err != nil || ms != deadline.UnixMilli() {
		t.Fatalf("X-Deadline %q, want %d (the context's deadline in unix ms)", deadlines[0], deadline.UnixMilli())
	}
	if deadlines[1] != "" {
		t.Fatalf("X-Deadline %q sent for a context without deadline", deadlines[1])
	}
}

func TestErrorBodiesBecomeAPIError(t *testing.T) {
	c := fakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Protocol-Version", "1")
		w.Header().Set("X-Request-Id", "r-1")
		w.Header().Set("Retry-After", "1")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte(`{"error":{"code":"overloaded","message":"tenant 'default' has 32 requests in flight"}}`))
	})
	_, err := c.Embed(context.Background(), []string{"a"}, ModeNone)
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v, want *APIError", err)
	}
	if ae.Status != 429 || ae.Code != "overloaded" || ae.RetryAfter != time.Second || ae.RequestID != "r-1" || !ae.Temporary() {
		t.Fatalf("got %+v", ae)
	}
	t.Log(err)

	c = fakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Protocol-Version", "1")
		http.Error(w, "plain text", http.StatusBadGateway)
	})
	_, err = c.Extract(context.Background(), pngMagic)
	if !errors.As(err, &ae) || ae.Status != 502 || ae.Code != "" || ae.Message != "plain text" || ae.Temporary() {
		t.Fatalf("got %#v", err)
	}
}

func TestExtractSniffsImageType(t *testing.T) {
	var calls int32
	var gotType string
	c := fakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		atomic.AddInt32(&calls, 1)
		gotType = r.Header.Get("Content-Type")
		w.Header().Set("X-Protocol-Version", "1")
		w.Write([]byte(`{"width":3,"height":2,"image":null,"lines":[{"box":[[0,0],[3,0],[3,2],[0,2]],"text":"hi","score":0.5}]}`))
	})
	for _, tc := range []struct {
		image []byte
		want  string
	}{
		{append(append([]byte{}, pngMagic...), 0, 0, 0, 13), "image/png"},
		{[]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 16}, "image/jpeg"},
	} {
		r, err := c.Extract(context.Background(), tc.image)
		if err != nil {
			t.Fatal(err)
		}
		if gotType != tc.want || r.Width != 3 || r.Height != 2 || len(r.Lines) != 1 || r.Lines[0].Text != "hi" || r.Lines[0].Box[2] != [2]float32{3, 2} {
			t.Fatalf("Content-Type %q (want %s), result %+v", gotType, tc.want, r)
		}
	}
	if _, err := c.Extract(context.Background(), []byte("GIF89a...")); !errors.Is(err, ErrUnsupportedImage) {
		t.Fatalf("GIF: got %v, want ErrUnsupportedImage", err)
	}
	if n := atomic.LoadInt32(&calls); n != 2 {
		t.Fatalf("%d requests; the GIF must not have been sent", n)
	}
}

// dropCall answers embed requests but closes the connection without an answer on call n,
// as a server killed mid-request does.
func dropCall(n int32, calls *int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if atomic.AddInt32(calls, 1) == n {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		embedAnswer("1", "1", "2", f32bytes(0.6, 0.8))(w, r)
	}
}

// A request whose connection is lost (the server was killed) is sent again by the
// supervisor's clients; a plain client reports it.
func TestLostConnectionRetriedUnderSupervisor(t *testing.T) {
	var calls int32
	plain := fakeServer(t, dropCall(1, &calls))
	if _, err := plain.Embed(context.Background(), []string{"a"}, ModeNone); !isConnectionLost(err) {
		t.Fatalf("plain client: %v, want the lost connection", err)
	}

	atomic.StoreInt32(&calls, 0)
	supervised := fakeServer(t, dropCall(1, &calls))
	var prepared int32
	supervised.retries = 2
	supervised.prepare = func(context.Context) error { atomic.AddInt32(&prepared, 1); return nil }
	vecs, err := supervised.Embed(context.Background(), []string{"a"}, ModeNone)
	if err != nil || len(vecs) != 1 || vecs[0][1] != 0.8 {
		t.Fatalf("supervised client: %v, %v", vecs, err)
	}
	if n, p := atomic.LoadInt32(&calls), atomic.LoadInt32(&prepared); n != 2 || p != 2 {
		t.Fatalf("%d requests, %d waits for readiness; want 2 of each", n, p)
	}
}

// The X-Idempotency-Key header lets net/http itself resend a POST whose pooled keep-alive
// connection died, before the client's own retry is needed.
func TestPooledConnectionLossReplayedByTransport(t *testing.T) {
	var calls int32
	c := fakeServer(t, dropCall(2, &calls))
	for i := 0; i < 2; i++ {
		if _, err := c.Embed(context.Background(), []string{"a"}, ModeNone); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	if n := atomic.LoadInt32(&calls); n != 3 {
		t.Fatalf("%d calls, want 3 (the dropped one replayed)", n)
	}
}
