package swiftlet

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// CLIPParityTests' contract (Tests/SwiftletParityTests/CLIPParityTests.swift), per vector.
const (
	clipMinCosine = 0.99999
	clipMaxDiff   = 1e-4
)

// readNPY2D reads a 2-D little-endian '<f4' .npy of golden/clip-tiny-random as rows,
// L2-normalised as the model's pipeline normalises (the golden holds raw features).
func readNormalizedRows(t *testing.T, name string) [][]float64 {
	b, err := os.ReadFile(filepath.Join(repo(), "golden", "clip-tiny-random", name))
	if err != nil {
		t.Fatal(err)
	}
	hlen := int(binary.LittleEndian.Uint16(b[8:10]))
	header := string(b[10 : 10+hlen])
	m := regexp.MustCompile(`'shape': \((\d+), (\d+)\)`).FindStringSubmatch(header)
	if !strings.Contains(header, "'<f4'") || strings.Contains(header, "'fortran_order': True") || m == nil {
		t.Fatalf("unexpected npy header %s", header)
	}
	n, _ := strconv.Atoi(m[1])
	d, _ := strconv.Atoi(m[2])
	data := b[10+hlen:]
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = make([]float64, d)
		ss := 0.0
		for j := range rows[i] {
			v := float64(math.Float32frombits(binary.LittleEndian.Uint32(data[4*(i*d+j):])))
			rows[i][j] = v
			ss += v * v
		}
		norm := math.Max(math.Sqrt(ss), 1e-12)
		for j := range rows[i] {
			rows[i][j] /= norm
		}
	}
	return rows
}

func checkClose(t *testing.T, what string, got []float32, want []float64) {
	if len(got) != len(want) {
		t.Fatalf("%s: dimension %d, golden %d", what, len(got), len(want))
	}
	dot, ng, nw, diff := 0.0, 0.0, 0.0, 0.0
	for i := range got {
		g := float64(got[i])
		dot += g * want[i]
		ng += g * g
		nw += want[i] * want[i]
		diff = math.Max(diff, math.Abs(g-want[i]))
	}
	if cos := dot / math.Sqrt(ng*nw); cos < clipMinCosine || diff > clipMaxDiff {
		t.Errorf("%s: cosine %v, max |diff| %v", what, cos, diff)
	}
}

// clip-tiny-random (RANDOM weights, fixed seed: tools/build_clip.py) against torch
// CLIPModel (golden/clip-tiny-random): the first corpus texts and every golden image,
// by path and by encoded bytes.
func TestImageEmbedderMatchesGolden(t *testing.T) {
	e, err := OpenImageEmbedder(model(t, "clip-tiny-random"), EmbedderOptions{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	texts := corpus(t)[:32]
	wantText := readNormalizedRows(t, "text_features.npy")
	got, err := e.EmbedTexts(texts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		checkClose(t, "text #"+strconv.Itoa(i), got[i], wantText[i])
	}
	b, err := os.ReadFile(filepath.Join(repo(), "golden", "clip-tiny-random", "images.json"))
	if err != nil {
		t.Fatal(err)
	}
	var images []struct{ Source, Path string }
	if err := json.Unmarshal(b, &images); err != nil {
		t.Fatal(err)
	}
	wantImage := readNormalizedRows(t, "image_features.npy")
	if len(images) != len(wantImage) {
		t.Fatalf("%d images, %d golden rows", len(images), len(wantImage))
	}
	for i, im := range images {
		p := filepath.Join(repo(), im.Path)
		if im.Source == "ocr-samples" {
			p = ocrSample(t, im.Path)
		}
		v, err := e.EmbedFile(p)
		if err != nil {
			t.Fatal(err)
		}
		checkClose(t, im.Path, v, wantImage[i])
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		w, err := e.EmbedEncoded(data)
		if err != nil {
			t.Fatal(err)
		}
		for k := range v {
			if math.Float32bits(v[k]) != math.Float32bits(w[k]) {
				t.Fatalf("%s: encoded bytes differ from the file at %d", im.Path, k)
			}
		}
	}
}

func TestImageEmbedderPixelsAndErrors(t *testing.T) {
	e, err := OpenImageEmbedder(model(t, "clip-tiny-random"), EmbedderOptions{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	// The same gray pixels packed and with a padded stride give the same bits.
	gray := make([]byte, 40*30)
	for i := range gray {
		gray[i] = byte(i * 7)
	}
	padded := make([]byte, 48*30)
	for y := 0; y < 30; y++ {
		copy(padded[y*48:], gray[y*40:(y+1)*40])
	}
	a, err := e.EmbedPixels(gray, 40, 30, 0, PixelGray)
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.EmbedPixels(padded, 40, 30, 48, PixelGray)
	if err != nil {
		t.Fatal(err)
	}
	for k := range a {
		if math.Float32bits(a[k]) != math.Float32bits(b[k]) {
			t.Fatalf("strided pixels differ at %d", k)
		}
	}
	if _, err := e.EmbedPixels(gray[:100], 40, 30, 0, PixelRGB); err == nil || !strings.Contains(err.Error(), "byte_count is 100") {
		t.Fatalf("short buffer: %v", err)
	}
	if _, err := e.EmbedEncoded(nil); err == nil || !strings.Contains(err.Error(), "byte_count is 0") {
		t.Fatalf("no bytes: %v", err)
	}
	if _, err := OpenImageEmbedder(model(t, "all-MiniLM-L6-v2"), EmbedderOptions{}); err == nil ||
		err.(*Error).Name != "SWIFTLET_ERR_INVALID_MODEL" || !strings.Contains(err.Error(), "not 'clip'") {
		t.Fatalf("sentence embedder as CLIP: %v", err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.EmbedTexts([]string{"x"}); err == nil || err.(*Error).Name != "SWIFTLET_ERR_INVALID_HANDLE" {
		t.Fatalf("use after close: %v", err)
	}
}
