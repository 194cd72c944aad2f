"""Cross-encoder rerankers: a query and documents in, relevance scores out."""
from __future__ import annotations

import ctypes
from typing import List, NamedTuple, Sequence, Union

import numpy as np
import numpy.typing as npt

from ._abi import EmbedderOptions
from ._handle import Handle, PathLike, check, encode_path, lib, utf8

Text = Union[str, bytes]


class Ranked(NamedTuple):
    """A document's input position and score."""
    index: int
    score: float


class Reranker(Handle):
    """A cross-encoder: a .swl whose pipeline kind is "reranker".

    ``threads``: cores one call may use (0: all); ``batch_size``: pairs per forward pass (0: 32)::

        with Reranker("models/cross-encoder-random-minilm.swl") as r:
            for index, score in r.rerank("cheap flights", ["Flights from $99", "Baking bread"]):
                ...
    """

    _close = staticmethod(lambda h: lib.swiftlet_reranker_close(h))

    def __init__(self, path: PathLike, threads: int = 0, batch_size: int = 0) -> None:
        super().__init__()
        opts = EmbedderOptions(threads, batch_size)
        check(lib.swiftlet_reranker_open(encode_path(path), ctypes.byref(opts), ctypes.byref(self._h)))

    def score(self, query: Text, documents: Sequence[Text], raw: bool = False) -> npt.NDArray[np.float32]:
        """float32 [len(documents)] in input order: the model's scores (sigmoid of the logit when
        its config names one), or the logits with ``raw``."""
        q = utf8(query)
        data = [utf8(d) for d in documents]
        n = len(data)
        out = np.empty(n, dtype=np.float32)
        ptrs = (ctypes.c_char_p * max(n, 1))(*data)
        lens = (ctypes.c_size_t * max(n, 1))(*[len(d) for d in data])
        check(lib.swiftlet_reranker_score(self._h, q, len(q), ptrs, lens, n, 1 if raw else 0,
                                          out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)), n))
        return out

    def rerank(self, query: Text, documents: Sequence[Text], raw: bool = False) -> List[Ranked]:
        """The documents by score, highest first (ties: input order)."""
        s = self.score(query, documents, raw)
        return [Ranked(int(i), float(s[i])) for i in sorted(range(len(s)), key=lambda i: (-float(s[i]), i))]
