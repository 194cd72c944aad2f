"""Separately converted graphs put into one .swl graph (CLIP's towers, exported to two ONNX
files): each part's nodes, values and tensors get the part's own prefix, apart from the inputs
and outputs the caller names, so no value of one part can be read by another and exporter
names that both files use (`onnx::MatMul_123`, `/encoder/layers.0/...`) cannot clash."""

from typing import Dict, List, NamedTuple, Set, Tuple

import numpy as np

from .errors import ConvertError


class Part(NamedTuple):
    graph: dict
    tensors: Dict[str, np.ndarray]


def _renamer(prefix: str, keep: Dict[str, str]):
    def rename(v: str) -> str:
        if not v:  # an omitted optional input stays omitted
            return v
        return keep.get(v, prefix + v)
    return rename


def _dim_renamer(tag: str):
    """The converter's fresh names for unknown dims (unk_N) restart at 0 in each file; two
    parts' unk_0 are different dims."""
    def rename(d):
        return f"{tag}_{d}" if isinstance(d, str) and d.startswith("unk_") else d
    return rename


def prefixed(part: Part, prefix: str, keep: Dict[str, str]) -> Part:
    """`part` with every node, value and tensor name under `prefix`, except the values in
    `keep` (old name -> new name), which are renamed as given."""
    rename = _renamer(prefix, keep)
    dim = _dim_renamer(prefix.strip("/") or "part")
    nodes = []
    for n in part.graph["nodes"]:
        attrs = {k: ({"t": rename(a["t"])} if "t" in a else a) for k, a in n["attrs"].items()}
        nodes.append({"name": prefix + n["name"], "op": n["op"], "inputs": [rename(i) for i in n["inputs"]],
                      "outputs": [rename(o) for o in n["outputs"]], "attrs": attrs})

    def row(r: dict) -> dict:
        shape = r.get("shape")
        return {**r, "name": rename(r["name"]), "shape": None if shape is None else [dim(d) for d in shape]}

    graph = {**part.graph, "inputs": [row(r) for r in part.graph["inputs"]],
             "outputs": [row(r) for r in part.graph["outputs"]], "nodes": nodes}
    return Part(graph, {rename(k): v for k, v in part.tensors.items()})


def _tensor_refs(nodes: List[dict]) -> Set[str]:
    refs = {i for n in nodes for i in n["inputs"] if i}
    refs |= {a["t"] for n in nodes for a in n["attrs"].values() if "t" in a}
    return refs


def pruned(part: Part) -> Part:
    """Only what the graph's outputs need: nodes that reach no output, inputs no node reads
    and tensors nobody references are dropped (a tower exported with extra outputs, such as
    last_hidden_state, keeps only the one the pipeline reads)."""
    live = {o["name"] for o in part.graph["outputs"]}
    kept = []
    for n in reversed(part.graph["nodes"]):
        if any(o in live for o in n["outputs"] if o):
            kept.append(n)
            live.update(i for i in n["inputs"] if i)
    kept.reverse()
    refs = _tensor_refs(kept) | {o["name"] for o in part.graph["outputs"]}
    graph = {**part.graph, "nodes": kept, "inputs": [r for r in part.graph["inputs"] if r["name"] in live]}
    return Part(graph, {k: v for k, v in part.tensors.items() if k in refs})


def merged(parts: List[Tuple[str, Part]]) -> Part:
    """One graph holding every (label, part); the parts must already have disjoint names
    (see `prefixed`) and one opset, since an op's meaning can depend on it."""
    opsets = {label: p.graph["opset"] for label, p in parts}
    if len(set(opsets.values())) != 1:
        raise ConvertError("the graphs use different default-domain opsets ("
                           + ", ".join(f"{k} {v}" for k, v in opsets.items())
                           + "); export them with the same opset")
    graph = {"opset": parts[0][1].graph["opset"], "inputs": [], "outputs": [], "nodes": []}
    tensors: Dict[str, np.ndarray] = {}
    produced: Dict[str, str] = {}
    for label, p in parts:
        names = ([r["name"] for r in p.graph["inputs"]] + [o for n in p.graph["nodes"] for o in n["outputs"] if o]
                 + list(p.tensors))
        for v in names:
            if v in produced and produced[v] != label:
                raise ConvertError(f"value {v!r} is defined by both the {produced[v]} and the {label} graph")
            produced[v] = label
        for key in ("inputs", "outputs", "nodes"):
            graph[key] += p.graph[key]
        tensors.update(p.tensors)
    return Part(graph, tensors)
