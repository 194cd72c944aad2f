package swiftlet

/*
#include <stdlib.h>
#include "swiftlet.h"
*/
import "C"

import (
	"sort"
	"unsafe"
)

// Ranked is a document's input position and score.
type Ranked struct {
	Index int
	Score float32
}

// Reranker scores documents against a query with a cross-encoder.
type Reranker struct{ h *C.swiftlet_reranker }

// OpenReranker opens a .swl of pipeline kind "reranker" (ABI 1.2).
func OpenReranker(path string, opts EmbedderOptions) (*Reranker, error) {
	if err := checkABIOnce(); err != nil {
		return nil, err
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	copts := C.swiftlet_embedder_options{threads: C.int32_t(opts.Threads), batch_size: C.int32_t(opts.BatchSize)}
	r := &Reranker{}
	if err := call(func() C.swiftlet_status { return C.swiftlet_reranker_open(cpath, &copts, &r.h) }); err != nil {
		return nil, err
	}
	return r, nil
}

// Score returns one score per document, in input order: the model's scores (the
// sigmoid of the logit when its config names one), or the logits when raw.
func (r *Reranker) Score(query string, documents []string, raw bool) ([]float32, error) {
	n := len(documents)
	if n == 0 {
		return []float32{}, nil
	}
	ptrs, lens, free := cTexts(append([]string{query}, documents...))
	defer free()
	// cTexts put the query first: documents start at pointer/length index 1.
	ps := unsafe.Slice(ptrs, n+1)
	ls := unsafe.Slice(lens, n+1)
	rawFlag := C.int32_t(0)
	if raw {
		rawFlag = 1
	}
	out := make([]float32, n)
	err := call(func() C.swiftlet_status {
		return C.swiftlet_reranker_score(r.h, ps[0], ls[0], (**C.char)(unsafe.Pointer(&ps[1])), &ls[1], C.size_t(n), rawFlag,
			(*C.float)(unsafe.Pointer(&out[0])), C.size_t(n))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Rerank returns the documents by score, highest first (ties: input order).
func (r *Reranker) Rerank(query string, documents []string, raw bool) ([]Ranked, error) {
	s, err := r.Score(query, documents, raw)
	if err != nil {
		return nil, err
	}
	out := make([]Ranked, len(s))
	for i, v := range s {
		out[i] = Ranked{Index: i, Score: v}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Score > out[b].Score })
	return out, nil
}

// Close releases the reranker.
func (r *Reranker) Close() error {
	return call(func() C.swiftlet_status { return C.swiftlet_reranker_close(r.h) })
}
