package swiftlet

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// The cross-encoder (RANDOMLY INITIALISED weights) against transformers + torch
// (golden/cross-encoder-random-minilm): scores within 1e-4, rankings identical.
func TestRandomWeightRerankerMatchesGolden(t *testing.T) {
	f, err := os.Open(filepath.Join(repo(), "golden", "cross-encoder-random-minilm", "cases.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := OpenReranker(model(t, "cross-encoder-random-minilm"), EmbedderOptions{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	worst, cases := 0.0, 0
	for sc.Scan() {
		var c struct {
			Query     string
			Documents []string
			Scores    []float64
			Ranking   []int
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		ranked, err := r.Rerank(c.Query, c.Documents, false)
		if err != nil {
			t.Fatal(err)
		}
		for k, x := range ranked {
			if x.Index != c.Ranking[k] {
				t.Fatalf("case %d: ranking differs at %d: %d vs %d", cases, k, x.Index, c.Ranking[k])
			}
			worst = math.Max(worst, math.Abs(float64(x.Score)-c.Scores[x.Index]))
		}
		cases++
	}
	if worst > maxAbsDiff {
		t.Fatalf("max |diff| %g > %g", worst, maxAbsDiff)
	}
	t.Logf("go rerank: %d cases, rankings identical, max |diff| %.3g", cases, worst)
}
