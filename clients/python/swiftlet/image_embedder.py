"""Image-text (CLIP) embedders: texts and images in, vectors in one space out."""
from __future__ import annotations

import ctypes
import os
from typing import Callable, Optional, Sequence, Union

import numpy as np
import numpy.typing as npt

from ._abi import EmbedderOptions
from ._handle import Handle, PathLike, check, encode_path, lib, utf8
from ._pixels import Image, raw_pixels

Text = Union[str, bytes]


class ImageEmbedder(Handle):
    """A CLIP model: a .swl whose pipeline kind is "clip". Text and image vectors share one
    space (L2-normalised when the model's pipeline says so, as CLIP's do).

    ``threads``: cores one call may use (0: all); ``batch_size``: texts per tower run (0: 16)::

        with ImageEmbedder("models/clip-tiny-random.swl", threads=2) as e:
            t = e.embed_texts(["a photo of a cat"])   # float32 [1, dimension]
            i = e.embed_image("cat.jpg")              # float32 [dimension]
            score = float(t[0] @ i)
    """

    _close = staticmethod(lambda h: lib.swiftlet_image_embedder_close(h))

    def __init__(self, path: PathLike, threads: int = 0, batch_size: int = 0) -> None:
        super().__init__()
        opts = EmbedderOptions(threads, batch_size)
        check(lib.swiftlet_image_embedder_open(encode_path(path), ctypes.byref(opts), ctypes.byref(self._h)))
        dim = ctypes.c_size_t()
        check(lib.swiftlet_image_embedder_dimension(self._h, ctypes.byref(dim)))
        self.dimension: int = dim.value

    def embed_texts(self, texts: Sequence[Text]) -> npt.NDArray[np.float32]:
        """Embeds texts (str, or UTF-8 bytes) through the text tower: float32 [len(texts), dimension]."""
        data = [utf8(t) for t in texts]
        n = len(data)
        out = np.empty((n, self.dimension), dtype=np.float32)
        ptrs = (ctypes.c_char_p * max(n, 1))(*data)
        lens = (ctypes.c_size_t * max(n, 1))(*[len(d) for d in data])
        check(lib.swiftlet_image_embedder_embed_texts(self._h, ptrs, lens, n, out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)),
                                                      out.size))
        return out

    def embed_image(self, image: Image, format: Optional[str] = None) -> npt.NDArray[np.float32]:
        """One image's vector, float32 [dimension]. image: a path (str or os.PathLike), encoded
        PNG/JPEG bytes, or a uint8 numpy array [H, W] (gray) or [H, W, 3|4] (format "rgb" by
        default for 3 channels, "rgba" for 4; "bgr"/"bgra" for OpenCV images)."""
        if isinstance(image, (str, os.PathLike)):
            return self.embed_file(image)
        if isinstance(image, (bytes, bytearray, memoryview)):
            return self.embed_encoded(image)
        return self.embed_pixels(image, format)

    def embed_file(self, path: PathLike) -> npt.NDArray[np.float32]:
        """A PNG or JPEG file's vector."""
        p = encode_path(path)
        return self._vector(lambda out, n: lib.swiftlet_image_embedder_embed_file(self._h, p, out, n))

    def embed_encoded(self, data: Union[bytes, bytearray, memoryview]) -> npt.NDArray[np.float32]:
        """The vector of PNG or JPEG bytes held in memory."""
        buf = bytes(data)
        return self._vector(lambda out, n: lib.swiftlet_image_embedder_embed_encoded(self._h, buf, len(buf), out, n))

    def embed_pixels(self, pixels: npt.ArrayLike, format: Optional[str] = None) -> npt.NDArray[np.float32]:
        """The vector of raw 8-bit pixels (see embed_image); rows may be strided."""
        a, w, h, stride, size, code = raw_pixels(pixels, format)
        return self._vector(lambda out, n: lib.swiftlet_image_embedder_embed_pixels(self._h, a.ctypes.data, size, w, h, stride,
                                                                                      code, out, n))

    def _vector(self, call: Callable[..., int]) -> npt.NDArray[np.float32]:
        out = np.empty(self.dimension, dtype=np.float32)
        check(call(out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)), out.size))
        return out
