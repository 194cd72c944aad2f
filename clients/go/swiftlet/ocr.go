package swiftlet

/*
#include <stdlib.h>
#include "swiftlet.h"
*/
import "C"

import (
	"unsafe"
)

// OCRPreset picks whose defaults the OCR options start from.
type OCRPreset int32

const (
	PresetRapidOCR OCRPreset = C.SWIFTLET_OCR_PRESET_RAPIDOCR
	PresetPaddle   OCRPreset = C.SWIFTLET_OCR_PRESET_PADDLE
)

// OCROptions: zero values keep the preset's defaults (see swiftlet_ocr_options).
type OCROptions struct {
	Threads      int32
	Preset       OCRPreset
	DetThresh    float32
	BoxThresh    float32
	UnclipRatio  float32
	TextScore    float32
	LimitSideLen int32
}

// PixelFormat is the layout of raw 8-bit pixels.
type PixelFormat int32

const (
	PixelRGB  PixelFormat = C.SWIFTLET_PIXEL_RGB
	PixelBGR  PixelFormat = C.SWIFTLET_PIXEL_BGR
	PixelRGBA PixelFormat = C.SWIFTLET_PIXEL_RGBA
	PixelBGRA PixelFormat = C.SWIFTLET_PIXEL_BGRA
	PixelGray PixelFormat = C.SWIFTLET_PIXEL_GRAY
)

// OCRLine is one recognised line: Box holds x, y of the top-left, top-right,
// bottom-right and bottom-left corners in image pixels.
type OCRLine struct {
	Box   [8]float32
	Text  string
	Score float32
}

// OCRResult is the lines of one image in reading order, and the same result as the
// JSON object `swiftlet ocr` prints. Orientation is the clockwise turn in degrees
// (0, 90, 180, 270) the page classifier undid, or -1 for an engine without one.
type OCRResult struct {
	Lines       []OCRLine
	JSON        string
	Orientation int
}

// OCR is a PP-OCR engine; one OCR serves many goroutines at once.
type OCR struct{ h *C.swiftlet_ocr }

// OpenOCR loads the detection, recognition and (if clsPath is not "") angle
// classifier models.
func OpenOCR(detPath, recPath, clsPath string, opts OCROptions) (*OCR, error) {
	return openEngine(detPath, recPath, clsPath, "", opts)
}

// OpenOrientedOCR is OpenOCR plus the page-orientation classifier at orientationPath
// (models/doc-orientation.swl, ABI 1.3): each page is turned upright before reading,
// boxes stay in the image's coordinates and OCRResult.Orientation says by how much.
func OpenOrientedOCR(detPath, recPath, clsPath, orientationPath string, opts OCROptions) (*OCR, error) {
	if orientationPath == "" {
		return nil, &Error{Status: int(C.SWIFTLET_ERR_INVALID_ARGUMENT), Name: "SWIFTLET_ERR_INVALID_ARGUMENT",
			Message: "OpenOrientedOCR: orientationPath is empty (use OpenOCR without a classifier)"}
	}
	return openEngine(detPath, recPath, clsPath, orientationPath, opts)
}

func openEngine(detPath, recPath, clsPath, orientationPath string, opts OCROptions) (*OCR, error) {
	if err := checkABIOnce(); err != nil {
		return nil, err
	}
	det, rec := C.CString(detPath), C.CString(recPath)
	defer C.free(unsafe.Pointer(det))
	defer C.free(unsafe.Pointer(rec))
	var cls *C.char
	if clsPath != "" {
		cls = C.CString(clsPath)
		defer C.free(unsafe.Pointer(cls))
	}
	copts := C.swiftlet_ocr_options{
		threads: C.int32_t(opts.Threads), preset: C.swiftlet_ocr_preset(opts.Preset),
		det_thresh: C.float(opts.DetThresh), box_thresh: C.float(opts.BoxThresh), unclip_ratio: C.float(opts.UnclipRatio),
		text_score: C.float(opts.TextScore), limit_side_len: C.int32_t(opts.LimitSideLen),
	}
	o := &OCR{}
	if orientationPath == "" {
		if err := call(func() C.swiftlet_status { return C.swiftlet_ocr_open(det, rec, cls, &copts, &o.h) }); err != nil {
			return nil, err
		}
		return o, nil
	}
	ori := C.CString(orientationPath)
	defer C.free(unsafe.Pointer(ori))
	if err := call(func() C.swiftlet_status { return C.swiftlet_ocr_open_oriented(det, rec, cls, ori, &copts, &o.h) }); err != nil {
		return nil, err
	}
	return o, nil
}

