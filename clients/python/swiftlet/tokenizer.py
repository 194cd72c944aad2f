"""The tokenizer stored in a .swl (HF tokenizer.json semantics, id-exact)."""
from __future__ import annotations

import ctypes
from typing import Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

from ._abi import STATUS_BUFFER_TOO_SMALL
from ._handle import Handle, PathLike, check, encode_path, lib, utf8

_I32P = ctypes.POINTER(ctypes.c_int32)


class Tokenizer(Handle):
    """The tokenizer of a .swl, with the model's truncation length."""

    _close = staticmethod(lambda h: lib.swiftlet_tokenizer_close(h))

    def __init__(self, path: PathLike) -> None:
        super().__init__()
        check(lib.swiftlet_tokenizer_open(encode_path(path), ctypes.byref(self._h)))

    def encode(self, text: Union[str, bytes], add_special_tokens: bool = True,
               max_length: Optional[int] = 0) -> Tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        """(ids, attention_mask) as int32 arrays. ``max_length`` 0: the model's own
        truncation length; None: no limit."""
        data = utf8(text)
        flags = 0 if add_special_tokens else 1
        limit = ctypes.c_size_t(-1).value if max_length is None else max_length
        count = ctypes.c_size_t()
        status = lib.swiftlet_tokenizer_encode(self._h, data, len(data), flags, limit, None, None, 0, ctypes.byref(count))
        if status not in (0, STATUS_BUFFER_TOO_SMALL):  # the size query answers "too small" with the size
            check(status)
        ids = np.empty(count.value, dtype=np.int32)
        mask = np.empty(count.value, dtype=np.int32)
        check(lib.swiftlet_tokenizer_encode(self._h, data, len(data), flags, limit, ids.ctypes.data_as(_I32P),
                                            mask.ctypes.data_as(_I32P), count.value, ctypes.byref(count)))
        return ids, mask

    def decode(self, ids: Union[Sequence[int], npt.NDArray[np.integer]], skip_special_tokens: bool = True) -> str:
        """The text of ids, as HF tokenizers' decode gives it."""
        arr = np.ascontiguousarray(ids, dtype=np.int32)
        flags = 0 if skip_special_tokens else 1
        length = ctypes.c_size_t()
        status = lib.swiftlet_tokenizer_decode(self._h, arr.ctypes.data_as(_I32P), arr.size, flags, None, 0,
                                               ctypes.byref(length))
        if status not in (0, STATUS_BUFFER_TOO_SMALL):
            check(status)
        buf = ctypes.create_string_buffer(length.value + 1)
        check(lib.swiftlet_tokenizer_decode(self._h, arr.ctypes.data_as(_I32P), arr.size, flags, buf, len(buf),
                                            ctypes.byref(length)))
        return buf.raw[:length.value].decode("utf-8")
