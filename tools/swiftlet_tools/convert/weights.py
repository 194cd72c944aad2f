"""--quantize and --fp16: which float32 weights a route's graph stores encoded
(docs/FORMAT.md, "Quantized and float16 weights"), the self-check of every encoded tensor
against the format's error bound, and the summary. Runs after the route, on its output.

--quantize encodes two kinds of float32 tensors: MatMul/Gemm B weights, and large token-
embedding tables read only by Gather (rows looked up one at a time). With q4_0, --keep-q8
names tensors stored as Q8_0 instead (the ones Q4_0 costs too much accuracy), and
--quantize-table names Gather tables to encode below the size threshold."""

import fnmatch
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

import numpy as np

from ..swl.layout import SwlError
from ..swl.quantize import F16_MAX, EncodedTensor, decode, encode, error_bound, relative_errors
from .errors import ConvertError, info

QUANTIZE_KINDS = ("int8", "q8_0", "q4_0")
MIN_DIM = 32         # smaller matrices gain nothing and are the most sensitive
FP16_MIN_SIZE = 1024  # below this float16 saves less than the header row costs
# A Gather table (token embeddings) is quantized only from this many values on: it pays only
# where the table dominates the file. multilingual-e5-small's 250037x384 table (96M values,
# 384 MB of its 470 MB in float32) qualifies; all-MiniLM-L6-v2's 30522x384 (11.7M values)
# stays float32, as do position/type tables, so smaller models keep their exact embeddings.
GATHER_TABLE_MIN_SIZE = 32 * 2 ** 20

MATMUL = "MatMul/Gemm weight"
TABLE = "Gather table"


class WeightOptions(NamedTuple):
    quantize: Optional[str]
    fp16: bool
    keep_float: Sequence[str]
    verbose: bool
    keep_q8: Sequence[str] = ()         # with q4_0: these (tensor or consuming node names) get Q8_0
    quantize_table: Sequence[str] = ()  # Gather tables encoded whatever their size

    def active(self) -> bool:
        return bool(self.quantize or self.fp16)

    def provenance(self) -> dict:
        record: dict = {}
        if self.quantize:
            record["quantize"] = self.quantize
        if self.fp16:
            record["fp16"] = True
        if self.keep_float:
            record["keep_float"] = list(self.keep_float)
        if self.keep_q8:
            record["keep_q8"] = list(self.keep_q8)
        if self.quantize_table:
            record["quantize_table"] = list(self.quantize_table)
        return record


Use = Tuple[Optional[dict], int]  # (consuming node or None for a graph output, input index or -1)


def _uses(graph: dict) -> Dict[str, List[Use]]:
    uses: Dict[str, List[Use]] = {}
    for node in graph["nodes"]:
        for i, name in enumerate(node["inputs"]):
            if name:
                uses.setdefault(name, []).append((node, i))
        for v in node.get("attrs", {}).values():
            if "t" in v:
                uses.setdefault(v["t"], []).append((node, -1))
    for o in graph["outputs"]:
        uses.setdefault(o["name"], []).append((None, -1))
    return uses


def _weight_axes(uses: List[Use]):
    """(per-channel axis, block axis) when every use is the B input of MatMul/Gemm with one
    layout: MatMul and Gemm B are [K, N] (channels on 1, reduction on 0), Gemm transB=1 is
    [N, K]. Otherwise a string saying why not (None if no MatMul/Gemm reads it at all)."""
    axes = set()
    others = set()
    for node, i in uses:
        if node is not None and i == 1 and node["op"] in ("MatMul", "Gemm"):
            trans_b = node["op"] == "Gemm" and node.get("attrs", {}).get("transB", {}).get("i", 0)
            axes.add((0, 1) if trans_b else (1, 0))
        else:
            others.add("a graph output" if node is None else f"{node['op']} input {i}")
    if not axes:
        return None
    if others:
        return "also used as " + ", ".join(sorted(others))
    if len(axes) > 1:
        return "used both as [K, N] and (Gemm transB) [N, K]"
    return axes.pop()


def _table_axes(arr: np.ndarray, uses: List[Use], any_size: bool = False):
    """(int8 axis, block axis) = (0, 1) for a token-embedding table: >= GATHER_TABLE_MIN_SIZE
    values (any size when `any_size`: --quantize-table names it), rank 2, every use the data
    input (0) of a Gather along axis 0, so rows are read one at a time: int8 gets one scale per
    row, Q8_0/Q4_0 blocks run along each row (a row's blocks are contiguous and decode alone).
    Otherwise a string saying why not for a large (or named) tensor some Gather reads as its
    data, or None (small tables stay float32 silently)."""
    gathers = [node for node, i in uses if node is not None and node["op"] == "Gather" and i == 0]
    if not gathers or (arr.size < GATHER_TABLE_MIN_SIZE and not any_size):
        return None
    if arr.ndim != 2:
        return f"Gather table of rank {arr.ndim}, not 2"
    others = {"a graph output" if node is None else f"{node['op']} input {i}"
              for node, i in uses if node is None or node["op"] != "Gather" or i != 0}
    if others:
        return "Gather table also used as " + ", ".join(sorted(others))
    for node in gathers:
        axis = node.get("attrs", {}).get("axis", {}).get("i", 0)
        if axis % arr.ndim:
            return f"gathered along axis {axis}, not 0"
    return (0, 1)


