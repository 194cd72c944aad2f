"""The --onnx route: a general ONNX graph carried over as it is (Constant nodes become
tensors, constant subgraphs are folded, dead nodes are dropped)."""

import os
from typing import Dict, List, Tuple

import numpy as np

from .errors import ConvertError, info, warn
from .onnx_float16 import promote_float16
from .onnx_gathernd import lower_gathernd
from .onnx_fold import fold_node, static_shapes
from .onnx_nodes import json_nodes, live_nodes, narrow_float64
from .onnx_values import constant_value, tensor_array, value_info


def _import_onnx():
    try:
        import onnx
        return onnx
    except ImportError:
        raise ConvertError("the onnx package is not installed (run tools/setup.sh)")


def _load(onnx, path: str):
    if not os.path.isfile(path):
        raise ConvertError(f"ONNX file not found: {path}")
    try:
        return onnx.load(path, load_external_data=True)
    except Exception as e:
        raise ConvertError(f"cannot read ONNX file {path}: {e}")


def _default_opset(model, path: str) -> int:
    opset = None
    for imp in model.opset_import:
        if imp.domain in ("", "ai.onnx"):
            opset = int(imp.version)
    if opset is None:
        raise ConvertError(f"{path}: no default-domain opset import")
    if not 11 <= opset <= 17:
        warn(f"default-domain opset {opset} is outside the tested range 11-17")
    return opset


def _name_nodes(g) -> None:
    """Unique node names; op_N for empty ones."""
    used = set()
    synth = 0
    for n in g.node:
        base = n.name
        if not base:
            base = f"op_{synth}"; synth += 1
        cand, k = base, 1
        while cand in used:
            cand = f"{base}_{k}"; k += 1
        used.add(cand)
        n.name = cand


def _check_supported(onnx, g) -> None:
    for n in g.node:
        if n.domain not in ("", "ai.onnx"):
            raise ConvertError(f"node {n.name!r} ({n.op_type}) is in domain {n.domain!r}; only the default "
                               f"ONNX domain is supported")
        for a in n.attribute:
            if a.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS):
                raise ConvertError(f"node {n.name!r} ({n.op_type}) has a subgraph attribute {a.name!r}; control "
                                   f"flow (If/Loop/Scan) is not supported")


def _initializers(g) -> Dict[str, np.ndarray]:
    consts = {t.name: tensor_array(t) for t in g.initializer}
    for t in g.sparse_initializer:
        raise ConvertError(f"sparse initializer {t.values.name!r} is not supported")
    return consts


def _infer_shapes(onnx, model):
    try:
        return onnx.shape_inference.infer_shapes(model, strict_mode=False)
    except Exception as e:
        warn(f"ONNX shape inference failed ({e})")
        return None


def _graph_io(g, init_names, inferred) -> Tuple[List[dict], List[dict]]:
    """Input and output rows; outputs without a shape take the inferred one."""
    counter = [0]

    def fresh():
        name = f"unk_{counter[0]}"; counter[0] += 1
        return name

    inferred_outputs = {vi.name: vi for vi in inferred.graph.output} if inferred is not None else {}
    inputs = [value_info(vi, "input", fresh) for vi in g.input if vi.name not in init_names]
    outputs = []
    for vi in g.output:
        if not vi.type.tensor_type.HasField("shape") and vi.name in inferred_outputs:
            vi = inferred_outputs[vi.name]
        outputs.append(value_info(vi, "output", fresh))
    return inputs, outputs


def _fold(g, consts, output_names, shapes, opset: int, fold: bool) -> Tuple[list, int]:
    """Constant nodes go into `consts`; with `fold`, so does everything computable now."""
    nodes = []
    folded = 0
    for n in g.node:
        if n.op_type == "Constant" and len(n.output) == 1 and n.output[0] not in output_names:
            consts[n.output[0]] = constant_value(n)
            continue
        if fold and not any(o in output_names for o in n.output) and fold_node(n, consts, shapes, opset):
            folded += 1
            continue
        nodes.append(n)
    return nodes, folded


def convert_onnx(path: str, fold: bool = True) -> Tuple[dict, Dict[str, np.ndarray], Dict[str, str], int, dict]:
    """Returns (graph, tensors, metadata, opset, extra provenance)."""
    onnx = _import_onnx()
    model = _load(onnx, path)
    g = model.graph
    opset = _default_opset(model, path)
    _name_nodes(g)
    _check_supported(onnx, g)
    promoted = promote_float16(onnx, model)
    lowered = lower_gathernd(onnx, model)
    if lowered:
        info(f"note: {lowered} GatherND lowered to Reshape + Gather on a linear index")
    consts = _initializers(g)
    inferred = _infer_shapes(onnx, model)
    inputs, outputs = _graph_io(g, set(consts), inferred)
    output_names = {o["name"] for o in outputs}
    shapes = static_shapes(inferred) if fold and inferred is not None else {}

    nodes, folded = _fold(g, consts, output_names, shapes, opset, fold)
    kept, live = live_nodes(nodes, output_names)
    nodes_json, tensors = json_nodes(onnx, kept, outputs, consts)
    narrow_float64(kept, tensors)

    unused_inputs = [i["name"] for i in inputs if i["name"] not in live]
    if unused_inputs:
        info(f"note: graph inputs not used by any node: {', '.join(unused_inputs)}")
    info(f"ONNX: {len(g.node)} nodes in, {len(nodes_json)} out ({folded} folded, {len(nodes) - len(kept)} dead, "
         f"Constant nodes turned into tensors), {len(tensors)} tensors")
    metadata = {p.key: p.value for p in model.metadata_props}
    graph = {"opset": opset, "inputs": inputs, "outputs": outputs, "nodes": nodes_json}
    return graph, tensors, metadata, opset, promoted
