"""numpy arrays (and encoded weights) as .swl tensor entries."""

from typing import Dict, List, Union

import numpy as np

from .layout import DTYPE_SIZES, SwlError
from .quantize import EncodedTensor
from .writer import TensorEntry

NP_TO_SWL = {
    np.dtype(np.float32): "float32",
    np.dtype(np.float16): "float16",
    np.dtype(np.int64): "int64",
    np.dtype(np.int32): "int32",
    np.dtype(np.int8): "int8",
    np.dtype(np.uint8): "uint8",
    np.dtype(np.bool_): "bool",
}


def swl_dtype(arr: np.ndarray, what: str) -> str:
    dt = NP_TO_SWL.get(arr.dtype)
    if dt is None:
        raise SwlError(f"{what}: dtype {arr.dtype} is not representable in .swl "
                       f"(allowed: {', '.join(DTYPE_SIZES)})")
    return dt


def little_endian_bytes(arr: np.ndarray) -> bytes:
    data = np.ascontiguousarray(arr)
    if data.dtype.byteorder == ">":
        data = data.byteswap().view(data.dtype.newbyteorder("<"))
    return data.tobytes()


def tensor_entries(tensors: Dict[str, Union[np.ndarray, EncodedTensor]]) -> List[TensorEntry]:
    """Names that map to the same object (aliases) share one copy in the file. An
    EncodedTensor is a float32 weight in an encoded form (swl/quantize.py)."""
    entries = []
    done: Dict[int, bytes] = {}
    for name, arr in tensors.items():
        key = id(arr)
        if isinstance(arr, EncodedTensor):
            entries.append(TensorEntry(name, "float32", arr.shape, arr.data, key, arr.encoding, arr.scales))
            continue
        dt = swl_dtype(arr, f"tensor {name!r}")
        if key not in done:
            done[key] = little_endian_bytes(arr)
        entries.append(TensorEntry(name, dt, arr.shape, done[key], key))
    return entries
