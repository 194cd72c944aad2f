"""Raw pixel arrays as the C ABI takes them (swiftlet_ocr_run_pixels,
swiftlet_image_embedder_embed_pixels): OCR and CLIP share the layout rules."""
from __future__ import annotations

import os
from typing import Optional, Tuple, Union

import numpy as np
import numpy.typing as npt

from ._abi import CHANNELS, PIXEL_FORMATS

Image = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, npt.NDArray[np.uint8]]


def raw_pixels(pixels: npt.ArrayLike, format: Optional[str]) -> Tuple[npt.NDArray[np.uint8], int, int, int, int, int]:
    """A uint8 [H, W] (gray) or [H, W, 3|4] array (format "rgb" by default for 3 channels,
    "rgba" for 4) as (array kept alive, width, height, row stride, byte count, format code)."""
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
    return a, w, h, stride, size, PIXEL_FORMATS[format]
