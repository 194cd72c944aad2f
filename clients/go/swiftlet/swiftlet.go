// Package swiftlet binds libswiftlet.so (include/swiftlet.h) with cgo.
//
// cgo finds the header and library through pkg-config (swiftlet.pc). After
// tools/install.sh --prefix /usr/local nothing needs setting; for another prefix,
//
//	PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig go build
//
// and, outside the loader's paths, LD_LIBRARY_PATH=$PREFIX/lib (or an rpath in
// CGO_LDFLAGS) at run time.
//
// Every handle is safe to use from many goroutines at once (the library allows
// concurrent calls on one handle). Close releases it; using it afterwards returns
// an *Error with status SWIFTLET_ERR_INVALID_HANDLE.
package swiftlet

/*
#cgo pkg-config: swiftlet
#include <stdlib.h>
#include "swiftlet.h"
*/
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

// Error is a non-OK status from the library.
type Error struct {
	Status  int    // SWIFTLET_ERR_* value
	Name    string // e.g. "SWIFTLET_ERR_INVALID_UTF8"
	Message string // names the argument, text or file at fault
}

func (e *Error) Error() string { return e.Name + ": " + e.Message }

// call runs one library call and turns a failure into *Error. The message is
// thread-local in the library, so the goroutine stays on its OS thread until it
// has read it.
func call(f func() C.swiftlet_status) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	s := f()
	if s == C.SWIFTLET_OK {
		return nil
	}
	return &Error{Status: int(s), Name: C.GoString(C.swiftlet_status_name(s)), Message: C.GoString(C.swiftlet_last_error())}
}

// ABIVersion is the version of swiftlet.h this package was compiled against.
const ABIVersion = uint32(C.SWIFTLET_ABI_VERSION)

// CheckABI reports whether the loaded library serves this package's header version.
func CheckABI() error {
	return call(func() C.swiftlet_status { return C.swiftlet_check_abi(C.uint32_t(ABIVersion)) })
}

// Prefix selects one of the model's configured e5-style prefixes.
type Prefix int32

const (
	PrefixNone    Prefix = C.SWIFTLET_PREFIX_NONE
	PrefixQuery   Prefix = C.SWIFTLET_PREFIX_QUERY
	PrefixPassage Prefix = C.SWIFTLET_PREFIX_PASSAGE
)

// EmbedderOptions: zero values mean the defaults (all cores, batches of 32).
type EmbedderOptions struct {
	Threads   int32
	BatchSize int32
}

// Embedder turns texts into vectors.
type Embedder struct {
	h   *C.swiftlet_embedder
	dim int
}

