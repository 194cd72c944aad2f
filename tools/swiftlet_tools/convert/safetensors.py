"""A safetensors reader on numpy alone (no torch, no safetensors package needed)."""

import json
import struct
from typing import Dict

import numpy as np

from .errors import ConvertError

_TYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64, "I32": np.int32,
          "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_}


def _read_header(path: str):
    with open(path, "rb") as f:
        raw8 = f.read(8)
        if len(raw8) < 8:
            raise ConvertError(f"{path}: not a safetensors file")
        n = struct.unpack("<Q", raw8)[0]
        try:
            return json.loads(f.read(n)), n
        except Exception:
            raise ConvertError(f"{path}: not a safetensors file (bad header)")


def _array(path: str, name: str, meta: dict, mm) -> np.ndarray:
    s, e = meta["data_offsets"]
    buf = np.asarray(mm[s:e])
    dt = meta["dtype"]
    if dt == "BF16":
        arr = (buf.view("<u2").astype(np.uint32) << 16).view(np.float32)
    elif dt in _TYPES:
        arr = buf.view(np.dtype(_TYPES[dt]).newbyteorder("<"))
    else:
        raise ConvertError(f"{path}: tensor {name!r} has unsupported dtype {dt}")
    arr = arr.reshape(meta["shape"])
    if arr.dtype in (np.float16, np.float64) or dt == "BF16":
        arr = arr.astype(np.float32)
    return np.ascontiguousarray(arr)


def load_safetensors(path: str) -> Dict[str, np.ndarray]:
    """Read a safetensors file into float32/int64 numpy arrays (bf16/f16 are widened)."""
    hdr, n = _read_header(path)
    mm = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + n)
    return {name: _array(path, name, meta, mm) for name, meta in hdr.items() if name != "__metadata__"}
