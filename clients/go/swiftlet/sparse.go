package swiftlet

/*
#include <stdlib.h>
#include "swiftlet.h"
*/
import "C"

import (
	"errors"
	"unsafe"
)

// SparseVector is one text's non-zero weights: vocabulary ids ascending, and their weights.
type SparseVector struct {
	Indices []uint32
	Values  []float32
}

// SparseEmbedder turns texts into sparse (SPLADE) vectors.
type SparseEmbedder struct {
	h   *C.swiftlet_sparse_embedder
	dim int
}

// OpenSparseEmbedder opens a .swl of pipeline kind "sparse-embedder" (ABI 1.2).
func OpenSparseEmbedder(path string, opts EmbedderOptions) (*SparseEmbedder, error) {
	if err := checkABIOnce(); err != nil {
		return nil, err
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	copts := C.swiftlet_embedder_options{threads: C.int32_t(opts.Threads), batch_size: C.int32_t(opts.BatchSize)}
	e := &SparseEmbedder{}
	if err := call(func() C.swiftlet_status { return C.swiftlet_sparse_embedder_open(cpath, &copts, &e.h) }); err != nil {
		return nil, err
	}
	var dim C.size_t
	if err := call(func() C.swiftlet_status { return C.swiftlet_sparse_embedder_dimension(e.h, &dim) }); err != nil {
		C.swiftlet_sparse_embedder_close(e.h)
		return nil, err
	}
	e.dim = int(dim)
	return e, nil
}

// Dimension is the vocabulary size the ids index into.
func (e *SparseEmbedder) Dimension() int { return e.dim }

// Embed returns one sparse vector per text, in order. topK 0 keeps every non-zero
// weight; otherwise each text keeps its topK largest. Texts must be valid UTF-8.
func (e *SparseEmbedder) Embed(texts []string, topK int) ([]SparseVector, error) {
	if topK < 0 {
		return nil, errors.New("swiftlet: topK must be 0 (all) or positive")
	}
	n := len(texts)
	if n == 0 {
		return []SparseVector{}, nil
	}
	ptrs, lens, free := cTexts(texts)
	defer free()
	var r *C.swiftlet_sparse_result
	if err := call(func() C.swiftlet_status {
		return C.swiftlet_sparse_embedder_embed(e.h, (**C.char)(unsafe.Pointer(ptrs)), lens, C.size_t(n), C.size_t(topK), &r)
	}); err != nil {
		return nil, err
	}
	defer C.swiftlet_sparse_result_free(r)
	out := make([]SparseVector, n)
	for i := range out {
		var ids *C.uint32_t
		var vals *C.float
		var k C.size_t
		if err := call(func() C.swiftlet_status { return C.swiftlet_sparse_result_row(r, C.size_t(i), &ids, &vals, &k) }); err != nil {
			return nil, err
		}
		out[i] = SparseVector{Indices: make([]uint32, int(k)), Values: make([]float32, int(k))}
		if k > 0 {
			copy(out[i].Indices, unsafe.Slice((*uint32)(unsafe.Pointer(ids)), int(k)))
			copy(out[i].Values, unsafe.Slice((*float32)(unsafe.Pointer(vals)), int(k)))
		}
	}
	return out, nil
}

// Close releases the embedder; calls still running on other goroutines finish first.
func (e *SparseEmbedder) Close() error {
	return call(func() C.swiftlet_status { return C.swiftlet_sparse_embedder_close(e.h) })
}