def _kept_by(name: str, uses: List[Use], patterns: Sequence[str]) -> Optional[str]:
    targets = [name] + [node["name"] for node, _ in uses if node is not None]
    for p in patterns:
        if any(fnmatch.fnmatchcase(t, p) for t in targets):
            return p
    return None


def _quantize_refusal(arr: np.ndarray, kind: str, axes, role: str = MATMUL) -> Optional[str]:
    if arr.ndim != 2:
        return f"rank {arr.ndim}, not 2"
    if min(arr.shape) < MIN_DIM:
        return f"a dimension below {MIN_DIM}"
    if kind != "int8" and arr.shape[axes[1]] % 32:
        what = "row length" if role == TABLE else "reduction dimension"
        return f"{what} {arr.shape[axes[1]]} is not a multiple of 32"
    return None


def _fp16_refusal(arr: np.ndarray) -> Optional[str]:
    finite = np.isfinite(arr)
    if not finite.all():
        if np.isnan(arr).any():
            raise ConvertError("NaN among the values")
        return "holds Inf"
    if np.abs(arr).max() > F16_MAX:
        return f"values beyond float16's range (±{F16_MAX:g})"
    return None


class _Plan:
    """Per tensor: its new value, and for the summary what happened to it."""

    def __init__(self):
        self.tensors: Dict[str, object] = {}
        self.encoded: List[Tuple[str, np.ndarray, EncodedTensor, str]] = []  # ..., role
        self.kept: List[Tuple[str, str]] = []
        self._cache: Dict[Tuple[int, str, Optional[int]], EncodedTensor] = {}

    def encode(self, name: str, arr: np.ndarray, kind: str, axis: Optional[int], role: str) -> None:
        key = (id(arr), kind, axis)  # aliases of one array keep sharing one copy
        if key not in self._cache:
            try:
                self._cache[key] = encode(arr, kind, axis)
            except SwlError as e:
                raise ConvertError(f"tensor {name!r}: {e}")
        self.tensors[name] = self._cache[key]
        self.encoded.append((name, arr, self._cache[key], role))


def _choose(name: str, arr, uses: List[Use], opts: WeightOptions, plan: _Plan) -> None:
    if not isinstance(arr, np.ndarray) or arr.dtype != np.float32:
        plan.tensors[name] = arr
        return
    keep = _kept_by(name, uses, opts.keep_float)
    keep_why = f"--keep-float {keep}" if keep else None
    reasons: List[str] = []
    if opts.quantize:
        role, axes = MATMUL, _weight_axes(uses)
        if axes is None:
            role, axes = TABLE, _table_axes(arr, uses, _kept_by(name, uses, opts.quantize_table) is not None)
        if axes is not None:
            kind = "q8_0" if opts.quantize == "q4_0" and _kept_by(name, uses, opts.keep_q8) else opts.quantize
            why = axes if isinstance(axes, str) else (_quantize_refusal(arr, kind, axes, role) or keep_why)
            if why is None:
                plan.encode(name, arr, kind, axes[0] if kind == "int8" else axes[1], role)
                return
            reasons.append(why)
    if opts.fp16 and arr.size >= FP16_MIN_SIZE:
        try:
            why = keep_why or _fp16_refusal(arr)
        except ConvertError as e:
            raise ConvertError(f"tensor {name!r}: {e}")
        if why is None:
            plan.encode(name, arr, "float16", None, "tensor")
            return
        reasons.append(why if why == keep_why else f"float16: {why}")
    if reasons:
        plan.kept.append((name, "; ".join(dict.fromkeys(reasons))))
    plan.tensors[name] = arr


def _check_patterns_used(plan: _Plan, uses: Dict[str, List[Use]], opts: WeightOptions) -> None:
    """A --keep-q8 or --quantize-table pattern that selects nothing is a typo (or a model
    with other names): refused, rather than a file quietly quantized other than asked."""
    for flag, patterns, picked in (
            ("--keep-q8", opts.keep_q8, [n for n, _, e, _ in plan.encoded if e.encoding["type"] == "q8_0"]),
            ("--quantize-table", opts.quantize_table, [n for n, _, _, role in plan.encoded if role == TABLE])):
        for p in patterns:
            if not any(_kept_by(n, uses.get(n, []), [p]) for n in picked):
                why = [f"{n}: {r}" for n, r in plan.kept if _kept_by(n, uses.get(n, []), [p])]
                raise ConvertError(f"{flag} {p!r} matches no tensor that --quantize {opts.quantize} encodes"
                                   + (f" (kept float32: {'; '.join(why)})" if why else ""))


CHECK_CHUNK = 1 << 22  # values per slice of the self-check (float64 temporaries stay ~100 MB)


