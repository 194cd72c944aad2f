"""Any .swl as a raw graph: numpy arrays in, numpy arrays out."""
from __future__ import annotations

import ctypes
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np
import numpy.typing as npt

from ._abi import DTYPE_CODES, DTYPES, MAX_RANK, SessionOptions, Tensor, ValueInfo
from ._handle import Handle, PathLike, check, encode_path, lib

# (name, dtype, dims); a dim is None where the graph leaves it symbolic.
IOInfo = Tuple[str, np.dtype, List[Optional[int]]]


class Session(Handle):
    """The graph of a .swl, run on named numpy arrays::

        with Session("models/all-MiniLM-L6-v2-onnx14.swl") as s:
            out = s.run({"input_ids": ids, "attention_mask": mask, "token_type_ids": types})

    ``inputs`` and ``outputs`` list (name, dtype, dims) of the graph's values."""

    _close = staticmethod(lambda h: lib.swiftlet_session_close(h))

    def __init__(self, path: PathLike, threads: int = 0) -> None:
        super().__init__()
        opts = SessionOptions(threads)
        check(lib.swiftlet_session_open(encode_path(path), ctypes.byref(opts), ctypes.byref(self._h)))
        self.inputs: List[IOInfo] = self._describe(0)
        self.outputs: List[IOInfo] = self._describe(1)

    def _describe(self, io: int) -> List[IOInfo]:
        n = ctypes.c_size_t()
        check(lib.swiftlet_session_io_count(self._h, io, ctypes.byref(n)))
        result = []
        for i in range(n.value):
            info = ValueInfo()
            check(lib.swiftlet_session_io_info(self._h, io, i, ctypes.byref(info)))
            dims = [info.dims[k] if info.dims[k] >= 0 else None for k in range(info.rank)]
            result.append((info.name.decode(), DTYPES[info.dtype], dims))
        return result

    def run(self, feeds: Mapping[str, npt.ArrayLike],
            outputs: Optional[Sequence[str]] = None) -> Dict[str, npt.NDArray[Any]]:
        """Runs the graph on every input by name; returns the outputs named in
        ``outputs`` (default: all, in the graph's order) as new arrays."""
        tensors, keep = [], []
        for name, value in feeds.items():
            a = np.ascontiguousarray(value)
            if a.dtype not in DTYPE_CODES:
                raise TypeError(f"input '{name}': dtype {a.dtype} is not supported")
            if a.ndim > MAX_RANK:
                raise ValueError(f"input '{name}': rank {a.ndim} exceeds {MAX_RANK}")
            shape = (ctypes.c_int64 * max(a.ndim, 1))(*a.shape)
            nm = name.encode()
            keep += [a, shape, nm]  # alive until the call returns
            tensors.append(Tensor(nm, DTYPE_CODES[a.dtype], a.ndim, shape, a.ctypes.data, a.nbytes))
        ins = (Tensor * max(len(tensors), 1))(*tensors)
        names = [o.encode() for o in outputs] if outputs else []
        out_names = (ctypes.c_char_p * len(names))(*names) if names else None
        result = ctypes.c_void_p()
        check(lib.swiftlet_session_run(self._h, ins, len(tensors), out_names, len(names), ctypes.byref(result)))
        try:
            count = ctypes.c_size_t()
            check(lib.swiftlet_tensors_count(result, ctypes.byref(count)))
            out = {}
            for i in range(count.value):
                t = Tensor()
                check(lib.swiftlet_tensors_get(result, i, ctypes.byref(t)))
                shape_out = tuple(t.shape[k] for k in range(t.rank))
                raw = ctypes.string_at(t.data, t.byte_count) if t.byte_count else b""
                out[t.name.decode()] = np.frombuffer(raw, dtype=DTYPES[t.dtype]).reshape(shape_out).copy()
            return out
        finally:
            check(lib.swiftlet_tensors_free(result))
