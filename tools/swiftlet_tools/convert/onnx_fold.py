"""Constant folding of ONNX nodes at conversion time: Identity aliases, Shape/Size of
statically shaped values, and nodes whose inputs are all constants (onnx.reference)."""

from typing import Dict, List, Optional, Tuple

import numpy as np

from ..swl.arrays import NP_TO_SWL
from .errors import warn

FOLD_LIMIT_BYTES = 1 << 20  # fold constant results up to 1 MB (or no bigger than the inputs)

NONDETERMINISTIC = {"RandomNormal", "RandomNormalLike", "RandomUniform", "RandomUniformLike", "Multinomial",
                    "Bernoulli", "Dropout"}


def static_shapes(inferred) -> Dict[str, Tuple[int, ...]]:
    """Fully static shapes from ONNX shape inference."""
    shapes: Dict[str, Tuple[int, ...]] = {}
    for vi in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        tt = vi.type.tensor_type
        if vi.type.HasField("tensor_type") and tt.HasField("shape") and \
                all(d.HasField("dim_value") for d in tt.shape.dim):
            shapes[vi.name] = tuple(int(d.dim_value) for d in tt.shape.dim)
    return shapes


def _predicted_bytes(op: str, ins: List[np.ndarray]) -> Optional[int]:
    """Output size of ops that can blow up, computed before evaluating them."""
    try:
        if op == "ConstantOfShape":
            return int(np.prod(ins[0])) * 8
        if op in ("Expand",) and len(ins) >= 2:
            shp = np.broadcast_shapes(ins[0].shape, tuple(int(x) for x in ins[1]))
            return int(np.prod(shp)) * ins[0].itemsize
        if op == "Tile" and len(ins) >= 2:
            return int(np.prod(ins[0].shape) * np.prod(ins[1])) * ins[0].itemsize
        if op == "Range" and len(ins) == 3:
            n = max(int(np.ceil((float(ins[1]) - float(ins[0])) / float(ins[2]))), 0)
            return n * 8
    except Exception:
        return None
    return None


def _eval_node(node, ins: List[Optional[np.ndarray]], opset: int) -> List[np.ndarray]:
    from onnx.reference import ReferenceEvaluator
    # Give the evaluator a node whose inputs carry fixed names so that "" stays "".
    sess = ReferenceEvaluator(node, opsets={"": opset})
    feeds = {name: arr for name, arr in zip(node.input, ins) if name}
    outs = sess.run(None, feeds)
    return [np.asarray(o) for o in outs]


def _shape_value(n, shape: Tuple[int, ...]) -> np.ndarray:
    shp = np.array(shape, dtype=np.int64)
    if n.op_type == "Size":
        return np.array(int(np.prod(shp)), dtype=np.int64)
    a = {x.name: x.i for x in n.attribute}
    r = len(shp)
    s = a.get("start", 0); e = a.get("end", r)
    s = max(0, min(r, s + r if s < 0 else s)); e = max(0, min(r, e + r if e < 0 else e))
    return shp[s:e]


def _evaluate_constant_node(n, consts: Dict[str, np.ndarray], opset: int) -> bool:
    """Evaluates a node of constants unless its result would be big; True when folded."""
    in_arrs = [consts[i] if i else None for i in n.input]
    in_bytes = sum(a.nbytes for a in in_arrs if a is not None)
    pred = _predicted_bytes(n.op_type, [a for a in in_arrs if a is not None])
    limit = max(FOLD_LIMIT_BYTES, in_bytes)
    if pred is not None and pred > limit:
        return False
    try:
        outs = _eval_node(n, in_arrs, opset)
    except Exception as e:
        warn(f"could not fold node {n.name!r} ({n.op_type}): {e}; keeping it")
        return False
    out_bytes = sum(o.nbytes for o in outs)
    if out_bytes > limit or not all(o.dtype in NP_TO_SWL or o.dtype == np.float64 for o in outs):
        return False
    for name, o in zip(n.output, outs):
        if name:
            consts[name] = o
    return True


def fold_node(n, consts: Dict[str, np.ndarray], shapes: Dict[str, Tuple[int, ...]], opset: int) -> bool:
    """Folds `n` into `consts` when it can; True when the node is gone."""
    ins = [i for i in n.input if i]
    if n.op_type == "Identity" and ins and ins[0] in consts:
        consts[n.output[0]] = consts[ins[0]]  # alias: shares storage
        return True
    if n.op_type in ("Shape", "Size") and ins and ins[0] not in consts and ins[0] in shapes:
        consts[n.output[0]] = _shape_value(n, shapes[ins[0]])
        return True
    if ins and all(i in consts for i in ins) and n.op_type not in NONDETERMINISTIC:
        return _evaluate_constant_node(n, consts, opset)
    return False
