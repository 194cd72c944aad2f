package swiftlet

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readNPY1D reads a 1-D little-endian .npy of dtype '<i8' or '<f4' as float64s.
func readNPY1D(t *testing.T, name string) []float64 {
	b, err := os.ReadFile(filepath.Join(repo(), "golden", "splade-tiny", name))
	if err != nil {
		t.Fatal(err)
	}
	hlen := int(binary.LittleEndian.Uint16(b[8:10]))
	header := string(b[10 : 10+hlen])
	data := b[10+hlen:]
	var out []float64
	switch {
	case strings.Contains(header, "'<i8'"):
		for i := 0; i+8 <= len(data); i += 8 {
			out = append(out, float64(int64(binary.LittleEndian.Uint64(data[i:]))))
		}
	case strings.Contains(header, "'<f4'"):
		for i := 0; i+4 <= len(data); i += 4 {
			out = append(out, float64(math.Float32frombits(binary.LittleEndian.Uint32(data[i:]))))
		}
	default:
		t.Fatalf("unexpected npy header %s", header)
	}
	return out
}

// The SPLADE model against transformers + torch (golden/splade-tiny): identical
// non-zero index sets, values within 1e-4.
func TestSparseEmbedderMatchesGolden(t *testing.T) {
	offsets, indices, values := readNPY1D(t, "offsets.npy"), readNPY1D(t, "indices.npy"), readNPY1D(t, "values.npy")
	texts := corpus(t)
	e, err := OpenSparseEmbedder(model(t, "splade-tiny"), EmbedderOptions{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if e.Dimension() != 30522 {
		t.Fatalf("dimension %d", e.Dimension())
	}
	got, err := e.Embed(texts, 0)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for i, v := range got {
		lo, hi := int(offsets[i]), int(offsets[i+1])
		if len(v.Indices) != hi-lo {
			t.Fatalf("text #%d: %d non-zeros, golden %d", i, len(v.Indices), hi-lo)
		}
		for k := range v.Indices {
			if float64(v.Indices[k]) != indices[lo+k] {
				t.Fatalf("text #%d: index sets differ at %d", i, k)
			}
			worst = math.Max(worst, math.Abs(float64(v.Values[k])-values[lo+k]))
		}
	}
	if worst > maxAbsDiff {
		t.Fatalf("max |diff| %g > %g", worst, maxAbsDiff)
	}
	top, err := e.Embed(texts[:1], 2)
	if err != nil || len(top[0].Indices) != min(2, int(offsets[1]-offsets[0])) {
		t.Fatalf("top-k: %v %v", top, err)
	}
	if _, err := e.Embed([]string{"\xff"}, 0); err == nil || err.(*Error).Name != "SWIFTLET_ERR_INVALID_UTF8" {
		t.Fatalf("invalid UTF-8: %v", err)
	}
	t.Logf("go sparse embed: %d texts, index sets identical, max |diff| %.3g", len(texts), worst)
}