def _check_slices(shape, kind: str, axis: Optional[int]):
    """Index tuples cutting a tensor along an axis whose slices hold whole quantization groups
    (int8: each index along its axis is a channel; Q8_0/Q4_0: each line of the other axis
    holds its own blocks; float16: any), so a slice's error bound equals the whole one's."""
    if not shape:
        yield ()
        return
    cut = axis if kind == "int8" else (0 if axis is None else 1 - axis)
    step = max(1, CHECK_CHUNK * shape[cut] // max(1, int(np.prod(shape))))
    for start in range(0, shape[cut], step):
        yield tuple(slice(start, start + step) if d == cut else slice(None) for d in range(len(shape)))


def _self_check(plan: _Plan, verbose: bool) -> None:
    """Decode every encoded tensor and hold it to the format's bound, so a quantizer bug
    cannot reach a file. Slice by slice: a token-embedding table has ~10^8 values."""
    for name, arr, e, _ in plan.encoded:
        restored = decode(e.shape, e.encoding, e.data, e.scales)
        kind, axis = e.encoding["type"], e.encoding.get("axis")
        over, worst, err2, w2 = 0, 0.0, 0.0, 0.0
        for sl in _check_slices(arr.shape, kind, axis):
            a, r = arr[sl], restored[sl]
            diff = np.abs(a.astype(np.float64) - r)
            over += int((diff > error_bound(a, kind, axis)).sum())
            if verbose:
                worst = max(worst, relative_errors(a, r, kind, axis)[0])
                err2 += float((diff * diff).sum())
                w2 += float(np.square(a, dtype=np.float64).sum())
        if over:
            raise ConvertError(f"internal error: {name!r} decodes outside the {kind} error bound "
                               f"at {over} element(s)")
        if verbose:
            rms = float(np.sqrt(err2 / w2)) if w2 > 0 else 0.0
            info(f"  {name} {list(arr.shape)} {kind}{'' if axis is None else f' axis {axis}'}: "
                 f"worst error {worst:.2e} of its group's max|w|, rms {rms:.2e} of rms(w)")


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def _stored(v) -> int:
    return len(v.data) + len(v.scales or b"") if isinstance(v, EncodedTensor) else v.nbytes


def _unique(values):
    """Aliases (names of one object) are stored once, so they count once."""
    return list({id(v): v for v in values}.values())


def _summary(plan: _Plan, before: Dict[str, object], opts: WeightOptions) -> None:
    by_kind: Dict[Tuple[str, str], dict] = {}
    for _, arr, e, role in plan.encoded:
        by_kind.setdefault((e.encoding["type"], role), {})[id(e)] = (arr, e)
    for (kind, role), items in by_kind.items():
        was = sum(a.nbytes for a, _ in items.values())
        now = sum(_stored(e) for _, e in items.values())
        info(f"{kind}: {len(items)} {role}{'' if len(items) == 1 else 's'} encoded ({_mb(was)} -> {_mb(now)})")
    for name, why in plan.kept:
        info(f"  kept float32: {name} ({why})")
    info(f"weights: {_mb(sum(map(_stored, _unique(before.values()))))} -> "
         f"{_mb(sum(map(_stored, _unique(plan.tensors.values()))))}")
    if opts.quantize and not any(role == MATMUL for _, role in by_kind):
        info(f"warning: --quantize {opts.quantize} found no MatMul/Gemm weight to quantize")


def check_options(opts: WeightOptions) -> None:
    """Refuses contradictory flags (before any slow work)."""
    if opts.quantize and opts.quantize not in QUANTIZE_KINDS:
        raise ConvertError(f"--quantize {opts.quantize}: expected one of {', '.join(QUANTIZE_KINDS)}")
    if opts.keep_q8 and opts.quantize != "q4_0":
        raise ConvertError("--keep-q8 works with --quantize q4_0 only")
    if opts.quantize_table and not opts.quantize:
        raise ConvertError("--quantize-table only means something with --quantize")


def encode_weights(graph: dict, tensors: Dict[str, np.ndarray], opts: WeightOptions) -> Dict[str, object]:
    """The tensor table with the chosen weights replaced by EncodedTensor values."""
    check_options(opts)
    uses = _uses(graph)
    plan = _Plan()
    for name, arr in tensors.items():
        _choose(name, arr, uses.get(name, []), opts, plan)
    _check_patterns_used(plan, uses, opts)
    _self_check(plan, opts.verbose)
    _summary(plan, tensors, opts)
    return plan.tensors


def int8_weight_names(graph: dict, tensors: Dict[str, object], keep_float: Sequence[str]) -> set:
    """The names --quantize int8 will encode as MatMul/Gemm weights (what smoothing may
    rescale): the same choice as encode_weights, without encoding."""
    uses = _uses(graph)
    names = set()
    for name, arr in tensors.items():
        if isinstance(arr, np.ndarray) and arr.dtype == np.float32:
            u = uses.get(name, [])
            axes = _weight_axes(u)
            if (isinstance(axes, tuple) and _quantize_refusal(arr, "int8", axes) is None
                    and _kept_by(name, u, keep_float) is None):
                names.add(name)
    return names
