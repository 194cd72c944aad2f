"""PP-OCR: detection, optional angle classification, recognition."""
from __future__ import annotations

import ctypes
import os
from typing import Callable, List, Optional, Union

import numpy.typing as npt

from ._abi import OCR_PRESETS, OCRLineC, OCROptions
from ._handle import Handle, PathLike, check, encode_path, lib
from ._pixels import Image, raw_pixels

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
    """The lines of one image in reading order, ``json``: the same JSON object
    `swiftlet ocr` prints for the image (a str), and ``orientation``: the clockwise turn
    in degrees (0, 90, 180, 270) the page classifier undid, or None without one."""

    def __init__(self, lines: List[OCRLine], json: str, orientation: Optional[int] = None) -> None:
        self.lines, self.json, self.orientation = lines, json, orientation


class OCR(Handle):
    """PP-OCR detection + (optional) angle classification + recognition::

        with OCR("ppocrv4-det.swl", "ppocrv4-rec.swl", "ppocr-cls-v2.swl", threads=2) as ocr:
            for line in ocr.run("photo.jpg").lines:
                print(line.text)

    Option values of 0 keep the preset's defaults (see swiftlet_ocr_options in swiftlet.h).
    ``orientation``: a page-orientation model (models/doc-orientation.swl); each page is
    then turned upright before reading and ``OCRResult.orientation`` says by how much."""

    _close = staticmethod(lambda h: lib.swiftlet_ocr_close(h))

    def __init__(self, det: PathLike, rec: PathLike, cls: Optional[PathLike] = None, threads: int = 0,
                 preset: str = "rapidocr", det_thresh: float = 0.0, box_thresh: float = 0.0,
                 unclip_ratio: float = 0.0, text_score: float = 0.0, limit_side_len: int = 0,
                 orientation: Optional[PathLike] = None) -> None:
        super().__init__()
        if preset not in OCR_PRESETS:
            raise ValueError(f"preset must be one of {sorted(OCR_PRESETS)}")
        opts = OCROptions(threads, OCR_PRESETS[preset], det_thresh, box_thresh, unclip_ratio, text_score, limit_side_len)
        cls_path = None if cls is None else encode_path(cls)
        if orientation is None:
            check(lib.swiftlet_ocr_open(encode_path(det), encode_path(rec), cls_path, ctypes.byref(opts), ctypes.byref(self._h)))
        else:
            check(lib.swiftlet_ocr_open_oriented(encode_path(det), encode_path(rec), cls_path, encode_path(orientation),
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
        a, w, h, stride, size, code = raw_pixels(pixels, format)
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
            turn = ctypes.c_int32()
            check(lib.swiftlet_ocr_result_orientation(result, ctypes.byref(turn)))
            return OCRResult(lines, ctypes.string_at(json, length.value).decode("utf-8"),
                             None if turn.value < 0 else turn.value)
        finally:
            check(lib.swiftlet_ocr_result_free(result))
