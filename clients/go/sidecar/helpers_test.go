package sidecar

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// repoRoot is three levels above this package (clients/go/sidecar).
func repoRoot(t *testing.T) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the test source to find the repository root")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", "..", ".."))
}

// swiftletBinary is $SWIFTLET_BIN or the release build. Missing fails the test: the
// supervisor's behaviour against the real server is what these tests exist to check.
func swiftletBinary(t *testing.T) string {
	bin := os.Getenv("SWIFTLET_BIN")
	if bin == "" {
		bin = filepath.Join(repoRoot(t), ".build", "release", "swiftlet")
	}
	if st, err := os.Stat(bin); err != nil || st.IsDir() {
		t.Fatalf("swiftlet binary %s not found (set SWIFTLET_BIN, or run `swift build -c release --product swiftlet`)", bin)
	}
	return bin
}

// modelFile is a file in $SWIFTLET_MODELS (default <repo>/models); missing fails the test.
func modelFile(t *testing.T, name string) string {
	dir := os.Getenv("SWIFTLET_MODELS")
	if dir == "" {
		dir = filepath.Join(repoRoot(t), "models")
	}
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("model %s not found (set SWIFTLET_MODELS, or run tools/setup.sh): %v", path, err)
	}
	return path
}

// ocrSample is an image of $SWIFTLET_OCR_SAMPLES (default <repo>/../shared/ocr-samples,
// as tools/test-clients.sh); missing fails the test.
func ocrSample(t *testing.T, name string) string {
	dir := os.Getenv("SWIFTLET_OCR_SAMPLES")
	if dir == "" {
		dir = filepath.Join(repoRoot(t), "..", "shared", "ocr-samples")
	}
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("OCR sample %s not found (set SWIFTLET_OCR_SAMPLES to the OCR sample images): %v", path, err)
	}
	return path
}

// shortTempDir: t.TempDir() paths include the test name and can pass the 107-byte limit
// of Unix socket paths.
func shortTempDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "swl")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// fakeServer serves handler on a Unix socket, as swiftlet serve would, and returns a
// client for it.
func fakeServer(t *testing.T, handler http.HandlerFunc, opts ...Option) *Client {
	path := filepath.Join(shortTempDir(t), "s.sock")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(handler)
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return NewClient(path, opts...)
}

// cliEmbeddings runs `swiftlet embed --model M TEXT…`, the reference the server's vectors
// must equal.
func cliEmbeddings(t *testing.T, bin, model string, texts []string) [][]float32 {
	out, err := exec.Command(bin, append([]string{"embed", "--model", model}, texts...)...).Output()
	if err != nil {
		t.Fatalf("swiftlet embed: %v", err)
	}
	var vecs [][]float32
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var line struct {
			Embedding []float32 `json:"embedding"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("swiftlet embed printed %q: %v", sc.Text(), err)
		}
		vecs = append(vecs, line.Embedding)
	}
	if len(vecs) != len(texts) {
		t.Fatalf("swiftlet embed printed %d vectors for %d texts", len(vecs), len(texts))
	}
	return vecs
}

// logWriter forwards the server's stderr to the test log, line by line, and stops when
// the test ends (t.Log after that panics).
type logWriter struct {
	t    *testing.T
	mu   sync.Mutex
	done bool
}

func newLogWriter(t *testing.T) *logWriter {
	w := &logWriter{t: t}
	t.Cleanup(func() { w.mu.Lock(); w.done = true; w.mu.Unlock() })
	return w
}

func (w *logWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
			w.t.Log("server: " + line)
		}
	}
	return len(p), nil
}

func (w *logWriter) Logf(format string, args ...interface{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Logf(format, args...)
	}
}
