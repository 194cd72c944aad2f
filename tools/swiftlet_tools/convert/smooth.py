"""SmoothQuant (Xiao et al. 2022) as a graph rewrite, for --quantize int8.

Swift's int8 GEMM quantizes activations on the fly per row (and block of k), so a few
channels with large |x| waste the int8 range of every other channel of that row. Dividing
channel k of the activation by s_k and multiplying row k of the weight by s_k keeps x·W
but moves that range into the weight, which is quantized per output channel and tolerates
it better. The rewrite is `MatMul(x, W)` -> `MatMul(Mul(x, 1/s), diag(s)·W)`; Swift fuses
the Mul into its activation quantization (docs/FORMAT.md, "Quantized and float16 weights"),
and every other engine just evaluates it, so the graph means what it meant before."""

from typing import Dict, List, NamedTuple

import numpy as np

from .errors import ConvertError

S_MIN, S_MAX = 1e-4, 1e4  # keeps 1/s and s·W far from float32 underflow and overflow


class Site(NamedTuple):
    """A MatMul that may be smoothed: its node, its A input and its B weight [K, N]."""
    node: dict
    x: str
    weight: str


def sites(graph: dict, weights: set) -> List[Site]:
    """MatMuls whose B is one of `weights` (the ones int8 will encode) and that are the
    weight's only reader: scaling a shared weight would change its other readers."""
    readers: Dict[str, int] = {}
    for n in graph["nodes"]:
        for name in n["inputs"]:
            readers[name] = readers.get(name, 0) + 1
    out_names = {o["name"] for o in graph["outputs"]}
    return [Site(n, n["inputs"][0], n["inputs"][1]) for n in graph["nodes"]
            if n["op"] == "MatMul" and len(n["inputs"]) == 2 and n["inputs"][1] in weights
            and readers[n["inputs"][1]] == 1 and n["inputs"][1] not in out_names]


def smoothing_scales(x_max: np.ndarray, w: np.ndarray, alpha: float) -> np.ndarray:
    """s_k = max|x_k|^alpha / max_j|W[k, j]|^(1-alpha): alpha splits the range between the
    two sides (0.5: equal). A channel never seen active or a zero weight row has nothing to
    balance, so it keeps s = 1 rather than 0 or inf."""
    x_max = np.asarray(x_max, dtype=np.float64)
    w_max = np.abs(w.astype(np.float64)).max(axis=1)
    if x_max.shape != w_max.shape:
        raise ConvertError(f"calibration gave {x_max.shape[0]} activation channels for a weight "
                           f"with {w_max.shape[0]} rows")
    s = np.ones_like(w_max)
    ok = (x_max > 0) & (w_max > 0) & np.isfinite(x_max)
    s[ok] = x_max[ok] ** alpha / w_max[ok] ** (1.0 - alpha)
    return np.clip(s, S_MIN, S_MAX)


def smooth(graph: dict, tensors: Dict[str, np.ndarray], x_max: Dict[str, np.ndarray],
           alpha: float) -> int:
    """Rewrites, in place, every site in `x_max` (weight name -> max|x| per channel of its
    A input). Returns how many MatMuls were smoothed."""
    by_weight = {s.weight: s for s in sites(graph, set(x_max))}
    taken = {v for n in graph["nodes"] for v in [n["name"], *n["outputs"]]} | set(tensors)
    nodes: List[dict] = []
    count = 0
    for n in graph["nodes"]:
        site = by_weight.get(n["inputs"][1]) if n["op"] == "MatMul" and len(n["inputs"]) == 2 else None
        if site is not None and site.node is n:
            s = smoothing_scales(x_max[site.weight], tensors[site.weight], alpha).astype(np.float32)
            t_name = site.weight + ".smooth_inv"
            mul_name = n["name"] + "/smooth/Mul"
            clash = {t_name, mul_name, mul_name + "_output_0"} & taken
            if clash:
                raise ConvertError(f"cannot smooth {n['name']!r}: the name {sorted(clash)[0]!r} is taken")
            tensors[t_name] = (np.float32(1.0) / s).astype(np.float32)
            tensors[site.weight] = np.ascontiguousarray(tensors[site.weight] * s[:, None], dtype=np.float32)
            # One Mul per MatMul, even when Q/K/V read the same x: Swift fuses a Mul only
            # into a MatMul that is its sole reader.
            mul = {"name": mul_name, "op": "Mul", "inputs": [site.x, t_name],
                   "outputs": [mul_name + "_output_0"], "attrs": {}}
            nodes.append(mul)
            n["inputs"] = [mul["outputs"][0], site.weight]
            count += 1
        nodes.append(n)
    graph["nodes"] = nodes
    return count
