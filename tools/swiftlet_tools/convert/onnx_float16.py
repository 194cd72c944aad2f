"""float16 ONNX graphs (torch `model.half()` exports, issue 14 item 5) computed in float32.

An fp16 export has float16 initializers, float16 activations, Casts to FLOAT16 and, in
torch's LayerNorm decomposition, a float64 island (Cast to DOUBLE, Pow by a double 2.0, a
double epsilon, Cast back to FLOAT16). The engine computes in float32, so the ONNX route
rewrites such a graph before anything else reads it: every float16/float64 initializer,
Constant and ConstantOfShape value becomes float32, every Cast to FLOAT16 or DOUBLE becomes a
Cast to FLOAT, and every float16/float64 graph input, output and value_info is declared
float32. The result is the same graph computed in float32. Casts that are then float32 to
float32 are removed (a copy each, and they split torch's LayerNorm decomposition, which the
engine fuses only when it is whole).

Why at conversion and not as a pass in the engine: a `.swl` file only comes from this
converter, so doing it here covers every fp16 file; the float64 island cannot be carried
into a `.swl` at all (no float64 dtype); and the engine's fusions, constant folding and
Embedder then see an ordinary float32 graph with no new runtime code path. The rewrite is
recorded in the file's provenance (`float16_graph`), and float16 weights lose nothing
(every float16 value is exact in float32; `--fp16` stores them back as float16, losslessly).

Casts to FLOAT16 become plain Casts to FLOAT, not a rounding to float16. Measured on
all-MiniLM-L6-v2 (414 golden texts) against onnxruntime running the fp16 graph in fp16: the
float32 graph (onnxruntime on it, and Swiftlet) is at worst cosine 0.99999990, max |diff|
1.1e-4; the same graph rounding to float16 at each of the graph's Casts to FLOAT16 (the
LayerNorm outputs) is further away, 0.99999943 / 2.9e-4. torch's own fp16 model is at
0.9999981 / 3.1e-4 from that reference (golden/all-MiniLM-L6-v2-fp16/README.md).
"""

from typing import Any, Dict

import numpy as np

from .errors import info

FLOAT, FLOAT16, DOUBLE = 1, 10, 11
_NARROW = (FLOAT16, DOUBLE)


def _is_float16_graph(g) -> bool:
    """True when the graph computes in float16 anywhere (a float16 weight merely stored
    as such and Cast up would also be caught, which is harmless: same values)."""
    if any(t.data_type == FLOAT16 for t in g.initializer):
        return True
    for vi in list(g.input) + list(g.output):
        if vi.type.HasField("tensor_type") and vi.type.tensor_type.elem_type == FLOAT16:
            return True
    for n in g.node:
        if n.op_type == "Cast" and any(a.name == "to" and a.i == FLOAT16 for a in n.attribute):
            return True
        if n.op_type == "Constant" and any(a.name == "value" and a.t.data_type == FLOAT16 for a in n.attribute):
            return True
    return False


def _to_float32(onnx, t):
    numpy_helper = onnx.numpy_helper
    arr = numpy_helper.to_array(t).astype(np.float32)
    new = numpy_helper.from_array(arr, t.name)
    t.CopyFrom(new)


def _drop_identity_casts(onnx, model) -> int:
    """Removes the Casts to FLOAT whose input is already float32 after the rewrite (the
    export's casts around its float16/float64 islands): their readers read the input instead.
    Left in place they cost a copy each and split patterns the engine fuses (torch's
    LayerNorm decomposition has two). Types come from ONNX shape inference; a Cast whose
    input type is unknown, or whose output is a graph output, stays."""
    g = model.graph
    # Subgraphs may read a Cast's output by name from the outer scope: leave such graphs be.
    if any(a.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS) for n in g.node for a in n.attribute):
        return 0
    try:
        inferred = onnx.shape_inference.infer_shapes(model).graph
    except Exception:  # noqa: BLE001 (no inference: keep every Cast)
        return 0
    types = {t.name: t.data_type for t in g.initializer}
    for vi in list(inferred.input) + list(inferred.value_info) + list(inferred.output):
        if vi.type.HasField("tensor_type"):
            types.setdefault(vi.name, vi.type.tensor_type.elem_type)
    outputs = {o.name for o in g.output}
    rename, keep = {}, []
    for n in g.node:
        to = next((a.i for a in n.attribute if a.name == "to"), None)
        if (n.op_type == "Cast" and to == FLOAT and len(n.input) == 1 and len(n.output) == 1
                and types.get(n.input[0]) == FLOAT and n.output[0] not in outputs):
            rename[n.output[0]] = n.input[0]
        else:
            keep.append(n)
    if not rename:
        return 0

    def resolve(v):
        while v in rename:
            v = rename[v]
        return v

    for n in keep:
        for i, v in enumerate(n.input):
            if v in rename:
                n.input[i] = resolve(v)
    del g.node[:]
    g.node.extend(keep)
    return len(rename)


def promote_float16(onnx, model) -> Dict[str, Any]:
    """Rewrites `model` in place when it is a float16 graph; returns the provenance record
    ({} when the graph has no float16 computation)."""
    g = model.graph
    if not _is_float16_graph(g):
        return {}
    counts = {"initializers": 0, "constants": 0, "casts": 0, "values": 0}
    for t in g.initializer:
        if t.data_type in _NARROW:
            _to_float32(onnx, t)
            counts["initializers"] += 1
    for n in g.node:
        for a in n.attribute:
            if n.op_type in ("Constant", "ConstantOfShape") and a.name == "value" and a.t.data_type in _NARROW:
                _to_float32(onnx, a.t)
                counts["constants"] += 1
            elif n.op_type == "Cast" and a.name == "to" and a.i in _NARROW:
                a.i = FLOAT
                counts["casts"] += 1
            elif a.name in ("dtype", "to") and a.type == onnx.AttributeProto.INT and a.i in _NARROW:
                a.i = FLOAT  # EyeLike/RandomNormal-style dtype attributes
                counts["casts"] += 1
    for vi in list(g.input) + list(g.output) + list(g.value_info):
        if vi.type.HasField("tensor_type") and vi.type.tensor_type.elem_type in _NARROW:
            vi.type.tensor_type.elem_type = FLOAT
            counts["values"] += 1
    counts["identity_casts_removed"] = _drop_identity_casts(onnx, model)
    info(f"float16 graph computed in float32: {counts['initializers']} initializers and {counts['constants']} "
         f"constants widened, {counts['casts']} Casts to float16/float64 made Casts to float32 "
         f"({counts['identity_casts_removed']} of them, now float32 to float32, removed), "
         f"{counts['values']} declared values float32 (docs/FORMAT.md, 'float16 graphs')")
    return {"float16_graph": {"computed_in": "float32", "casts_to_float16_or_double": "cast to float32",
                              **counts}}
