package swiftlet

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The project's parity contract (README): per text, cosine >= 0.99999 and
// max |diff| <= 1e-4 against sentence-transformers.
const (
	minCosine  = 0.99999
	maxAbsDiff = 1e-4
)

func repo() string {
	wd, _ := os.Getwd()
	return filepath.Join(wd, "..", "..", "..")
}

func model(t *testing.T, name string) string {
	dir := os.Getenv("SWIFTLET_MODELS")
	if dir == "" {
		dir = filepath.Join(repo(), "models")
	}
	p := filepath.Join(dir, name+".swl")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("model %s is missing: run `bash tools/setup.sh` (CI runs it through .ci/run)", p)
	}
	return p
}

func corpus(t *testing.T) []string {
	f, err := os.Open(filepath.Join(repo(), "golden", "corpus", "en.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var texts []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var row struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatal(err)
		}
		texts = append(texts, row.Text)
	}
	return texts
}

// goldenEmbeddings reads embeddings.npy (float32, C order, little-endian, 2-D).
func goldenEmbeddings(t *testing.T) ([]float32, int, int) {
	b, err := os.ReadFile(filepath.Join(repo(), "golden", "all-MiniLM-L6-v2", "embeddings.npy"))
	if err != nil {
		t.Fatal(err)
	}
	hlen := int(binary.LittleEndian.Uint16(b[8:10]))
	header := string(b[10 : 10+hlen])
	if !strings.Contains(header, "'<f4'") {
		t.Fatalf("unexpected npy header %s", header)
	}
	var rows, cols int
	shape := header[strings.Index(header, "(")+1 : strings.Index(header, ")")]
	parts := strings.Split(shape, ",")
	if _, err := fmtSscan(parts[0], &rows); err != nil {
		t.Fatal(err)
	}
	if _, err := fmtSscan(parts[1], &cols); err != nil {
		t.Fatal(err)
	}
	data := b[10+hlen:]
	out := make([]float32, rows*cols)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
	}
	return out, rows, cols
}

func compare(a, b []float32) (cos, diff float64) {
	var d, na, nb float64
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
		d += x * y
		na += x * x
		nb += y * y
		diff = math.Max(diff, math.Abs(x-y))
	}
	return d / math.Sqrt(na*nb), diff
}

// Eight goroutines embed different slices of the corpus through one handle at the
// same time; every vector must match the golden reference and equal, bit for bit,
// the vector the same slice gets when embedded alone.
func TestEmbedFromEightGoroutinesOnOneHandle(t *testing.T) {
	texts := corpus(t)
	golden, rows, dim := goldenEmbeddings(t)
	if rows != len(texts) {
		t.Fatalf("golden has %d rows for %d texts", rows, len(texts))
	}
	e, err := OpenEmbedder(model(t, "all-MiniLM-L6-v2"), EmbedderOptions{Threads: 1, BatchSize: 16})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if e.Dimension() != dim {
		t.Fatalf("dimension %d, golden %d", e.Dimension(), dim)
	}
	const workers = 8
	per := (len(texts) + workers - 1) / workers
	alone := make([][][]float32, workers)
	for w := 0; w < workers; w++ {
		lo, hi := w*per, min((w+1)*per, len(texts))
		if alone[w], err = e.Embed(texts[lo:hi], PrefixNone); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	results := make([][][]float32, workers)
	errs := make([]error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			lo, hi := w*per, min((w+1)*per, len(texts))
			results[w], errs[w] = e.Embed(texts[lo:hi], PrefixNone)
		}(w)
	}
	wg.Wait()
	worstCos, worstDiff := 1.0, 0.0
	for w := 0; w < workers; w++ {
		if errs[w] != nil {
			t.Fatalf("goroutine %d: %v", w, errs[w])
		}
		for k, v := range results[w] {
			i := w*per + k
			cos, diff := compare(v, golden[i*dim:(i+1)*dim])
			if cos < minCosine || diff > maxAbsDiff {
				t.Errorf("text %d: cosine %.9f, max |diff| %.3g", i, cos, diff)
			}
			worstCos, worstDiff = math.Min(worstCos, cos), math.Max(worstDiff, diff)
			for j := range v {
				if math.Float32bits(v[j]) != math.Float32bits(alone[w][k][j]) {
					t.Errorf("text %d: concurrent result differs from the same call alone at %d", i, j)
					break
				}
			}
		}
	}
	t.Logf("go embed: %d texts from %d goroutines, worst cosine %.13f, max |diff| %.3g", len(texts), workers, worstCos, worstDiff)
}