// OpenEmbedder opens a .swl of pipeline kind "embedder".
func OpenEmbedder(path string, opts EmbedderOptions) (*Embedder, error) {
	if err := checkABIOnce(); err != nil {
		return nil, err
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	copts := C.swiftlet_embedder_options{threads: C.int32_t(opts.Threads), batch_size: C.int32_t(opts.BatchSize)}
	e := &Embedder{}
	if err := call(func() C.swiftlet_status { return C.swiftlet_embedder_open(cpath, &copts, &e.h) }); err != nil {
		return nil, err
	}
	var dim C.size_t
	if err := call(func() C.swiftlet_status { return C.swiftlet_embedder_dimension(e.h, &dim) }); err != nil {
		C.swiftlet_embedder_close(e.h)
		return nil, err
	}
	e.dim = int(dim)
	return e, nil
}

// Dimension is the length of one vector.
func (e *Embedder) Dimension() int { return e.dim }

// cTexts copies texts into C memory (cgo forbids C from holding Go pointers):
// one byte block plus pointer and length arrays. free releases all three.
func cTexts(texts []string) (ptrs **C.char, lens *C.size_t, free func()) {
	n := len(texts)
	total := 0
	for _, t := range texts {
		total += len(t)
	}
	block := C.malloc(C.size_t(total + 1))
	ptrArr := C.malloc(C.size_t(n+1) * C.size_t(unsafe.Sizeof(uintptr(0))))
	lenArr := C.malloc(C.size_t(n+1) * C.size_t(unsafe.Sizeof(C.size_t(0))))
	bytes := unsafe.Slice((*byte)(block), total+1)
	ps := unsafe.Slice((**C.char)(ptrArr), n+1)
	ls := unsafe.Slice((*C.size_t)(lenArr), n+1)
	off := 0
	for i, t := range texts {
		copy(bytes[off:], t)
		ps[i] = (*C.char)(unsafe.Pointer(&bytes[off]))
		ls[i] = C.size_t(len(t))
		off += len(t)
	}
	return (**C.char)(ptrArr), (*C.size_t)(lenArr), func() { C.free(block); C.free(ptrArr); C.free(lenArr) }
}

// Embed returns one vector per text, in order. Texts must be valid UTF-8.
func (e *Embedder) Embed(texts []string, prefix Prefix) ([][]float32, error) {
	n := len(texts)
	if n == 0 {
		return [][]float32{}, nil
	}
	ptrs, lens, free := cTexts(texts)
	defer free()
	flat := make([]float32, n*e.dim)
	err := call(func() C.swiftlet_status {
		return C.swiftlet_embedder_embed(e.h, (**C.char)(unsafe.Pointer(ptrs)), lens, C.size_t(n), C.swiftlet_prefix(prefix),
			(*C.float)(unsafe.Pointer(&flat[0])), C.size_t(len(flat)))
	})
	if err != nil {
		return nil, err
	}
	return e.rows(flat, n), nil
}

// EmbedWithPrefix is Embed with any prefix string put before every text (the
// model's configured prefixes need not exist).
func (e *Embedder) EmbedWithPrefix(texts []string, prefix string) ([][]float32, error) {
	n := len(texts)
	if n == 0 {
		return [][]float32{}, nil
	}
	ptrs, lens, free := cTexts(append([]string{prefix}, texts...))
	defer free()
	// cTexts put the prefix first: texts start at pointer/length index 1.
	ps := unsafe.Slice(ptrs, n+1)
	ls := unsafe.Slice(lens, n+1)
	flat := make([]float32, n*e.dim)
	err := call(func() C.swiftlet_status {
		return C.swiftlet_embedder_embed_with_prefix(e.h, (**C.char)(unsafe.Pointer(&ps[1])), &ls[1], C.size_t(n), ps[0], ls[0],
			(*C.float)(unsafe.Pointer(&flat[0])), C.size_t(len(flat)))
	})
	if err != nil {
		return nil, err
	}
	return e.rows(flat, n), nil
}

// rows splits n consecutive vectors of the embedder's dimension into their own slices.
func (e *Embedder) rows(flat []float32, n int) [][]float32 {
	out := make([][]float32, n)
	for i := range out {
		out[i] = flat[i*e.dim : (i+1)*e.dim : (i+1)*e.dim]
	}
	return out
}

// Close releases the embedder; calls still running on other goroutines finish first.
func (e *Embedder) Close() error {
	return call(func() C.swiftlet_status { return C.swiftlet_embedder_close(e.h) })
}

// Tokenizer is the tokenizer stored in a .swl.
type Tokenizer struct{ h *C.swiftlet_tokenizer }

func OpenTokenizer(path string) (*Tokenizer, error) {
	if err := checkABIOnce(); err != nil {
		return nil, err
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	t := &Tokenizer{}
	if err := call(func() C.swiftlet_status { return C.swiftlet_tokenizer_open(cpath, &t.h) }); err != nil {
		return nil, err
	}
	return t, nil
}

// Encode returns the token ids and attention mask of text. maxLength 0 uses the
// model's own truncation.
func (t *Tokenizer) Encode(text string, addSpecialTokens bool, maxLength int) (ids, mask []int32, err error) {
	ctext := C.CString(text) // a copy with a NUL; the length below is what counts
	defer C.free(unsafe.Pointer(ctext))
	var flags C.uint32_t
	if !addSpecialTokens {
		flags = C.SWIFTLET_ENCODE_NO_SPECIAL_TOKENS
	}
	capacity := len(text) + 8
	for {
		ids = make([]int32, capacity)
		mask = make([]int32, capacity)
		var n C.size_t
		err = call(func() C.swiftlet_status {
			return C.swiftlet_tokenizer_encode(t.h, ctext, C.size_t(len(text)), flags, C.size_t(maxLength),
				(*C.int32_t)(unsafe.Pointer(&ids[0])), (*C.int32_t)(unsafe.Pointer(&mask[0])), C.size_t(capacity), &n)
		})
		if e, ok := err.(*Error); ok && e.Status == C.SWIFTLET_ERR_BUFFER_TOO_SMALL && int(n) > capacity {
			capacity = int(n)
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		return ids[:n], mask[:n], nil
	}
}

// Decode turns ids back into text.
func (t *Tokenizer) Decode(ids []int32, keepSpecialTokens bool) (string, error) {
	var flags C.uint32_t
	if keepSpecialTokens {
		flags = C.SWIFTLET_DECODE_KEEP_SPECIAL_TOKENS
	}
	var p *C.int32_t
	if len(ids) > 0 {
		p = (*C.int32_t)(unsafe.Pointer(&ids[0]))
	}
	var n C.size_t
	err := call(func() C.swiftlet_status {
		return C.swiftlet_tokenizer_decode(t.h, p, C.size_t(len(ids)), flags, nil, 0, &n)
	})
	if e, ok := err.(*Error); err != nil && !(ok && e.Status == C.SWIFTLET_ERR_BUFFER_TOO_SMALL) {
		return "", err
	}
	buf := make([]byte, int(n)+1)
	err = call(func() C.swiftlet_status {
		return C.swiftlet_tokenizer_decode(t.h, p, C.size_t(len(ids)), flags, (*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &n)
	})
	if err != nil {
		return "", err
	}
	return string(buf[:n]), nil
}

func (t *Tokenizer) Close() error {
	return call(func() C.swiftlet_status { return C.swiftlet_tokenizer_close(t.h) })
}

// DType is a tensor element type.
type DType int32

const (
	Float32 DType = C.SWIFTLET_DTYPE_FLOAT32
	Float16 DType = C.SWIFTLET_DTYPE_FLOAT16
	Int64   DType = C.SWIFTLET_DTYPE_INT64
	Int32   DType = C.SWIFTLET_DTYPE_INT32
	Int8    DType = C.SWIFTLET_DTYPE_INT8
	Uint8   DType = C.SWIFTLET_DTYPE_UINT8
	Bool    DType = C.SWIFTLET_DTYPE_BOOL
)

// Tensor is a named dense tensor; Data holds its little-endian bytes.
type Tensor struct {
	Name  string
	DType DType
	Shape []int64
	Data  []byte
}

// ValueInfo is a graph input or output as declared; -1 marks a symbolic dimension.
type ValueInfo struct {
	Name  string
	DType DType
	Dims  []int64
}

// Session runs any .swl as a raw graph.
type Session struct {
	h               *C.swiftlet_session
	Inputs, Outputs []ValueInfo
}

func OpenSession(path string, threads int32) (*Session, error) {
	if err := checkABIOnce(); err != nil {
		return nil, err
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	opts := C.swiftlet_session_options{threads: C.int32_t(threads)}
	s := &Session{}
	if err := call(func() C.swiftlet_status { return C.swiftlet_session_open(cpath, &opts, &s.h) }); err != nil {
		return nil, err
	}
	var err error
	if s.Inputs, err = s.describe(C.SWIFTLET_INPUTS); err == nil {
		s.Outputs, err = s.describe(C.SWIFTLET_OUTPUTS)
	}
	if err != nil {
		C.swiftlet_session_close(s.h)
		return nil, err
	}
	return s, nil
}

func (s *Session) describe(io C.swiftlet_io) ([]ValueInfo, error) {
	var n C.size_t
	if err := call(func() C.swiftlet_status { return C.swiftlet_session_io_count(s.h, io, &n) }); err != nil {
		return nil, err
	}
	out := make([]ValueInfo, n)
	for i := range out {
		var info C.swiftlet_value_info
		if err := call(func() C.swiftlet_status { return C.swiftlet_session_io_info(s.h, io, C.size_t(i), &info) }); err != nil {
			return nil, err
		}
		dims := unsafe.Slice((*int64)(unsafe.Pointer(info.dims)), int(info.rank))
		out[i] = ValueInfo{Name: C.GoString(info.name), DType: DType(info.dtype), Dims: append([]int64(nil), dims...)}
	}
	return out, nil
}

// Run feeds inputs and returns the named outputs (all, in graph order, if none are named).
func (s *Session) Run(inputs []Tensor, outputs []string) ([]Tensor, error) {
	// Inputs go to C memory: the descriptors would otherwise be Go memory holding Go pointers.
	n := len(inputs)
	descs := (*C.swiftlet_tensor)(C.calloc(C.size_t(n+1), C.size_t(unsafe.Sizeof(C.swiftlet_tensor{}))))
	defer C.free(unsafe.Pointer(descs))
	ds := unsafe.Slice(descs, n+1)
	var allocs []unsafe.Pointer
	defer func() {
		for _, p := range allocs {
			C.free(p)
		}
	}()
	for i, t := range inputs {
		name := C.CString(t.Name)
		shape := C.malloc(C.size_t(len(t.Shape)+1) * 8)
		data := C.malloc(C.size_t(len(t.Data) + 1))
		allocs = append(allocs, unsafe.Pointer(name), shape, data)
		copy(unsafe.Slice((*int64)(shape), len(t.Shape)+1), t.Shape)
		copy(unsafe.Slice((*byte)(data), len(t.Data)+1), t.Data)
		ds[i] = C.swiftlet_tensor{name: name, dtype: C.swiftlet_dtype(t.DType), rank: C.size_t(len(t.Shape)),
			shape: (*C.int64_t)(shape), data: data, byte_count: C.size_t(len(t.Data))}
	}
	var names **C.char
	if len(outputs) > 0 {
		arr := C.malloc(C.size_t(len(outputs)) * C.size_t(unsafe.Sizeof(uintptr(0))))
		allocs = append(allocs, arr)
		ns := unsafe.Slice((**C.char)(arr), len(outputs))
		for i, o := range outputs {
			ns[i] = C.CString(o)
			allocs = append(allocs, unsafe.Pointer(ns[i]))
		}
		names = (**C.char)(arr)
	}
	var result *C.swiftlet_tensors
	if err := call(func() C.swiftlet_status {
		return C.swiftlet_session_run(s.h, descs, C.size_t(n), names, C.size_t(len(outputs)), &result)
	}); err != nil {
		return nil, err
	}
	defer C.swiftlet_tensors_free(result)
	var count C.size_t
	if err := call(func() C.swiftlet_status { return C.swiftlet_tensors_count(result, &count) }); err != nil {
		return nil, err
	}
	out := make([]Tensor, count)
	for i := range out {
		var t C.swiftlet_tensor
		if err := call(func() C.swiftlet_status { return C.swiftlet_tensors_get(result, C.size_t(i), &t) }); err != nil {
			return nil, err
		}
		out[i] = Tensor{
			Name:  C.GoString(t.name),
			DType: DType(t.dtype),
			Shape: append([]int64(nil), unsafe.Slice((*int64)(unsafe.Pointer(t.shape)), int(t.rank))...),
			Data:  C.GoBytes(t.data, C.int(t.byte_count)),
		}
	}
	return out, nil
}

func (s *Session) Close() error {
	return call(func() C.swiftlet_status { return C.swiftlet_session_close(s.h) })
}

var (
	abiOnce sync.Once
	abiErr  error
)

// checkABIOnce makes every Open* fail cleanly against an incompatible library.
func checkABIOnce() error {
	abiOnce.Do(func() { abiErr = CheckABI() })
	return abiErr
}