// RunFile OCRs a PNG or JPEG file.
func (o *OCR) RunFile(path string) (*OCRResult, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	return o.result(func(r **C.swiftlet_ocr_result) C.swiftlet_status { return C.swiftlet_ocr_run_file(o.h, cpath, r) })
}

// RunEncoded OCRs PNG or JPEG bytes. (cgo lets C read Go memory for the call's
// duration; the library keeps nothing.)
func (o *OCR) RunEncoded(data []byte) (*OCRResult, error) {
	var p unsafe.Pointer
	if len(data) > 0 {
		p = unsafe.Pointer(&data[0])
	}
	return o.result(func(r **C.swiftlet_ocr_result) C.swiftlet_status {
		return C.swiftlet_ocr_run_encoded(o.h, p, C.size_t(len(data)), r)
	})
}

// RunPixels OCRs raw pixels: height rows of width pixels, stride bytes apart
// (0: packed).
func (o *OCR) RunPixels(pixels []byte, width, height, stride int, format PixelFormat) (*OCRResult, error) {
	var p unsafe.Pointer
	if len(pixels) > 0 {
		p = unsafe.Pointer(&pixels[0])
	}
	return o.result(func(r **C.swiftlet_ocr_result) C.swiftlet_status {
		return C.swiftlet_ocr_run_pixels(o.h, p, C.size_t(len(pixels)), C.size_t(width), C.size_t(height), C.size_t(stride),
			C.swiftlet_pixel_format(format), r)
	})
}

// result runs one OCR call and copies its result handle into Go values.
func (o *OCR) result(run func(**C.swiftlet_ocr_result) C.swiftlet_status) (*OCRResult, error) {
	var r *C.swiftlet_ocr_result
	if err := call(func() C.swiftlet_status { return run(&r) }); err != nil {
		return nil, err
	}
	defer C.swiftlet_ocr_result_free(r)
	var n C.size_t
	if err := call(func() C.swiftlet_status { return C.swiftlet_ocr_result_count(r, &n) }); err != nil {
		return nil, err
	}
	out := &OCRResult{Lines: make([]OCRLine, n)}
	for i := range out.Lines {
		var l C.swiftlet_ocr_line
		if err := call(func() C.swiftlet_status { return C.swiftlet_ocr_result_line(r, C.size_t(i), &l) }); err != nil {
			return nil, err
		}
		for k := 0; k < 8; k++ {
			out.Lines[i].Box[k] = float32(l.box[k])
		}
		out.Lines[i].Text = C.GoStringN(l.text, C.int(l.text_length))
		out.Lines[i].Score = float32(l.score)
	}
	var js *C.char
	var length C.size_t
	if err := call(func() C.swiftlet_status { return C.swiftlet_ocr_result_json(r, &js, &length) }); err != nil {
		return nil, err
	}
	out.JSON = C.GoStringN(js, C.int(length))
	var turn C.int32_t
	if err := call(func() C.swiftlet_status { return C.swiftlet_ocr_result_orientation(r, &turn) }); err != nil {
		return nil, err
	}
	out.Orientation = int(turn)
	return out, nil
}

// Close releases the engine; runs still going on other goroutines finish first.
func (o *OCR) Close() error {
	return call(func() C.swiftlet_status { return C.swiftlet_ocr_close(o.h) })
}
