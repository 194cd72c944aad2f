//go:build unix

package sidecar

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The whole life of a supervised server, against the real binary: lazy spawn → health →
// embed (= the CLI's vectors) → kill -9 → transparent restart → embed → cancel → process
// and socket gone.
func TestSupervisorAgainstRealServer(t *testing.T) {
	bin := swiftletBinary(t)
	model := modelFile(t, "all-MiniLM-L6-v2.swl")
	ocr := "det=" + modelFile(t, "ppocrv5-det.swl") + ",rec=" + modelFile(t, "ppocrv5-rec.swl") + ",cls=" + modelFile(t, "ppocrv5-cls.swl")
	texts := []string{"The quick brown fox jumps over the lazy dog.", "Swiftlet serves embeddings over a Unix socket.", "héllo wörld ✓ 日本語"}
	want := cliEmbeddings(t, bin, model, texts)

	sock := filepath.Join(shortTempDir(t), "s.sock")
	logs := newLogWriter(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sup, err := NewSupervisor(ctx, Config{
		Binary: bin, Socket: sock, Stderr: logs, Logf: logs.Logf, MinBackoff: 100 * time.Millisecond,
		Args: []string{"--model", model, "--ocr", ocr, "--threads", "2", "--drain-timeout", "5"},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := sup.Client(WithTenant("go-test"))
	if sup.PID() != 0 || sup.Starts() != 0 {
		t.Fatal("the server was spawned before first use")
	}
	reqCtx, reqCancel := context.WithTimeout(ctx, 2*time.Minute)
	defer reqCancel()

	h, err := c.Health(reqCtx)
	if err != nil {
		t.Fatal(err)
	}
	if h.Status != "ok" || h.Protocol != 1 || h.Version == "" {
		t.Fatalf("health %+v", h)
	}
	var found bool
	for _, m := range h.Models {
		if m.Name == "all-MiniLM-L6-v2" && m.Kind == "embedder" && m.Dim == 384 && len(m.Digest) == 64 {
			found = true
		}
	}
	if !found {
		t.Fatalf("health lists no all-MiniLM-L6-v2 embedder of dim 384 with a sha256: %+v", h.Models)
	}
	checkVectors(t, c, reqCtx, texts, want)

	// The real server's errors arrive typed.
	_, err = sup.Client(WithModel("no-such-model")).Embed(reqCtx, texts, ModeNone)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 404 || ae.Code != "model_not_found" || ae.RequestID == "" {
		t.Fatalf("unknown model: got %v, want a 404 model_not_found *APIError", err)
	}
	checkExtract(t, c, reqCtx, bin, ocr)

	first := sup.PID()
	if err := syscall.Kill(first, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// No waiting here: the client rides out the restart on its own.
	checkVectors(t, c, reqCtx, texts, want)
	second := sup.PID()
	if second == 0 || second == first || sup.Starts() != 2 {
		t.Fatalf("after kill -9 of pid %d: pid %d, %d starts; want a second process", first, second, sup.Starts())
	}
	if err := syscall.Kill(first, 0); !errors.Is(err, syscall.ESRCH) {
		t.Fatalf("killed server pid %d: kill(0) = %v, want ESRCH (reaped)", first, err)
	}

	cancel()
	select {
	case <-sup.Done():
	case <-time.After(30 * time.Second):
		t.Fatal("supervisor still running 30 s after its context was cancelled")
	}
	if err := syscall.Kill(second, 0); !errors.Is(err, syscall.ESRCH) {
		t.Fatalf("server pid %d after cancel: kill(0) = %v, want ESRCH", second, err)
	}
	if _, err := os.Stat(sock); !os.IsNotExist(err) {
		t.Fatalf("socket %s after cancel: stat = %v, want not exist", sock, err)
	}
	if sup.Err() != nil {
		t.Fatalf("Err() = %v after a stop by context", sup.Err())
	}
	if _, err := c.Embed(context.Background(), texts, ModeNone); !errors.Is(err, ErrStopped) {
		t.Fatalf("Embed after stop: %v, want ErrStopped", err)
	}
}

func checkVectors(t *testing.T, c *Client, ctx context.Context, texts []string, want [][]float32) {
	t.Helper()
	got, err := c.Embed(ctx, texts, ModeNone)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(texts) {
		t.Fatalf("%d vectors for %d texts", len(got), len(texts))
	}
	for i, v := range got {
		if len(v) != 384 {
			t.Fatalf("vector %d has dim %d, want 384", i, len(v))
		}
		var norm, maxDiff float64
		for j, x := range v {
			norm += float64(x) * float64(x)
			maxDiff = math.Max(maxDiff, math.Abs(float64(x)-float64(want[i][j])))
		}
		if math.Abs(math.Sqrt(norm)-1) > 1e-4 {
			t.Fatalf("vector %d has norm %v, want 1", i, math.Sqrt(norm))
		}
		if maxDiff > 1e-6 {
			t.Fatalf("vector %d differs from `swiftlet embed` by %g (> 1e-6)", i, maxDiff)
		}
	}
}

// checkExtract: /v1/extract on a PNG and a JPEG sample equals `swiftlet ocr` on the same
// files, and an undecodable image is a typed 422.
func checkExtract(t *testing.T, c *Client, ctx context.Context, bin, ocr string) {
	t.Helper()
	parts := map[string]string{}
	for _, p := range strings.Split(ocr, ",") {
		kv := strings.SplitN(p, "=", 2)
		parts[kv[0]] = kv[1]
	}
	for _, name := range []string{"ch_doc_server.png", "en_rec.jpg"} {
		path := ocrSample(t, name)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "ocr", "--det", parts["det"], "--rec", parts["rec"], "--cls", parts["cls"], path).Output()
		if err != nil {
			t.Fatalf("swiftlet ocr %s: %v", name, err)
		}
		var want OCRResult
		if err := json.Unmarshal(out, &want); err != nil {
			t.Fatalf("swiftlet ocr printed %q: %v", out, err)
		}
		got, err := c.Extract(ctx, data)
		if err != nil {
			t.Fatalf("extract %s: %v", name, err)
		}
		if got.Width <= 0 || got.Height <= 0 || got.Image != nil || len(got.Lines) == 0 {
			t.Fatalf("extract %s: %dx%d, image %v, %d lines", name, got.Width, got.Height, got.Image, len(got.Lines))
		}
		gotLines, _ := json.Marshal(got.Lines)
		wantLines, _ := json.Marshal(want.Lines)
		if !bytes.Equal(gotLines, wantLines) {
			t.Fatalf("extract %s lines %s, `swiftlet ocr` %s", name, gotLines, wantLines)
		}
		t.Logf("extract %s (%dx%d): %d lines as `swiftlet ocr`, first %q", name, got.Width, got.Height, len(got.Lines), got.Lines[0].Text)
	}
	_, err := c.Extract(ctx, append(append([]byte{}, pngMagic...), "not really a png"...))
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 422 {
		t.Fatalf("truncated PNG: got %v, want a 422 *APIError", err)
	}
}

// A binary that speaks another protocol version stops the supervisor with a typed error
// instead of being restarted forever.
func TestSupervisorRefusesOtherProtocolVersion(t *testing.T) {
	logs := newLogWriter(t)
	sup, err := NewSupervisor(context.Background(), Config{
		Binary: os.Args[0], Env: append(os.Environ(), fakeServerEnv+"=protocol2"), Stderr: logs, Logf: logs.Logf,
	})
	if err != nil {
		t.Fatal(err)
	}
	sock := sup.Socket()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = sup.Ready(ctx)
	var pv *ProtocolVersionError
	if !errors.As(err, &pv) || pv.Got != "2" {
		t.Fatalf("Ready: %v, want *ProtocolVersionError", err)
	}
	<-sup.Done()
	if !errors.As(sup.Err(), &pv) || sup.Starts() != 1 {
		t.Fatalf("Err() = %v after %d starts, want the protocol error after one", sup.Err(), sup.Starts())
	}
	// The private socket directory the supervisor made is gone with it.
	if _, err := os.Stat(filepath.Dir(sock)); !os.IsNotExist(err) {
		t.Fatalf("socket directory %s: %v, want removed", filepath.Dir(sock), err)
	}
}

// A server that dies at once is restarted with doubling delays, and Ready's timeout says
// why it is not ready.
func TestSupervisorBacksOffCrashLoop(t *testing.T) {
	logs := newLogWriter(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sup, err := NewSupervisor(ctx, Config{
		Binary: os.Args[0], Env: append(os.Environ(), fakeServerEnv+"=crash"), Stderr: logs, Logf: logs.Logf,
		MinBackoff: 50 * time.Millisecond, MaxBackoff: 400 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	readyCtx, readyCancel := context.WithTimeout(ctx, 1500*time.Millisecond)
	defer readyCancel()
	err = sup.Ready(readyCtx)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "exit status 3") {
		t.Fatalf("Ready: %v, want a deadline error naming the exit status", err)
	}
	// Delays 50, 100, 200, 400, 400 ms…: about 6 starts in 1.5 s, not hundreds.
	if n := sup.Starts(); n < 3 || n > 8 {
		t.Fatalf("%d starts in 1.5 s with backoff 50ms..400ms", n)
	}
	cancel()
	<-sup.Done()
}

// A supervisor that was never used spawns nothing and still cleans up on cancel.
func TestSupervisorNeverUsed(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	sup, err := NewSupervisor(ctx, Config{Binary: os.Args[0], Env: append(os.Environ(), fakeServerEnv+"=crash")})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(sup.Socket())
	if _, err := os.Stat(dir); err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case <-sup.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("Done not closed after cancel")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) || sup.Starts() != 0 {
		t.Fatalf("socket directory: %v, %d starts; want removed and none", err, sup.Starts())
	}
	if err := sup.Ready(context.Background()); !errors.Is(err, ErrStopped) {
		t.Fatalf("Ready after stop: %v, want ErrStopped", err)
	}
}
