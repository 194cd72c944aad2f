"""Sparse (SPLADE) embedders: texts in, (vocabulary ids, weights) pairs out."""
from __future__ import annotations

import ctypes
from typing import List, NamedTuple, Optional, Sequence, Union

import numpy as np
import numpy.typing as npt

from ._abi import EmbedderOptions
from ._handle import Handle, PathLike, check, encode_path, lib, utf8

Text = Union[str, bytes]


class SparseVector(NamedTuple):
    """One text's non-zero weights: ``indices`` (uint32, vocabulary ids ascending) and ``values`` (float32)."""
    indices: npt.NDArray[np.uint32]
    values: npt.NDArray[np.float32]


class SparseEmbedder(Handle):
    """A sparse embedder: a .swl whose pipeline kind is "sparse-embedder" (SPLADE).

    ``threads``: cores one embed call may use (0: all); ``batch_size``: texts per
    forward pass (0: 32)::

        with SparseEmbedder("models/splade-tiny.swl", threads=2) as e:
            v = e.embed(["Hello world"])[0]     # v.indices, v.values
    """

    _close = staticmethod(lambda h: lib.swiftlet_sparse_embedder_close(h))

    def __init__(self, path: PathLike, threads: int = 0, batch_size: int = 0) -> None:
        super().__init__()
        opts = EmbedderOptions(threads, batch_size)
        check(lib.swiftlet_sparse_embedder_open(encode_path(path), ctypes.byref(opts), ctypes.byref(self._h)))
        dim = ctypes.c_size_t()
        check(lib.swiftlet_sparse_embedder_dimension(self._h, ctypes.byref(dim)))
        self.dimension: int = dim.value  # the vocabulary size the ids index into

    def embed(self, texts: Sequence[Text], top_k: Optional[int] = None) -> List[SparseVector]:
        """One SparseVector per text (str, or UTF-8 bytes), in input order; ``top_k`` keeps
        each text's k largest weights (ids still ascending)."""
        if top_k is not None and top_k < 1:
            raise ValueError("top_k must be at least 1")
        data = [utf8(t) for t in texts]
        n = len(data)
        ptrs = (ctypes.c_char_p * max(n, 1))(*data)
        lens = (ctypes.c_size_t * max(n, 1))(*[len(d) for d in data])
        result = ctypes.c_void_p()
        check(lib.swiftlet_sparse_embedder_embed(self._h, ptrs, lens, n, top_k or 0, ctypes.byref(result)))
        try:
            rows = []
            ids, vals, count = ctypes.POINTER(ctypes.c_uint32)(), ctypes.POINTER(ctypes.c_float)(), ctypes.c_size_t()
            for i in range(n):
                check(lib.swiftlet_sparse_result_row(result, i, ctypes.byref(ids), ctypes.byref(vals), ctypes.byref(count)))
                k = count.value
                rows.append(SparseVector(np.ctypeslib.as_array(ids, (k,)).copy() if k else np.zeros(0, np.uint32),
                                         np.ctypeslib.as_array(vals, (k,)).copy() if k else np.zeros(0, np.float32)))
            return rows
        finally:
            check(lib.swiftlet_sparse_result_free(result))
