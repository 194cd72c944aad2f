"""PP-OCR: detection, optional angle classification, recognition."""
from __future__ import annotations

import ctypes
import os
from typing import Callable, List, Optional, Union

import numpy as np
import numpy.typing as npt

from ._abi import CHANNELS, OCR_PRESETS, PIXEL_FORMATS, OCRLineC, OCROptions
from ._handle import Handle, PathLike, check, encode_path, lib

Box = List[List[float]]


class OCRLine:
    """One recognised line: ``box`` [[x, y]] * 4 (top-left, top-right, bottom-right,
    bottom-left, in image pixels), ``text`` and ``score`` (0..1)."""

    __slots__ = ("box", "text", "score")

    def __init__(self, box: Box, text: str, score: float) -> None:
        self.box, self.text, self.score = box, text, score

    def __repr__(self) -> str:
        return f"OCRLine(box={self.box}, text={self.text!r}, score={self.score})"


class OCRResult:
    """The lines of one image in reading order, and ``json``: the same JSON object
    `swiftlet ocr` prints for the image (a str)."""

    def __init__(self, lines: List[OCRLine], json: str) -> None:
        self.lines, self.json = lines, json


Image = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, npt.NDArray[np.uint8]]


class OCR(Handle):
    """PP-OCR detection + (optional) angle classification + recognition::

        with OCR("ppocrv4-det.swl", "ppocrv4-rec.swl", "ppocr-cls-v2.swl", threads=2) as ocr:
            for line in ocr.run("photo.jpg").lines:
                print(line.text)

    Option values of 0 keep the preset's defaults (see swiftlet_ocr_options in swiftlet.h)."""

    _close = staticmethod(lambda h: lib.swiftlet_ocr_close(h))

    def __init__(self, det: PathLike, rec: PathLike, cls: Optional[PathLike] = None, threads: int = 0,
                 preset: str = "rapidocr", det_thresh: float = 0.0, box_thresh: float = 0.0,
                 unclip_ratio: float = 0.0, text_score: float = 0.0, limit_side_len: int = 0) -> None:
        super().__init__()
        if preset not in OCR_PRESETS:
            raise ValueError(f"preset must be one of {sorted(OCR_PRESETS)}")
        opts = OCROptions(threads, OCR_PRESETS[preset], det_thresh, box_thresh, unclip_ratio, text_score, limit_side_len)
        check(lib.swiftlet_ocr_open(encode_path(det), encode_path(rec), None if cls is None else encode_path(cls),
                                    ctypes.byref(opts), ctypes.byref(self._h)))

    def run(self, image: Image, format: Optional[str] = None) -> OCRResult:
        """image: a path (str or os.PathLike), encoded PNG/JPEG bytes, or a uint8 numpy
        array [H, W] (gray) or [H, W, 3|4] (format "rgb" by default for 3 channels,
        "rgba" for 4; "bgr"/"bgra" for OpenCV images)."""
        if isinstance(image, (str, os.PathLike)):
            return self.run_file(image)
        if isinstance(image, (bytes, bytearray, memoryview)):
            return self.run_encoded(image)
        return self.run_pixels(image, format)

    def run_file(self, path: PathLike) -> OCRResult:
        """OCRs a PNG or JPEG file."""
        return self._result(lambda out: lib.swiftlet_ocr_run_file(self._h, encode_path(path), out))

    def run_encoded(self, data: Union[bytes, bytearray, memoryview]) -> OCRResult:
        """OCRs PNG or JPEG bytes held in memory."""
        buf = bytes(data)
        return self._result(lambda out: lib.swiftlet_ocr_run_encoded(self._h, buf, len(buf), out))

    def run_pixels(self, pixels: npt.ArrayLike, format: Optional[str] = None) -> OCRResult:
        """OCRs raw 8-bit pixels (see run); rows may be strided, as in a crop of a bigger image."""
        a = np.asarray(pixels)
        if a.dtype != np.uint8 or a.ndim not in (2, 3):
            raise ValueError(f"pixels must be uint8 [H, W] or [H, W, C], got {a.dtype} {a.shape}")
        if format is None:
            format = "gray" if a.ndim == 2 else {3: "rgb", 4: "rgba"}.get(a.shape[2], "?")
        if format not in PIXEL_FORMATS:
            raise ValueError(f"format must be one of {sorted(PIXEL_FORMATS)}")
        channels = 1 if a.ndim == 2 else a.shape[2]
        if channels != CHANNELS[format]:
            raise ValueError(f"format {format} needs {CHANNELS[format]} channels, the array has {channels}")
        # The library takes a row stride; pixels within a row must be packed.
        if a.strides[-1] != 1 or (a.ndim == 3 and a.strides[1] != channels) or a.strides[0] < a.shape[1] * channels:
            a = np.ascontiguousarray(a)
        h, w = a.shape[0], a.shape[1]
        stride = a.strides[0]
        size = stride * (h - 1) + w * channels if h > 0 else 0
        code = PIXEL_FORMATS[format]
        return self._result(lambda out: lib.swiftlet_ocr_run_pixels(self._h, a.ctypes.data, size, w, h, stride, code, out))

    @staticmethod
    def _result(run: Callable[[object], int]) -> OCRResult:
        result = ctypes.c_void_p()
        check(run(ctypes.byref(result)))
        try:
            count = ctypes.c_size_t()
            check(lib.swiftlet_ocr_result_count(result, ctypes.byref(count)))
            lines = []
            for i in range(count.value):
                line = OCRLineC()
                check(lib.swiftlet_ocr_result_line(result, i, ctypes.byref(line)))
                box = [[line.box[2 * k], line.box[2 * k + 1]] for k in range(4)]
                lines.append(OCRLine(box, ctypes.string_at(line.text, line.text_length).decode("utf-8"), line.score))
            json = ctypes.c_char_p()
            length = ctypes.c_size_t()
            check(lib.swiftlet_ocr_result_json(result, ctypes.byref(json), ctypes.byref(length)))
            return OCRResult(lines, ctypes.string_at(json, length.value).decode("utf-8"))
        finally:
            check(lib.swiftlet_ocr_result_free(result))
