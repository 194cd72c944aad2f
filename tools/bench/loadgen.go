// Closed-loop HTTP load generator for tools/bench_serve.py (Go standard library only).
//
// Python clients cost more CPU per request than a Swiftlet batch slot, and on a 2-core
// machine every client cycle is taken from the server under test; a Go client keeps that
// share small and reports it (client_cpu_s) so the table can show it.
//
//	go run loadgen.go -url http://127.0.0.1:PORT/v1/embeddings -api openai -texts T.jsonl \
//	    -per 1 -c 64 -requests 1024 -max-seconds 60 [-uds /path/sock] [-model NAME]
//
// Each of -c clients sends one single-text warm-up request (opens its connection), then
// all start together and send -per texts per request, taken in order from -texts and
// wrapping around, until -requests are done or -max-seconds have passed since the start
// (requests already sent are still awaited). Prints "timed" when the warm-up is over,
// then one JSON line.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type result struct {
	Requests   int            `json:"requests"`
	Texts      int            `json:"texts"`
	Errors     int            `json:"errors"`
	Statuses   map[string]int `json:"statuses"`
	FirstError string         `json:"first_error,omitempty"`
	WallS      float64        `json:"wall_s"`
	TextsPerS  float64        `json:"texts_per_s"`
	P50Ms      float64        `json:"p50_ms"`
	P99Ms      float64        `json:"p99_ms"`
	MeanMs     float64        `json:"mean_ms"`
	ClientCPUS float64        `json:"client_cpu_s"`
}

func main() {
	url := flag.String("url", "", "endpoint URL (host part ignored with -uds)")
	uds := flag.String("uds", "", "Unix socket path")
	api := flag.String("api", "openai", "request body: openai ({input, model}) or embed ({texts})")
	model := flag.String("model", "", "model name for the openai body")
	textsPath := flag.String("texts", "", "JSONL file of {\"text\": …}")
	per := flag.Int("per", 1, "texts per request")
	clients := flag.Int("c", 1, "concurrent clients")
	total := flag.Int("requests", 100, "timed requests")
	maxSeconds := flag.Float64("max-seconds", 60, "stop sending after this long")
	flag.Parse()

	texts, err := readTexts(*textsPath)
	if err != nil || len(texts) == 0 {
		fail(fmt.Sprintf("cannot read texts from %q: %v", *textsPath, err))
	}
	tr := &http.Transport{MaxIdleConnsPerHost: *clients, DisableCompression: true}
	if *uds != "" {
		path := *uds
		tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", path)
		}
	}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Minute}
	body := func(start, n int) []byte {
		chunk := make([]string, n)
		for i := range chunk {
			chunk[i] = texts[(start+i)%len(texts)]
		}
		var v interface{}
		if *api == "embed" {
			v = map[string]interface{}{"texts": chunk}
		} else {
			v = map[string]interface{}{"input": chunk, "model": *model}
		}
		b, _ := json.Marshal(v)
		return b
	}
	// Bodies are built before the clock starts so the timed loop only does I/O.
	bodies := make([][]byte, *total)
	for i := range bodies {
		bodies[i] = body(i**per, *per)
	}

	var mu sync.Mutex
	res := result{Statuses: map[string]int{}}
	record := func(status int, err error, want int, resp []byte, h http.Header) bool {
		mu.Lock()
		defer mu.Unlock()
		msg := ""
		switch {
		case err != nil:
			res.Statuses["transport"]++
			msg = err.Error()
		default:
			res.Statuses[strconv.Itoa(status)]++
			if status != 200 {
				msg = fmt.Sprintf("HTTP %d: %.200s", status, resp)
			} else if got := count(*api, resp, h); got != want {
				msg = fmt.Sprintf("asked for %d vectors, got %d", want, got)
			}
		}
		if msg != "" {
			res.Errors++
			if res.FirstError == "" {
				res.FirstError = msg
			}
		}
		return msg == ""
	}
	send := func(b []byte) (int, []byte, http.Header, error) {
		resp, err := client.Post(*url, "application/json", bytes.NewReader(b))
		if err != nil {
			return 0, nil, nil, err
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		return resp.StatusCode, data, resp.Header, err
	}

	var warm sync.WaitGroup
	for i := 0; i < *clients; i++ {
		warm.Add(1)
		go func(i int) {
			defer warm.Done()
			st, data, h, err := send(body(i, 1))
			record(st, err, 1, data, h)
		}(i)
	}
	warm.Wait()
	fmt.Println("timed")
	res = result{Statuses: map[string]int{}, Errors: res.Errors, FirstError: res.FirstError}

	var next int64 = -1
	lat := make([]float64, 0, *total)
	var ru0 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	t0 := time.Now()
	deadline := t0.Add(time.Duration(*maxSeconds * float64(time.Second)))
	var wg sync.WaitGroup
	for c := 0; c < *clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := atomic.AddInt64(&next, 1)
				if int(i) >= *total || time.Now().After(deadline) {
					return
				}
				s := time.Now()
				st, data, h, err := send(bodies[i])
				ms := float64(time.Since(s).Microseconds()) / 1000
				ok := record(st, err, *per, data, h)
				mu.Lock()
				res.Requests++
				if ok {
					res.Texts += *per
					lat = append(lat, ms)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	wall := time.Since(t0).Seconds()
	var ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)

	res.WallS = wall
	res.TextsPerS = float64(res.Texts) / wall
	res.ClientCPUS = cpu(ru1) - cpu(ru0)
	if len(lat) > 0 {
		sort.Float64s(lat)
		sum := 0.0
		for _, v := range lat {
			sum += v
		}
		res.MeanMs = sum / float64(len(lat))
		res.P50Ms = quantile(lat, 0.50)
		res.P99Ms = quantile(lat, 0.99)
	}
	out, _ := json.Marshal(res)
	fmt.Println(string(out))
}

// count is the number of vectors a response carries, checked cheaply: a full JSON decode
// of 32 x 384 floats would cost the client more than the server spends producing it.
func count(api string, resp []byte, h http.Header) int {
	if api == "embed" {
		n, _ := strconv.Atoi(h.Get("X-Embedding-Count"))
		dim, _ := strconv.Atoi(h.Get("X-Embedding-Dim"))
		if n*dim*4 != len(resp) {
			return -1
		}
		return n
	}
	return bytes.Count(resp, []byte(`"index"`))
}

// quantile by nearest rank: p99 of 100 samples is the 99th, not an interpolation.
func quantile(sorted []float64, q float64) float64 {
	k := int(q*float64(len(sorted))+0.999999) - 1
	if k < 0 {
		k = 0
	}
	if k >= len(sorted) {
		k = len(sorted) - 1
	}
	return sorted[k]
}

func cpu(r syscall.Rusage) float64 {
	return float64(r.Utime.Sec+r.Stime.Sec) + float64(r.Utime.Usec+r.Stime.Usec)/1e6
}

func readTexts(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var row struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			return nil, err
		}
		out = append(out, row.Text)
	}
	return out, sc.Err()
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "loadgen:", msg)
	os.Exit(2)
}
