"""ONNX value infos, initializers and Constant nodes as .swl rows and numpy arrays."""

import numpy as np

from ..swl.layout import DTYPE_SIZES
from .errors import ConvertError, warn

ONNX_DTYPE_NAMES = {1: "float32", 10: "float16", 7: "int64", 6: "int32", 3: "int8", 2: "uint8", 9: "bool",
                    11: "float64", 4: "uint16", 5: "int16", 12: "uint32", 13: "uint64", 16: "bfloat16", 8: "string"}


def _dims(tt, fresh) -> list:
    shape = []
    for d in tt.shape.dim:
        if d.HasField("dim_value") and d.dim_value >= 0:
            shape.append(int(d.dim_value))  # (some exporters write -1 for "dynamic")
        elif d.HasField("dim_param") and d.dim_param and d.dim_param not in ("?", "-1", "None"):
            shape.append(d.dim_param)  # ("?" etc. mean "unknown", not a shared name)
        else:
            shape.append(fresh())
    return shape


def value_info(vi, kind: str, fresh) -> dict:
    """A graph input/output row; unknown dims get fresh symbolic names from `fresh()`."""
    t = vi.type
    if not t.HasField("tensor_type"):
        raise ConvertError(f"graph {kind} {vi.name!r} is not a tensor (sequence/map types are not supported)")
    tt = t.tensor_type
    dt = ONNX_DTYPE_NAMES.get(tt.elem_type, f"onnx-type-{tt.elem_type}")
    if dt not in DTYPE_SIZES:
        if dt == "float64":
            warn(f"graph {kind} {vi.name!r} is float64; the engine works in float32")
        else:
            raise ConvertError(f"graph {kind} {vi.name!r} has dtype {dt}, which .swl cannot represent")
    if not tt.HasField("shape"):
        if kind == "input":
            raise ConvertError(f"graph input {vi.name!r} has no shape (rank unknown); re-export with a shape")
        warn(f"graph output {vi.name!r} has no shape information; writing shape null")
        return {"name": vi.name, "dtype": dt, "shape": None}
    return {"name": vi.name, "dtype": dt, "shape": _dims(tt, fresh)}


def tensor_array(t) -> np.ndarray:
    from onnx import numpy_helper
    if t.data_type == 8:
        raise ConvertError(f"string tensor {t.name!r} is not supported")
    return np.asarray(numpy_helper.to_array(t))


def _sparse_array(sp) -> np.ndarray:
    from onnx import numpy_helper
    vals = numpy_helper.to_array(sp.values)
    idx = numpy_helper.to_array(sp.indices)
    dims = list(sp.dims)
    dense = np.zeros(int(np.prod(dims)) if dims else 1, dtype=vals.dtype)
    if idx.ndim == 2:
        idx = np.ravel_multi_index(tuple(idx.T), dims)
    dense[idx.reshape(-1)] = vals.reshape(-1)
    return dense.reshape(dims)


def constant_value(node) -> np.ndarray:
    if len(node.attribute) != 1:
        raise ConvertError(f"Constant node {node.name!r} has {len(node.attribute)} attributes, expected 1")
    a = node.attribute[0]
    if a.name == "value":
        return tensor_array(a.t)
    if a.name == "value_float":
        return np.array(a.f, dtype=np.float32)
    if a.name == "value_floats":
        return np.array(list(a.floats), dtype=np.float32)
    if a.name == "value_int":
        return np.array(a.i, dtype=np.int64)
    if a.name == "value_ints":
        return np.array(list(a.ints), dtype=np.int64)
    if a.name == "sparse_value":
        return _sparse_array(a.sparse_tensor)
    raise ConvertError(f"Constant node {node.name!r}: attribute {a.name!r} (string constants) is not supported")
