package swiftlet

/*
#include <stdlib.h>
#include "swiftlet.h"
*/
import "C"

import (
	"unsafe"
)

// ImageEmbedder turns texts and images into vectors of one space (CLIP). Vectors are
// L2-normalised when the model's pipeline says so (CLIP's do).
type ImageEmbedder struct {
	h   *C.swiftlet_image_embedder
	dim int
}

// OpenImageEmbedder opens a .swl of pipeline kind "clip" (ABI 1.3). BatchSize 0
// means 16 texts per text-tower run.
func OpenImageEmbedder(path string, opts EmbedderOptions) (*ImageEmbedder, error) {
	if err := checkABIOnce(); err != nil {
		return nil, err
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	copts := C.swiftlet_embedder_options{threads: C.int32_t(opts.Threads), batch_size: C.int32_t(opts.BatchSize)}
	e := &ImageEmbedder{}
	if err := call(func() C.swiftlet_status { return C.swiftlet_image_embedder_open(cpath, &copts, &e.h) }); err != nil {
		return nil, err
	}
	var dim C.size_t
	if err := call(func() C.swiftlet_status { return C.swiftlet_image_embedder_dimension(e.h, &dim) }); err != nil {
		C.swiftlet_image_embedder_close(e.h)
		return nil, err
	}
	e.dim = int(dim)
	return e, nil
}

// Dimension is the length of one vector, text or image.
func (e *ImageEmbedder) Dimension() int { return e.dim }

// EmbedTexts returns one vector per text, in order, from the text tower. Texts must be valid UTF-8.
func (e *ImageEmbedder) EmbedTexts(texts []string) ([][]float32, error) {
	n := len(texts)
	if n == 0 {
		return [][]float32{}, nil
	}
	ptrs, lens, free := cTexts(texts)
	defer free()
	flat := make([]float32, n*e.dim)
	err := call(func() C.swiftlet_status {
		return C.swiftlet_image_embedder_embed_texts(e.h, (**C.char)(unsafe.Pointer(ptrs)), lens, C.size_t(n),
			(*C.float)(unsafe.Pointer(&flat[0])), C.size_t(len(flat)))
	})
	if err != nil {
		return nil, err
	}
	out := make([][]float32, n)
	for i := range out {
		out[i] = flat[i*e.dim : (i+1)*e.dim : (i+1)*e.dim]
	}
	return out, nil
}

// EmbedFile returns the vector of a PNG or JPEG file.
func (e *ImageEmbedder) EmbedFile(path string) ([]float32, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	return e.vector(func(out *C.float, n C.size_t) C.swiftlet_status {
		return C.swiftlet_image_embedder_embed_file(e.h, cpath, out, n)
	})
}

// EmbedEncoded returns the vector of PNG or JPEG bytes.
func (e *ImageEmbedder) EmbedEncoded(data []byte) ([]float32, error) {
	var p unsafe.Pointer
	if len(data) > 0 {
		p = unsafe.Pointer(&data[0])
	}
	return e.vector(func(out *C.float, n C.size_t) C.swiftlet_status {
		return C.swiftlet_image_embedder_embed_encoded(e.h, p, C.size_t(len(data)), out, n)
	})
}

// EmbedPixels returns the vector of raw pixels laid out as for OCR.RunPixels.
func (e *ImageEmbedder) EmbedPixels(pixels []byte, width, height, stride int, format PixelFormat) ([]float32, error) {
	var p unsafe.Pointer
	if len(pixels) > 0 {
		p = unsafe.Pointer(&pixels[0])
	}
	return e.vector(func(out *C.float, n C.size_t) C.swiftlet_status {
		return C.swiftlet_image_embedder_embed_pixels(e.h, p, C.size_t(len(pixels)), C.size_t(width), C.size_t(height),
			C.size_t(stride), C.swiftlet_pixel_format(format), out, n)
	})
}

func (e *ImageEmbedder) vector(run func(*C.float, C.size_t) C.swiftlet_status) ([]float32, error) {
	out := make([]float32, e.dim)
	if err := call(func() C.swiftlet_status { return run((*C.float)(unsafe.Pointer(&out[0])), C.size_t(len(out))) }); err != nil {
		return nil, err
	}
	return out, nil
}

// Close releases the embedder; calls still running on other goroutines finish first.
func (e *ImageEmbedder) Close() error {
	return call(func() C.swiftlet_status { return C.swiftlet_image_embedder_close(e.h) })
}
