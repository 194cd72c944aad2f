"""Kept ONNX nodes as .swl JSON nodes, and the tensor table they reference."""

from typing import Any, Dict, List, Set, Tuple

import numpy as np

from ..swl.arrays import NP_TO_SWL
from .errors import ConvertError, warn
from .numbers import json_float
from .onnx_values import tensor_array


def live_nodes(nodes: list, output_names: Set[str]) -> Tuple[list, Set[str]]:
    """Dead-node elimination backwards from the graph outputs; returns (kept, live values)."""
    live = set(output_names)
    kept = []
    for n in reversed(nodes):
        if any(o in live for o in n.output if o):
            kept.append(n)
            live.update(i for i in n.input if i)
    kept.reverse()
    return kept, live


def _attribute(onnx, n, a, consts: Dict[str, np.ndarray], tensors: Dict[str, np.ndarray],
               attr_tensor_names: Set[str]) -> dict:
    A = onnx.AttributeProto
    if a.type == A.INT:
        return {"i": int(a.i)}
    if a.type == A.FLOAT:
        return {"f": json_float(a.f)}
    if a.type == A.STRING:
        return {"s": a.s.decode("utf-8", errors="strict")}
    if a.type == A.INTS:
        return {"ints": [int(x) for x in a.ints]}
    if a.type == A.FLOATS:
        return {"floats": [json_float(x) for x in a.floats]}
    if a.type == A.STRINGS:
        return {"strings": [x.decode("utf-8", errors="strict") for x in a.strings]}
    if a.type == A.TENSOR:
        # A tensor attribute becomes a named tensor; the name must not clash with a constant.
        tname = f"{n.name}.{a.name}"
        k = 1
        while tname in consts or tname in attr_tensor_names:
            tname = f"{n.name}.{a.name}_{k}"; k += 1
        attr_tensor_names.add(tname)
        tensors[tname] = tensor_array(a.t)
        return {"t": tname}
    raise ConvertError(f"node {n.name!r} ({n.op_type}): attribute {a.name!r} has unsupported "
                       f"type {onnx.AttributeProto.AttributeType.Name(a.type)}")


def json_nodes(onnx, kept: list, outputs: List[dict], consts: Dict[str, np.ndarray]
               ) -> Tuple[List[dict], Dict[str, np.ndarray]]:
    """The node list and the tensor table: only constants that are still referenced, in
    first-use order (constant graph outputs first)."""
    tensors: Dict[str, np.ndarray] = {}
    for o in outputs:
        if o["name"] in consts:
            tensors[o["name"]] = consts[o["name"]]
    nodes = []
    attr_tensor_names: Set[str] = set()
    for n in kept:
        for i in n.input:
            if i and i in consts and i not in tensors:
                tensors[i] = consts[i]
        attrs = {a.name: _attribute(onnx, n, a, consts, tensors, attr_tensor_names) for a in n.attribute}
        nodes.append({"name": n.name, "op": n.op_type, "inputs": list(n.input),
                      "outputs": list(n.output), "attrs": attrs})
    return nodes, tensors


def narrow_float64(kept: list, tensors: Dict[str, np.ndarray]) -> None:
    """float64 constants become float32 only where that cannot change the computation."""
    consumers: Dict[str, List[Any]] = {}
    for n in kept:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    for name in list(tensors):
        arr = tensors[name]
        if arr.dtype == np.float64:
            users = consumers.get(name, [])
            finite = arr[np.isfinite(arr)]
            fits = finite.size == 0 or np.abs(finite).max() <= np.finfo(np.float32).max
            only_cast = users and all(u.op_type == "Cast" and
                                      {x.name: x.i for x in u.attribute}.get("to") != 11 for u in users)
            if fits and only_cast:
                warn(f"float64 tensor {name!r} converted to float32 (only used by Cast to a non-double type)")
                tensors[name] = arr.astype(np.float32)
            else:
                raise ConvertError(f"tensor {name!r} is float64 and feeds "
                                   f"{', '.join(sorted({u.op_type for u in users})) or 'the outputs'}; "
                                   f"the graph computes in float64, which the engine does not support")
        elif arr.dtype not in NP_TO_SWL:
            raise ConvertError(f"tensor {name!r} has dtype {arr.dtype}, which .swl cannot represent")
