// Package sidecar drives `swiftlet serve` from a pure-Go program (CGO_ENABLED=0): a
// Client speaking sidecar protocol v1 over the server's Unix socket, and a Supervisor
// that spawns the server, gates on its health, restarts it when it dies and reaps it
// when the caller's context ends. See docs/SERVING.md for the protocol.
package sidecar

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
)

// ProtocolVersion is the sidecar protocol this package speaks. A server answering with
// another version is refused (*ProtocolVersionError) rather than guessed at: a changed
// wire format would otherwise decode into plausible-looking but wrong vectors.
const ProtocolVersion = 1

const (
	headerProtocolVersion = "X-Protocol-Version"
	headerTenant          = "X-Tenant"
	headerRequestID       = "X-Request-Id"
	headerDeadline        = "X-Deadline"
	headerEmbeddingCount  = "X-Embedding-Count"
	headerEmbeddingDim    = "X-Embedding-Dim"
	headerRetryAfter      = "Retry-After"
)

// Embedding modes: which of the model's configured prefixes the server prepends (the
// CLI's `--prefix`). ModeNone sends texts as they are.
const (
	ModeNone    = "none"
	ModeQuery   = "query"
	ModePassage = "passage"
)

// Health is the body of GET /healthz.
type Health struct {
	Status   string  `json:"status"`
	Protocol int     `json:"protocol"`
	Version  string  `json:"version"`
	Models   []Model `json:"models"`
}

// Model is one served model. Dim is 0 for the OCR set, which has no embedding dimension.
// Digest is the sha256 `swiftlet inspect` prints, so a daemon can pin the exact weights.
type Model struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Dim    int    `json:"dim"`
	Digest string `json:"digest"`
}

// OCRResult is the body of POST /v1/extract: the `swiftlet ocr` object plus the decoded
// image size. Image is nil because the server got the image from memory, not a path.
type OCRResult struct {
	Width  int       `json:"width"`
	Height int       `json:"height"`
	Image  *string   `json:"image"`
	Lines  []OCRLine `json:"lines"`
}

// OCRLine is one recognised line: its quadrilateral in image pixels (clockwise from the
// top-left corner), its text and the recogniser's confidence.
type OCRLine struct {
	Box   [4][2]float32 `json:"box"`
	Text  string        `json:"text"`
	Score float32       `json:"score"`
}

type embedRequest struct {
	Model string   `json:"model,omitempty"`
	Texts []string `json:"texts"`
	Mode  string   `json:"mode,omitempty"`
}

// decodeVectors splits a body of count×dim little-endian float32 values into rows. The
// caller has already checked the length, so a mismatch here is a bug, not bad input.
func decodeVectors(body []byte, count, dim int) [][]float32 {
	flat := make([]float32, count*dim)
	for i := range flat {
		flat[i] = math.Float32frombits(binary.LittleEndian.Uint32(body[4*i:]))
	}
	rows := make([][]float32, count)
	for i := range rows {
		// Full slice expressions, so appending to one row cannot overwrite the next.
		rows[i] = flat[i*dim : (i+1)*dim : (i+1)*dim]
	}
	return rows
}

var (
	pngMagic  = []byte("\x89PNG\r\n\x1a\n")
	jpegMagic = []byte{0xFF, 0xD8, 0xFF}
)

// imageContentType names the media type from the file's magic bytes, because callers
// usually hold bytes from a store or an upload, not a file name to trust.
func imageContentType(b []byte) (string, error) {
	switch {
	case bytes.HasPrefix(b, pngMagic):
		return "image/png", nil
	case bytes.HasPrefix(b, jpegMagic):
		return "image/jpeg", nil
	}
	n := len(b)
	if n > 8 {
		n = 8
	}
	return "", fmt.Errorf("%w (first bytes % x)", ErrUnsupportedImage, b[:n])
}
