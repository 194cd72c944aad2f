"""Sentence embedders: texts in, L2-normalised float32 vectors out."""
from __future__ import annotations

import ctypes
from typing import Callable, Sequence, Union

import numpy as np
import numpy.typing as npt

from ._abi import PREFIXES, EmbedderOptions
from ._handle import Handle, PathLike, check, encode_path, lib, utf8

Text = Union[str, bytes]


class Embedder(Handle):
    """A sentence embedder: a .swl whose pipeline kind is "embedder" or "static-embedder".

    ``threads``: cores one embed call may use (0: all); ``batch_size``: texts per
    forward pass (0: 32). One embedder may serve many threads at once::

        with Embedder("models/all-MiniLM-L6-v2.swl", threads=2) as e:
            vectors = e.embed(["Hello world", "Swiftlet"])   # float32 [2, 384]
    """

    _close = staticmethod(lambda h: lib.swiftlet_embedder_close(h))

    def __init__(self, path: PathLike, threads: int = 0, batch_size: int = 0) -> None:
        super().__init__()
        opts = EmbedderOptions(threads, batch_size)
        check(lib.swiftlet_embedder_open(encode_path(path), ctypes.byref(opts), ctypes.byref(self._h)))
        dim = ctypes.c_size_t()
        check(lib.swiftlet_embedder_dimension(self._h, ctypes.byref(dim)))
        self.dimension: int = dim.value

    def embed(self, texts: Sequence[Text], prefix: str = "none") -> npt.NDArray[np.float32]:
        """Embeds texts (str, or UTF-8 bytes) in input order: float32 [len(texts), dimension].

        ``prefix``: one of the model's configured prefixes, "none", "query" or "passage"
        (e5-style models); a model without that prefix raises SwiftletError."""
        if prefix not in PREFIXES:
            raise ValueError(f"prefix must be one of {sorted(PREFIXES)}")
        code = PREFIXES[prefix]
        return self._embed(texts, lambda h, p, n, c, out, size: lib.swiftlet_embedder_embed(h, p, n, c, code, out, size))

    def embed_with_prefix(self, texts: Sequence[Text], prefix: Text) -> npt.NDArray[np.float32]:
        """As embed, with any prefix string (str or bytes) put before every text."""
        pre = utf8(prefix)
        return self._embed(texts, lambda h, p, n, c, out, size:
                           lib.swiftlet_embedder_embed_with_prefix(h, p, n, c, pre, len(pre), out, size))

    def _embed(self, texts: Sequence[Text], call: Callable[..., int]) -> npt.NDArray[np.float32]:
        data = [utf8(t) for t in texts]
        n = len(data)
        out = np.empty((n, self.dimension), dtype=np.float32)
        ptrs = (ctypes.c_char_p * max(n, 1))(*data)
        lens = (ctypes.c_size_t * max(n, 1))(*[len(d) for d in data])
        check(call(self._h, ptrs, lens, n, out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)), out.size))
        return out
