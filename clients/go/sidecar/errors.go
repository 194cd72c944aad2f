package sidecar

import (
	"errors"
	"fmt"
	"time"
)

// ErrUnsupportedImage: Extract was given bytes that are neither PNG nor JPEG, the only
// formats the server decodes; refused before any request is sent.
var ErrUnsupportedImage = errors.New("sidecar: image is neither PNG nor JPEG")

// ErrStopped: the supervisor's context ended, so no server will become ready again.
var ErrStopped = errors.New("sidecar: supervisor stopped")

// APIError is an error answer from the server: its HTTP status and the
// {"error":{"code","message"}} body. Code is stable ("invalid_request", "too_large",
// "overloaded", "deadline", …) and is what callers should branch on.
type APIError struct {
	Status  int
	Code    string
	Message string
	// RetryAfter is the server's Retry-After (429 overloaded, 503 draining); 0 if absent.
	RetryAfter time.Duration
	// RequestID is the X-Request-Id the server echoed, to find the request in its logs.
	RequestID string
}

func (e *APIError) Error() string {
	msg := fmt.Sprintf("swiftlet: %d %s: %s", e.Status, e.Code, e.Message)
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %v)", e.RetryAfter)
	}
	if e.RequestID != "" {
		msg += " [request " + e.RequestID + "]"
	}
	return msg
}

// Temporary reports whether the same request may succeed later: the server was full
// (429) or shutting down (503, usually followed by a supervisor restart).
func (e *APIError) Temporary() bool { return e.Status == 429 || e.Status == 503 }

// ProtocolVersionError: the server speaks a protocol version other than
// ProtocolVersion. Nothing in its answer was used.
type ProtocolVersionError struct {
	Got string // the server's X-Protocol-Version ("" when it sent none)
}

func (e *ProtocolVersionError) Error() string {
	if e.Got == "" {
		return fmt.Sprintf("sidecar: server sent no %s header; this client speaks protocol %d", headerProtocolVersion, ProtocolVersion)
	}
	return fmt.Sprintf("sidecar: server speaks protocol %s, this client speaks %d", e.Got, ProtocolVersion)
}

// ResponseError: a 200 answer that contradicts itself or the request (an embedding count
// or dimension header that does not match the body or the number of texts, a body that
// does not parse). Returned instead of vectors that might be misaligned with the texts.
type ResponseError struct {
	Reason string
}

func (e *ResponseError) Error() string { return "sidecar: malformed response: " + e.Reason }