func TestErrorsAndClosedHandles(t *testing.T) {
	p := model(t, "all-MiniLM-L6-v2")
	if _, err := OpenEmbedder(filepath.Join(t.TempDir(), "missing.swl"), EmbedderOptions{}); err == nil || err.(*Error).Name != "SWIFTLET_ERR_IO" {
		t.Fatalf("missing file: %v", err)
	}
	if _, err := OpenEmbedder(p, EmbedderOptions{Threads: -1}); err == nil || !strings.Contains(err.Error(), "options.threads is -1") {
		t.Fatalf("threads -1: %v", err)
	}
	e, err := OpenEmbedder(p, EmbedderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Embed([]string{"ok", "bad \xff"}, PrefixNone); err == nil || err.(*Error).Name != "SWIFTLET_ERR_INVALID_UTF8" ||
		!strings.Contains(err.Error(), "texts[1] is not valid UTF-8 (byte 4 of 5 is 0xff)") {
		t.Fatalf("invalid UTF-8: %v", err)
	}
	if _, err := e.Embed([]string{"x"}, PrefixQuery); err == nil || !strings.Contains(err.Error(), "no query prefix") {
		t.Fatalf("query prefix: %v", err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Embed([]string{"x"}, PrefixNone); err == nil || err.(*Error).Name != "SWIFTLET_ERR_INVALID_HANDLE" {
		t.Fatalf("use after close: %v", err)
	}
	if err := e.Close(); err == nil || !strings.Contains(err.Error(), "already been closed") {
		t.Fatalf("double close: %v", err)
	}
}

func TestTokenizerAndSession(t *testing.T) {
	p := model(t, "all-MiniLM-L6-v2")
	tok, err := OpenTokenizer(p)
	if err != nil {
		t.Fatal(err)
	}
	defer tok.Close()
	f, err := os.Open(filepath.Join(repo(), "golden", "all-MiniLM-L6-v2", "tokens.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	texts := corpus(t)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for i := 0; sc.Scan(); i++ {
		var row struct{ Ids []int32 }
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatal(err)
		}
		ids, mask, err := tok.Encode(texts[i], true, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != len(row.Ids) || len(mask) != len(ids) {
			t.Fatalf("text %d: %d ids, golden %d", i, len(ids), len(row.Ids))
		}
		for k := range ids {
			if ids[k] != row.Ids[k] || mask[k] != 1 {
				t.Fatalf("text %d: ids differ at %d", i, k)
			}
		}
	}
	ids, _, err := tok.Encode("hello world", true, 0)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := tok.Decode(ids, false); err != nil || s != "hello world" {
		t.Fatalf("decode: %q %v", s, err)
	}

	s, err := OpenSession(model(t, "all-MiniLM-L6-v2-onnx14"), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(s.Inputs) != 3 || s.Inputs[0].Name != "input_ids" || s.Inputs[0].DType != Int64 || len(s.Outputs) != 1 || s.Outputs[0].Dims[2] != 384 {
		t.Fatalf("io: %+v %+v", s.Inputs, s.Outputs)
	}
	le := func(v []int64) []byte {
		b := make([]byte, 8*len(v))
		for i, x := range v {
			binary.LittleEndian.PutUint64(b[8*i:], uint64(x))
		}
		return b
	}
	idv := make([]int64, len(ids))
	ones := make([]int64, len(ids))
	for i := range ids {
		idv[i], ones[i] = int64(ids[i]), 1
	}
	shape := []int64{1, int64(len(ids))}
	out, err := s.Run([]Tensor{
		{Name: "input_ids", DType: Int64, Shape: shape, Data: le(idv)},
		{Name: "attention_mask", DType: Int64, Shape: shape, Data: le(ones)},
		{Name: "token_type_ids", DType: Int64, Shape: shape, Data: le(make([]int64, len(ids)))},
	}, []string{"last_hidden_state"})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].DType != Float32 || len(out[0].Data) != 4*len(ids)*384 {
		t.Fatalf("run: %d outputs", len(out))
	}
	if _, err := s.Run(nil, nil); err == nil || !strings.Contains(err.Error(), "missing input") {
		t.Fatalf("run without inputs: %v", err)
	}
}
