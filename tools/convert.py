#!/usr/bin/env python3
"""Convert a model into Swiftlet's single-file `.swl` format (docs/FORMAT.md).

Two routes:

  python tools/convert.py --onnx FILE.onnx [--tokenizer tokenizer.json] [--pipeline p.json] --out OUT.swl
  python tools/convert.py --hf-dir DIR [--tokenizer FILE] [--pipeline p.json] --out OUT.swl
  python tools/convert.py --model2vec DIR [--pipeline p.json] --out OUT.swl

The ONNX route carries a general ONNX graph over (Constant nodes become
tensors, constant subgraphs are folded, dead nodes are dropped). The hf-dir
route reads a Hugging Face BERT-family checkpoint (safetensors) and builds the
encoder graph itself from a small set of standard ONNX ops. The model2vec route
stores a Model2Vec static model's lookup tables (no graph nodes; see FORMAT.md).

Dependencies: numpy, onnx, safetensors. No torch, no onnxruntime.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import struct
import sys
from typing import Any, Dict, List, Optional, Tuple

CONVERTER = "swiftlet-convert 1"
CONVERTER_VERSION = "1.0.0"
FORMAT_VERSION = 1
MAGIC = b"SWLT"
ALIGN = 64
FOLD_LIMIT_BYTES = 1 << 20  # fold constant results up to 1 MB (or no bigger than the inputs)

DTYPE_SIZES = {"float32": 4, "float16": 2, "int64": 8, "int32": 4, "int8": 1, "uint8": 1, "bool": 1}


class ConvertError(Exception):
    """A user-facing error: printed without a traceback."""


def warn(msg: str) -> None:
    print(f"convert: warning: {msg}", file=sys.stderr)


def info(msg: str) -> None:
    print(f"convert: {msg}", file=sys.stderr)


def _import_numpy():
    try:
        import numpy as np  # noqa: F401
        return np
    except ImportError:
        raise ConvertError("numpy is not installed (run tools/setup.sh or pip install -r tools/requirements.txt)")


np = _import_numpy()

NP_TO_SWL = {
    np.dtype(np.float32): "float32",
    np.dtype(np.float16): "float16",
    np.dtype(np.int64): "int64",
    np.dtype(np.int32): "int32",
    np.dtype(np.int8): "int8",
    np.dtype(np.uint8): "uint8",
    np.dtype(np.bool_): "bool",
}


def swl_dtype(arr: "np.ndarray", what: str) -> str:
    dt = NP_TO_SWL.get(arr.dtype)
    if dt is None:
        raise ConvertError(f"{what}: dtype {arr.dtype} is not representable in .swl "
                           f"(allowed: {', '.join(DTYPE_SIZES)})")
    return dt


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def json_float(x: float) -> float:
    """Shortest decimal that round-trips to the same float32 (ONNX attrs are float32)."""
    if not math.isfinite(x):
        raise ConvertError(f"non-finite float attribute value {x} cannot be written as JSON")
    return float(str(np.float32(x)))


def align_up(n: int, a: int = ALIGN) -> int:
    return (n + a - 1) // a * a


# --------------------------------------------------------------------------------------
# Writer + self-check
# --------------------------------------------------------------------------------------

def write_swl(path: str, graph: dict, tensors: "Dict[str, np.ndarray]", blobs: Dict[str, bytes],
              pipeline: dict, metadata: Dict[str, str], provenance: dict) -> dict:
    """Write the file; tensors that are the same ndarray object share storage."""
    # Data layout (relative to the data region start): tensors first, then blobs.
    rel = 0
    seen: Dict[int, Tuple[int, int]] = {}
    payloads: List[Tuple[int, bytes]] = []
    tensor_rows = []
    for name, arr in tensors.items():
        dt = swl_dtype(arr, f"tensor {name!r}")
        key = id(arr)
        if key in seen:
            off, length = seen[key]
        else:
            data = np.ascontiguousarray(arr)
            if data.dtype.byteorder == ">":
                data = data.byteswap().view(data.dtype.newbyteorder("<"))
            raw = data.tobytes()
            off, length = rel, len(raw)
            payloads.append((off, raw))
            rel = align_up(rel + length)
            seen[key] = (off, length)
        tensor_rows.append({"name": name, "dtype": dt, "shape": [int(d) for d in arr.shape],
                            "offset": off, "length": length})
    blob_rows = {}
    for name, raw in blobs.items():
        off = rel
        payloads.append((off, raw))
        blob_rows[name] = {"offset": off, "length": len(raw)}
        rel = align_up(rel + len(raw))

    header = {
        "format_version": FORMAT_VERSION,
        "graph": graph,
        "tensors": tensor_rows,
        "blobs": blob_rows,
        "pipeline": pipeline,
        "metadata": metadata,
        "provenance": provenance,
    }

    # Offsets in the header are absolute file offsets; the header length depends on
    # them, so iterate until the data start is stable.
    rel_t = [r["offset"] for r in tensor_rows]
    rel_b = {n: r["offset"] for n, r in blob_rows.items()}
    data_start = align_up(16 + 1024)
    for _ in range(16):
        for r, o in zip(tensor_rows, rel_t):
            r["offset"] = o + data_start
        for n, r in blob_rows.items():
            r["offset"] = rel_b[n] + data_start
        hbytes = json.dumps(header, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")
        need = align_up(16 + len(hbytes))
        if need == data_start:
            break
        data_start = need
    else:  # pragma: no cover
        raise ConvertError("internal error: header layout did not converge")

    tmp = path + ".tmp"
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(tmp, "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<I", FORMAT_VERSION))
        f.write(struct.pack("<Q", len(hbytes)))
        f.write(hbytes)
        pos = 16 + len(hbytes)
        for off, raw in payloads:
            target = data_start + off
            f.write(b"\0" * (target - pos))
            f.write(raw)
            pos = target + len(raw)
        f.write(b"\0" * (align_up(pos) - pos))
    os.replace(tmp, path)
    return header


def read_swl_header(path: str) -> Tuple[dict, int, int]:
    """Return (header, version, file size). Raises ConvertError on a malformed prefix."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        pre = f.read(16)
        if len(pre) < 16 or pre[:4] != MAGIC:
            raise ConvertError(f"{path}: not a .swl file (magic {pre[:4]!r}, expected {MAGIC!r})")
        version = struct.unpack("<I", pre[4:8])[0]
        hlen = struct.unpack("<Q", pre[8:16])[0]
        if 16 + hlen > size:
            raise ConvertError(f"{path}: header length {hlen} runs past the end of the file ({size} bytes)")
        header = json.loads(f.read(hlen).decode("utf-8"))
    return header, version, size


def verify_swl(path: str, tensors: "Optional[Dict[str, np.ndarray]]" = None,
               blobs: Optional[Dict[str, bytes]] = None) -> List[str]:
    """Re-open a written file and check it against FORMAT.md. Returns a list of problems."""
    problems = []
    header, version, size = read_swl_header(path)
    if version != FORMAT_VERSION:
        problems.append(f"format version {version} != {FORMAT_VERSION}")
    if header.get("format_version") != version:
        problems.append("header format_version does not match the binary version")
    with open(path, "rb") as f:
        hlen = struct.unpack("<Q", f.read(16)[8:16])[0]
    data_start = align_up(16 + hlen)
    names = set()
    ranges = []
    for row in header.get("tensors", []):
        n = row["name"]
        if n in names:
            problems.append(f"duplicate tensor name {n!r}")
        names.add(n)
        if row["dtype"] not in DTYPE_SIZES:
            problems.append(f"tensor {n!r}: bad dtype {row['dtype']}")
            continue
        count = 1
        for d in row["shape"]:
            if not isinstance(d, int) or d < 0:
                problems.append(f"tensor {n!r}: bad shape {row['shape']}")
            count *= d if isinstance(d, int) else 0
        if row["length"] != count * DTYPE_SIZES[row["dtype"]]:
            problems.append(f"tensor {n!r}: length {row['length']} != product(shape)*sizeof")
        ranges.append((n, row["offset"], row["length"]))
    for n, row in header.get("blobs", {}).items():
        ranges.append((f"blob {n}", row["offset"], row["length"]))
    for n, off, length in ranges:
        if off % ALIGN:
            problems.append(f"{n}: offset {off} not {ALIGN}-byte aligned")
        if off < data_start or off + length > size:
            problems.append(f"{n}: range [{off}, {off + length}) outside the data region [{data_start}, {size})")
    # Graph references.
    g = header.get("graph", {})
    known = set(names) | {i["name"] for i in g.get("inputs", [])}
    for node in g.get("nodes", []):
        for i in node["inputs"]:
            if i and i not in known:
                problems.append(f"node {node['name']!r}: input {i!r} is not defined before use")
        for k, v in node.get("attrs", {}).items():
            if "t" in v and v["t"] not in names:
                problems.append(f"node {node['name']!r}: tensor attribute {k} names missing tensor {v['t']!r}")
        known.update(o for o in node["outputs"] if o)
    for o in g.get("outputs", []):
        if o["name"] not in known:
            problems.append(f"graph output {o['name']!r} is never produced")
    # Content check against what we meant to write.
    if tensors is not None or blobs is not None:
        with open(path, "rb") as f:
            import mmap
            mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            try:
                rows = {r["name"]: r for r in header["tensors"]}
                for n, arr in (tensors or {}).items():
                    r = rows.get(n)
                    if r is None:
                        problems.append(f"tensor {n!r} missing from the table")
                        continue
                    want = np.ascontiguousarray(arr).tobytes()
                    if mm[r["offset"]:r["offset"] + r["length"]] != want:
                        problems.append(f"tensor {n!r}: bytes differ from the source")
                for n, raw in (blobs or {}).items():
                    r = header["blobs"].get(n)
                    if r is None or mm[r["offset"]:r["offset"] + r["length"]] != raw:
                        problems.append(f"blob {n!r}: bytes differ from the source")
            finally:
                mm.close()
    return problems


# --------------------------------------------------------------------------------------
# ONNX route
# --------------------------------------------------------------------------------------

def _import_onnx():
    try:
        import onnx  # noqa: F401
        from onnx import numpy_helper  # noqa: F401
        return onnx
    except ImportError:
        raise ConvertError("the onnx package is not installed (run tools/setup.sh)")


ONNX_DTYPE_NAMES = {1: "float32", 10: "float16", 7: "int64", 6: "int32", 3: "int8", 2: "uint8", 9: "bool",
                    11: "float64", 4: "uint16", 5: "int16", 12: "uint32", 13: "uint64", 16: "bfloat16", 8: "string"}

NONDETERMINISTIC = {"RandomNormal", "RandomNormalLike", "RandomUniform", "RandomUniformLike", "Multinomial",
                    "Bernoulli", "Dropout"}


def _value_info(vi, kind: str, fresh) -> dict:
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
    shape = []
    for d in tt.shape.dim:
        if d.HasField("dim_value") and d.dim_value >= 0:
            shape.append(int(d.dim_value))  # (some exporters write -1 for "dynamic")
        elif d.HasField("dim_param") and d.dim_param and d.dim_param not in ("?", "-1", "None"):
            shape.append(d.dim_param)  # ("?" etc. mean "unknown", not a shared name)
        else:
            shape.append(fresh())
    return {"name": vi.name, "dtype": dt, "shape": shape}


def _attr_array(onnx, t) -> "np.ndarray":
    from onnx import numpy_helper
    if t.data_type == 8:
        raise ConvertError(f"string tensor {t.name!r} is not supported")
    return np.asarray(numpy_helper.to_array(t))


def _constant_value(onnx, node) -> "np.ndarray":
    from onnx import numpy_helper
    if len(node.attribute) != 1:
        raise ConvertError(f"Constant node {node.name!r} has {len(node.attribute)} attributes, expected 1")
    a = node.attribute[0]
    if a.name == "value":
        return _attr_array(onnx, a.t)
    if a.name == "value_float":
        return np.array(a.f, dtype=np.float32)
    if a.name == "value_floats":
        return np.array(list(a.floats), dtype=np.float32)
    if a.name == "value_int":
        return np.array(a.i, dtype=np.int64)
    if a.name == "value_ints":
        return np.array(list(a.ints), dtype=np.int64)
    if a.name == "sparse_value":
        sp = a.sparse_tensor
        vals = numpy_helper.to_array(sp.values)
        idx = numpy_helper.to_array(sp.indices)
        dims = list(sp.dims)
        dense = np.zeros(int(np.prod(dims)) if dims else 1, dtype=vals.dtype)
        if idx.ndim == 2:
            idx = np.ravel_multi_index(tuple(idx.T), dims)
        dense[idx.reshape(-1)] = vals.reshape(-1)
        return dense.reshape(dims)
    raise ConvertError(f"Constant node {node.name!r}: attribute {a.name!r} (string constants) is not supported")


def _predicted_bytes(op: str, ins: List["np.ndarray"]) -> Optional[int]:
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


def _eval_node(onnx, node, ins: List[Optional["np.ndarray"]], opset: int) -> List["np.ndarray"]:
    from onnx.reference import ReferenceEvaluator
    # Give the evaluator a node whose inputs carry fixed names so that "" stays "".
    sess = ReferenceEvaluator(node, opsets={"": opset})
    feeds = {name: arr for name, arr in zip(node.input, ins) if name}
    outs = sess.run(None, feeds)
    return [np.asarray(o) for o in outs]


def convert_onnx(path: str, fold: bool = True) -> Tuple[dict, "Dict[str, np.ndarray]", Dict[str, str], int]:
    onnx = _import_onnx()
    from onnx import numpy_helper
    if not os.path.isfile(path):
        raise ConvertError(f"ONNX file not found: {path}")
    try:
        model = onnx.load(path, load_external_data=True)
    except Exception as e:
        raise ConvertError(f"cannot read ONNX file {path}: {e}")
    g = model.graph

    opset = None
    for imp in model.opset_import:
        if imp.domain in ("", "ai.onnx"):
            opset = int(imp.version)
    if opset is None:
        raise ConvertError(f"{path}: no default-domain opset import")
    if not 11 <= opset <= 17:
        warn(f"default-domain opset {opset} is outside the tested range 11-17")

    # Unique node names; synthesize op_N for empty ones.
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

    for n in g.node:
        if n.domain not in ("", "ai.onnx"):
            raise ConvertError(f"node {n.name!r} ({n.op_type}) is in domain {n.domain!r}; only the default "
                               f"ONNX domain is supported")
        for a in n.attribute:
            if a.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS):
                raise ConvertError(f"node {n.name!r} ({n.op_type}) has a subgraph attribute {a.name!r}; control "
                                   f"flow (If/Loop/Scan) is not supported")

    consts: Dict[str, np.ndarray] = {}
    for t in g.initializer:
        consts[t.name] = _attr_array(onnx, t)
    for t in g.sparse_initializer:
        raise ConvertError(f"sparse initializer {t.values.name!r} is not supported")

    fresh_counter = [0]

    def fresh():
        name = f"unk_{fresh_counter[0]}"; fresh_counter[0] += 1
        return name

    init_names = set(consts)
    inferred_outputs = {}
    try:
        inferred = onnx.shape_inference.infer_shapes(model, strict_mode=False)
        inferred_outputs = {vi.name: vi for vi in inferred.graph.output}
    except Exception as e:
        inferred = None
        warn(f"ONNX shape inference failed ({e})")
    inputs = [_value_info(vi, "input", fresh) for vi in g.input if vi.name not in init_names]
    outputs = []
    for vi in g.output:
        if not vi.type.tensor_type.HasField("shape") and vi.name in inferred_outputs:
            vi = inferred_outputs[vi.name]
        outputs.append(_value_info(vi, "output", fresh))
    output_names = {o["name"] for o in outputs}

    # Static shapes from ONNX shape inference (used to fold Shape/Size of static values).
    static_shapes: Dict[str, Tuple[int, ...]] = {}
    if fold and inferred is not None:
        for vi in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
            tt = vi.type.tensor_type
            if vi.type.HasField("tensor_type") and tt.HasField("shape") and \
                    all(d.HasField("dim_value") for d in tt.shape.dim):
                static_shapes[vi.name] = tuple(int(d.dim_value) for d in tt.shape.dim)

    nodes = []
    folded = 0
    for n in g.node:
        if n.op_type == "Constant" and len(n.output) == 1 and n.output[0] not in output_names:
            consts[n.output[0]] = _constant_value(onnx, n)
            continue
        ins = [i for i in n.input if i]
        if fold and not any(o in output_names for o in n.output):
            if n.op_type == "Identity" and ins and ins[0] in consts:
                consts[n.output[0]] = consts[ins[0]]  # alias: shares storage
                folded += 1
                continue
            if n.op_type in ("Shape", "Size") and ins and ins[0] not in consts and ins[0] in static_shapes:
                shp = np.array(static_shapes[ins[0]], dtype=np.int64)
                if n.op_type == "Size":
                    consts[n.output[0]] = np.array(int(np.prod(shp)), dtype=np.int64)
                else:
                    a = {x.name: x.i for x in n.attribute}
                    r = len(shp)
                    s = a.get("start", 0); e = a.get("end", r)
                    s = max(0, min(r, s + r if s < 0 else s)); e = max(0, min(r, e + r if e < 0 else e))
                    consts[n.output[0]] = shp[s:e]
                folded += 1
                continue
            if ins and all(i in consts for i in ins) and n.op_type not in NONDETERMINISTIC:
                in_arrs = [consts[i] if i else None for i in n.input]
                in_bytes = sum(a.nbytes for a in in_arrs if a is not None)
                pred = _predicted_bytes(n.op_type, [a for a in in_arrs if a is not None])
                limit = max(FOLD_LIMIT_BYTES, in_bytes)
                if pred is None or pred <= limit:
                    try:
                        outs = _eval_node(onnx, n, in_arrs, opset)
                    except Exception as e:
                        warn(f"could not fold node {n.name!r} ({n.op_type}): {e}; keeping it")
                        outs = None
                    if outs is not None:
                        out_bytes = sum(o.nbytes for o in outs)
                        if out_bytes <= limit and all(o.dtype in NP_TO_SWL or o.dtype == np.float64 for o in outs):
                            for name, o in zip(n.output, outs):
                                if name:
                                    consts[name] = o
                            folded += 1
                            continue
        nodes.append(n)

    # Dead-node elimination (backwards from the graph outputs).
    live = set(output_names)
    kept = []
    for n in reversed(nodes):
        if any(o in live for o in n.output if o):
            kept.append(n)
            live.update(i for i in n.input if i)
    kept.reverse()
    removed = len(nodes) - len(kept)

    # Tensor table: only constants that are still referenced.
    tensors: Dict[str, np.ndarray] = {}
    for o in outputs:
        if o["name"] in consts:
            tensors[o["name"]] = consts[o["name"]]

    def use_tensor(name: str):
        if name in consts and name not in tensors:
            tensors[name] = consts[name]

    json_nodes = []
    attr_tensor_names = set()
    for n in kept:
        for i in n.input:
            if i:
                use_tensor(i)
        attrs = {}
        for a in n.attribute:
            A = onnx.AttributeProto
            if a.type == A.INT:
                attrs[a.name] = {"i": int(a.i)}
            elif a.type == A.FLOAT:
                attrs[a.name] = {"f": json_float(a.f)}
            elif a.type == A.STRING:
                attrs[a.name] = {"s": a.s.decode("utf-8", errors="strict")}
            elif a.type == A.INTS:
                attrs[a.name] = {"ints": [int(x) for x in a.ints]}
            elif a.type == A.FLOATS:
                attrs[a.name] = {"floats": [json_float(x) for x in a.floats]}
            elif a.type == A.STRINGS:
                attrs[a.name] = {"strings": [x.decode("utf-8", errors="strict") for x in a.strings]}
            elif a.type == A.TENSOR:
                tname = f"{n.name}.{a.name}"
                k = 1
                while tname in consts or tname in attr_tensor_names:
                    tname = f"{n.name}.{a.name}_{k}"; k += 1
                attr_tensor_names.add(tname)
                tensors[tname] = _attr_array(onnx, a.t)
                attrs[a.name] = {"t": tname}
            else:
                raise ConvertError(f"node {n.name!r} ({n.op_type}): attribute {a.name!r} has unsupported "
                                   f"type {onnx.AttributeProto.AttributeType.Name(a.type)}")
        json_nodes.append({"name": n.name, "op": n.op_type, "inputs": list(n.input),
                           "outputs": list(n.output), "attrs": attrs})

    # float64 constants: convert only where it cannot change the computation.
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

    unused_inputs = [i["name"] for i in inputs if i["name"] not in live]
    if unused_inputs:
        info(f"note: graph inputs not used by any node: {', '.join(unused_inputs)}")

    info(f"ONNX: {len(g.node)} nodes in, {len(json_nodes)} out ({folded} folded, {removed} dead, "
         f"Constant nodes turned into tensors), {len(tensors)} tensors")
    metadata = {p.key: p.value for p in model.metadata_props}
    graph = {"opset": opset, "inputs": inputs, "outputs": outputs, "nodes": json_nodes}
    return graph, tensors, metadata, opset


# --------------------------------------------------------------------------------------
# hf-dir route (BERT family from safetensors)
# --------------------------------------------------------------------------------------

BERT_PREFIXES = ("", "bert.", "roberta.", "xlm_roberta.", "xlm-roberta.", "model.", "encoder_model.")


def load_safetensors(path: str) -> "Dict[str, np.ndarray]":
    """Read a safetensors file into float32/int64 numpy arrays (bf16/f16 are widened)."""
    with open(path, "rb") as f:
        raw8 = f.read(8)
        if len(raw8) < 8:
            raise ConvertError(f"{path}: not a safetensors file")
        n = struct.unpack("<Q", raw8)[0]
        try:
            hdr = json.loads(f.read(n))
        except Exception:
            raise ConvertError(f"{path}: not a safetensors file (bad header)")
    mm = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + n)
    types = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64, "I32": np.int32,
             "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_}
    out = {}
    for name, meta in hdr.items():
        if name == "__metadata__":
            continue
        s, e = meta["data_offsets"]
        buf = np.asarray(mm[s:e])
        dt = meta["dtype"]
        if dt == "BF16":
            arr = (buf.view("<u2").astype(np.uint32) << 16).view(np.float32)
        elif dt in types:
            arr = buf.view(np.dtype(types[dt]).newbyteorder("<"))
        else:
            raise ConvertError(f"{path}: tensor {name!r} has unsupported dtype {dt}")
        arr = arr.reshape(meta["shape"])
        if arr.dtype in (np.float16, np.float64) or dt == "BF16":
            arr = arr.astype(np.float32)
        out[name] = np.ascontiguousarray(arr)
    return out


class GraphBuilder:
    def __init__(self):
        self.nodes: List[dict] = []
        self.tensors: Dict[str, np.ndarray] = {}
        self.names = set()
        self.counter = 0

    def const(self, name: str, arr) -> str:
        arr = np.asarray(arr)
        assert name not in self.tensors, name
        self.tensors[name] = np.array(arr, order="C")  # (ascontiguousarray would turn scalars 1-D)
        return name

    def op(self, op: str, inputs: List[str], name: str, attrs: Optional[dict] = None, n_out: int = 1):
        assert name not in self.names, name
        self.names.add(name)
        outs = [f"{name}_output_{i}" for i in range(n_out)]
        self.nodes.append({"name": name, "op": op, "inputs": inputs, "outputs": outs, "attrs": attrs or {}})
        return outs[0] if n_out == 1 else outs


def _read_json(path: str, what: str) -> Any:
    try:
        with open(path, "rb") as f:
            return json.loads(f.read().decode("utf-8"))
    except FileNotFoundError:
        raise ConvertError(f"{what} not found: {path}")
    except (ValueError, UnicodeDecodeError) as e:
        raise ConvertError(f"{what} {path} is not valid JSON: {e}")


def convert_hf_dir(d: str, sources: List[str]) -> Tuple[dict, "Dict[str, np.ndarray]", dict, dict]:
    if not os.path.isdir(d):
        raise ConvertError(f"--hf-dir: not a directory: {d}")
    cfg_path = os.path.join(d, "config.json")
    cfg = _read_json(cfg_path, "config.json")
    sources.append(cfg_path)
    model_type = cfg.get("model_type", "")
    if model_type not in ("bert", "roberta", "xlm-roberta", "camembert"):
        raise ConvertError(f"{cfg_path}: model_type {model_type!r} is not supported "
                           f"(bert, roberta, xlm-roberta)")
    if cfg.get("position_embedding_type", "absolute") != "absolute":
        raise ConvertError(f"position_embedding_type {cfg['position_embedding_type']!r} is not supported")
    act = cfg.get("hidden_act", "gelu")
    if act not in ("gelu", "gelu_python"):
        raise ConvertError(f"hidden_act {act!r} is not supported (only exact gelu)")
    roberta_positions = model_type != "bert"
    H = int(cfg["hidden_size"]); heads = int(cfg["num_attention_heads"]); L = int(cfg["num_hidden_layers"])
    if H % heads:
        raise ConvertError(f"hidden_size {H} is not divisible by num_attention_heads {heads}")
    dh = H // heads
    eps = float(cfg.get("layer_norm_eps", 1e-12))
    pad_id = int(cfg.get("pad_token_id", 1 if roberta_positions else 0) or 0)

    st_path = os.path.join(d, "model.safetensors")
    if not os.path.isfile(st_path):
        raise ConvertError(f"{st_path} not found (only safetensors checkpoints are supported)")
    sources.append(st_path)
    w = load_safetensors(st_path)

    prefix = None
    for p in BERT_PREFIXES:
        if p + "embeddings.word_embeddings.weight" in w:
            prefix = p
            break
    if prefix is None:
        raise ConvertError(f"{st_path}: no embeddings.word_embeddings.weight (with any of the prefixes "
                           f"{', '.join(repr(p) for p in BERT_PREFIXES[1:])})")

    b = GraphBuilder()

    def W(key: str) -> str:
        """Add a checkpoint tensor under its own name; accepts gamma/beta for LayerNorm."""
        full = prefix + key
        if full not in w:
            alt = full.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
            if alt in w:
                full = alt
            else:
                raise ConvertError(f"{st_path}: missing tensor {full!r}")
        if full not in b.tensors:
            b.const(full, w[full].astype(np.float32))
        return full

    def WT(key: str) -> str:
        """A torch Linear weight [out, in], transposed to [in, out] for MatMul."""
        full = prefix + key
        if full not in w:
            raise ConvertError(f"{st_path}: missing tensor {full!r}")
        name = full + ".T"
        if name not in b.tensors:
            b.const(name, np.ascontiguousarray(w[full].astype(np.float32).T))
        return name

    def ln(x, key, name):
        return b.op("LayerNormalization", [x, W(key + ".weight"), W(key + ".bias")], name,
                    {"axis": {"i": -1}, "epsilon": {"f": json_float(eps)}})

    def linear(x, key, name):
        y = b.op("MatMul", [x, WT(key + ".weight")], name + "/MatMul")
        return b.op("Add", [y, W(key + ".bias")], name + "/Add")

    # Constants shared across the graph.
    c_one_i = b.const("const.int64.1", np.array(1, dtype=np.int64))
    c_zero_i = b.const("const.int64.0", np.array(0, dtype=np.int64))
    c_axes_12 = b.const("const.axes.1_2", np.array([1, 2], dtype=np.int64))
    c_one_f = b.const("const.float.1", np.array(1.0, dtype=np.float32))
    c_min_f = b.const("const.float.min", np.array(np.finfo(np.float32).min, dtype=np.float32))
    c_scale = b.const("const.attention.scale", np.array(1.0 / math.sqrt(dh), dtype=np.float32))
    c_heads_shape = b.const("const.shape.heads", np.array([0, 0, heads, dh], dtype=np.int64))
    c_hidden_shape = b.const("const.shape.hidden", np.array([0, 0, H], dtype=np.int64))

    # Embeddings.
    word = b.op("Gather", [W("embeddings.word_embeddings.weight"), "input_ids"], "/embeddings/word_embeddings/Gather",
                {"axis": {"i": 0}})
    if roberta_positions:
        c_pad = b.const("const.int64.pad", np.array(pad_id, dtype=np.int64))
        is_pad = b.op("Equal", ["input_ids", c_pad], "/embeddings/positions/Equal")
        is_pad_i = b.op("Cast", [is_pad], "/embeddings/positions/Cast", {"to": {"i": 7}})
        not_pad = b.op("Sub", [c_one_i, is_pad_i], "/embeddings/positions/Sub")
        csum = b.op("CumSum", [not_pad, c_one_i], "/embeddings/positions/CumSum")
        masked = b.op("Mul", [csum, not_pad], "/embeddings/positions/Mul")
        positions = b.op("Add", [masked, c_pad], "/embeddings/positions/Add")
    else:
        shape = b.op("Shape", ["input_ids"], "/embeddings/positions/Shape")
        seq = b.op("Gather", [shape, c_one_i], "/embeddings/positions/Gather", {"axis": {"i": 0}})
        positions = b.op("Range", [c_zero_i, seq, c_one_i], "/embeddings/positions/Range")
    pos = b.op("Gather", [W("embeddings.position_embeddings.weight"), positions],
               "/embeddings/position_embeddings/Gather", {"axis": {"i": 0}})
    typ = b.op("Gather", [W("embeddings.token_type_embeddings.weight"), "token_type_ids"],
               "/embeddings/token_type_embeddings/Gather", {"axis": {"i": 0}})
    x = b.op("Add", [word, typ], "/embeddings/Add")
    x = b.op("Add", [x, pos], "/embeddings/Add_1")
    x = ln(x, "embeddings.LayerNorm", "/embeddings/LayerNorm/LayerNormalization")

    # Additive attention mask [B,1,1,S].
    m = b.op("Cast", ["attention_mask"], "/mask/Cast", {"to": {"i": 1}})
    m = b.op("Sub", [c_one_f, m], "/mask/Sub")
    m = b.op("Mul", [m, c_min_f], "/mask/Mul")
    mask = b.op("Unsqueeze", [m, c_axes_12], "/mask/Unsqueeze")

    for i in range(L):
        p = f"encoder.layer.{i}."
        n = f"/encoder/layer.{i}"
        q = linear(x, p + "attention.self.query", f"{n}/attention/self/query")
        k = linear(x, p + "attention.self.key", f"{n}/attention/self/key")
        v = linear(x, p + "attention.self.value", f"{n}/attention/self/value")
        q = b.op("Reshape", [q, c_heads_shape], f"{n}/attention/self/query/Reshape")
        q = b.op("Transpose", [q], f"{n}/attention/self/query/Transpose", {"perm": {"ints": [0, 2, 1, 3]}})
        k = b.op("Reshape", [k, c_heads_shape], f"{n}/attention/self/key/Reshape")
        k = b.op("Transpose", [k], f"{n}/attention/self/key/Transpose", {"perm": {"ints": [0, 2, 3, 1]}})
        v = b.op("Reshape", [v, c_heads_shape], f"{n}/attention/self/value/Reshape")
        v = b.op("Transpose", [v], f"{n}/attention/self/value/Transpose", {"perm": {"ints": [0, 2, 1, 3]}})
        s = b.op("MatMul", [q, k], f"{n}/attention/self/scores/MatMul")
        s = b.op("Mul", [s, c_scale], f"{n}/attention/self/scores/Mul")
        s = b.op("Add", [s, mask], f"{n}/attention/self/scores/Add")
        s = b.op("Softmax", [s], f"{n}/attention/self/Softmax", {"axis": {"i": -1}})
        ctx = b.op("MatMul", [s, v], f"{n}/attention/self/context/MatMul")
        ctx = b.op("Transpose", [ctx], f"{n}/attention/self/context/Transpose", {"perm": {"ints": [0, 2, 1, 3]}})
        ctx = b.op("Reshape", [ctx, c_hidden_shape], f"{n}/attention/self/context/Reshape")
        a = linear(ctx, p + "attention.output.dense", f"{n}/attention/output/dense")
        a = b.op("Add", [a, x], f"{n}/attention/output/Add")
        a = ln(a, p + "attention.output.LayerNorm", f"{n}/attention/output/LayerNorm/LayerNormalization")
        h = linear(a, p + "intermediate.dense", f"{n}/intermediate/dense")
        h = b.op("Gelu", [h], f"{n}/intermediate/Gelu", {"approximate": {"s": "none"}})
        h = linear(h, p + "output.dense", f"{n}/output/dense")
        h = b.op("Add", [h, a], f"{n}/output/Add")
        x = ln(h, p + "output.LayerNorm", f"{n}/output/LayerNorm/LayerNormalization")

    # Name the final value after the graph output.
    b.nodes[-1]["outputs"] = ["last_hidden_state"]

    graph = {
        "opset": 20,  # Gelu is an opset-20 op; everything else is opset <= 17 semantics-compatible
        "inputs": [{"name": nm, "dtype": "int64", "shape": ["batch", "sequence"]}
                   for nm in ("input_ids", "attention_mask", "token_type_ids")],
        "outputs": [{"name": "last_hidden_state", "dtype": "float32", "shape": ["batch", "sequence", H]}],
        "nodes": b.nodes,
    }

    # Pipeline from the sentence-transformers files.
    pipeline: Dict[str, Any] = {"kind": "embedder"}
    modules_path = os.path.join(d, "modules.json")
    modules = []
    if os.path.isfile(modules_path):
        modules = _read_json(modules_path, "modules.json")
        sources.append(modules_path)
    pool_dir = None
    for mod in modules:
        if mod.get("type", "").endswith("models.Pooling"):
            pool_dir = mod.get("path") or "1_Pooling"
    pool_path = os.path.join(d, pool_dir or "1_Pooling", "config.json")
    if os.path.isfile(pool_path):
        pc = _read_json(pool_path, "pooling config")
        sources.append(pool_path)
        modes = [mname for key, mname in (("pooling_mode_mean_tokens", "mean"), ("pooling_mode_cls_token", "cls"),
                                          ("pooling_mode_max_tokens", "max")) if pc.get(key)]
        unsupported = [k for k in ("pooling_mode_mean_sqrt_len_tokens", "pooling_mode_weightedmean_tokens",
                                   "pooling_mode_lasttoken") if pc.get(k)]
        if unsupported or len(modes) != 1:
            raise ConvertError(f"{pool_path}: unsupported pooling combination "
                               f"({', '.join(modes + unsupported) or 'none'}); need exactly one of mean/cls/max")
        pipeline["pooling"] = modes[0]
    else:
        warn("no sentence-transformers pooling config; defaulting to pooling=mean, normalize=false")
        pipeline["pooling"] = "mean"
    pipeline["normalize"] = any(mod.get("type", "").endswith("models.Normalize") for mod in modules)

    max_length = None
    sbc_path = os.path.join(d, "sentence_bert_config.json")
    if os.path.isfile(sbc_path):
        sbc = _read_json(sbc_path, "sentence_bert_config.json")
        sources.append(sbc_path)
        if sbc.get("max_seq_length"):
            max_length = int(sbc["max_seq_length"])
    max_pos = int(cfg.get("max_position_embeddings", 512))
    model_limit = max_pos - (pad_id + 1 if roberta_positions else 0)
    if max_length is None:
        tc_path = os.path.join(d, "tokenizer_config.json")
        tok_max = None
        if os.path.isfile(tc_path):
            tc = _read_json(tc_path, "tokenizer_config.json")
            sources.append(tc_path)
            v = tc.get("model_max_length")
            if isinstance(v, (int, float)) and v < 1e9:
                tok_max = int(v)
        max_length = min(tok_max, model_limit) if tok_max else model_limit
    if max_length > model_limit:
        warn(f"max_length {max_length} exceeds the model's {model_limit} positions; clamping")
        max_length = model_limit
    pipeline["max_length"] = max_length
    pipeline["output"] = "last_hidden_state"

    cst_path = os.path.join(d, "config_sentence_transformers.json")
    if os.path.isfile(cst_path):
        cst = _read_json(cst_path, "config_sentence_transformers.json")
        sources.append(cst_path)
        prompts = cst.get("prompts") or {}
        if isinstance(prompts, dict):
            if prompts.get("query"):
                pipeline["query_prefix"] = prompts["query"]
            for key in ("passage", "document"):
                if prompts.get(key):
                    pipeline["passage_prefix"] = prompts[key]
                    break

    dropped = sorted(k for k in w if k not in b.tensors and k + ".T" not in b.tensors)
    if dropped:
        info(f"checkpoint tensors not used by the graph: {', '.join(dropped)}")
    info(f"hf-dir: {model_type}, {L} layers, hidden {H}, {heads} heads, {len(b.nodes)} nodes, "
         f"{len(b.tensors)} tensors")
    return graph, b.tensors, pipeline, {"model_type": model_type}


# --------------------------------------------------------------------------------------
# model2vec route (static embedder: lookup tables, no graph nodes)
# --------------------------------------------------------------------------------------

def _tokenizer_unk_id(tok: dict) -> Optional[int]:
    """The id model2vec drops from every encoding (model2vec.model._get_unk_token_id).

    Unigram: the model's declared unk_id, whatever piece sits there; WordPiece/BPE/
    WordLevel: the id of the unk_token string, if it is in the vocabulary."""
    model = tok.get("model") or {}
    if model.get("type") == "Unigram":
        u = model.get("unk_id")
        return int(u) if u is not None else None
    unk = model.get("unk_token")
    if unk is None:
        return None
    vocab = model.get("vocab")
    if isinstance(vocab, dict) and unk in vocab:
        return int(vocab[unk])
    for t in tok.get("added_tokens") or []:
        if t.get("content") == unk:
            return int(t["id"])
    return None


def _tokenizer_pieces(tok: dict) -> List[str]:
    """Every token string, for model2vec's median token length."""
    model = tok.get("model") or {}
    vocab = model.get("vocab")
    by_id: Dict[int, str] = {}
    if isinstance(vocab, list):  # Unigram: [[piece, score], ...]
        by_id = {i: e[0] for i, e in enumerate(vocab)}
    elif isinstance(vocab, dict):
        by_id = {int(i): t for t, i in vocab.items()}
    else:
        raise ConvertError("tokenizer.json model has no vocabulary")
    for t in tok.get("added_tokens") or []:
        by_id[int(t["id"])] = t["content"]
    return [by_id[i] for i in sorted(by_id)]


def convert_model2vec(d: str, sources: List[str]) -> Tuple[dict, "Dict[str, np.ndarray]", dict]:
    """A Model2Vec directory (config.json, model.safetensors, tokenizer.json) -> tensors + pipeline.

    Mirrors model2vec.StaticModel.encode: tokenize without special tokens (after cutting
    the text to max_length * median-token-length characters, and truncating to max_length
    tokens), drop the unk id, look rows up through `mapping` (if present), scale each row
    by `weights[token id]` (if present), mean, L2-normalize (if config says so)."""
    if not os.path.isdir(d):
        raise ConvertError(f"--model2vec: not a directory: {d}")
    cfg_path = os.path.join(d, "config.json")
    cfg = _read_json(cfg_path, "config.json") if os.path.isfile(cfg_path) else {}
    if os.path.isfile(cfg_path):
        sources.append(cfg_path)
    st_path = os.path.join(d, "model.safetensors")
    if not os.path.isfile(st_path):
        raise ConvertError(f"{st_path} not found")
    sources.append(st_path)
    tok_path = os.path.join(d, "tokenizer.json")
    tok = _read_json(tok_path, "tokenizer.json")

    w = load_safetensors(st_path)  # int8 stays int8: model2vec reads the raw values
    name = "embeddings" if "embeddings" in w else "embedding.weight" if "embedding.weight" in w else None
    if name is None:
        raise ConvertError(f"{st_path}: no 'embeddings' tensor (has {', '.join(sorted(w))})")
    emb = w[name]
    if emb.ndim != 2 or emb.dtype not in (np.int8, np.float32):
        raise ConvertError(f"{st_path}: embeddings must be a 2-D int8 or float32 matrix, got {emb.dtype} {emb.shape} "
                           f"(model2vec computes float16 models in float16, which the engine does not reproduce)")
    pieces = _tokenizer_pieces(tok)
    n_tokens = len(pieces)
    tensors: Dict[str, np.ndarray] = {"embeddings": emb}
    mapping = w.get("mapping")
    if mapping is not None:
        mapping = np.ascontiguousarray(mapping.astype(np.int64))
        if mapping.shape != (n_tokens,):
            raise ConvertError(f"{st_path}: mapping has shape {mapping.shape}, expected ({n_tokens},) (one row per token)")
        if mapping.min() < 0 or mapping.max() >= emb.shape[0]:
            raise ConvertError(f"{st_path}: mapping values must lie in [0, {emb.shape[0]})")
        tensors["mapping"] = mapping
    elif emb.shape[0] != n_tokens:
        raise ConvertError(f"{st_path}: {emb.shape[0]} embedding rows for {n_tokens} tokens and no mapping")
    weights = w.get("weights")
    if weights is not None:
        weights = np.ascontiguousarray(weights.astype(np.float32))
        if weights.shape != (n_tokens,):
            raise ConvertError(f"{st_path}: weights has shape {weights.shape}, expected ({n_tokens},)")
        tensors["weights"] = weights
    extra = sorted(set(w) - {name, "mapping", "weights"})
    if extra:
        warn(f"tensors not used by model2vec's encode: {', '.join(extra)}")

    max_length = cfg.get("max_length", 512)
    median_len = int(np.median([len(p) for p in pieces]))
    pipeline: Dict[str, Any] = {"kind": "static-embedder", "normalize": bool(cfg.get("normalize", False))}
    if max_length is not None:
        pipeline["max_length"] = int(max_length)
        pipeline["max_chars"] = int(max_length) * median_len
    unk = _tokenizer_unk_id(tok)
    pipeline["skip_ids"] = [unk] if unk is not None else []
    graph = {"opset": 17, "inputs": [],
             "outputs": [{"name": k, "dtype": swl_dtype(v, k), "shape": [int(x) for x in v.shape]}
                         for k, v in tensors.items()],
             "nodes": []}
    info(f"model2vec: {emb.shape[0]} rows x {emb.shape[1]} ({emb.dtype}), {n_tokens} tokens, "
         f"mapping={'yes' if mapping is not None else 'no'}, weights={'yes' if weights is not None else 'no'}, "
         f"skip ids {pipeline['skip_ids']}, median token length {median_len}")
    return graph, tensors, pipeline


# --------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------

def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(
        prog="convert.py",
        description="Convert an ONNX model or a Hugging Face BERT-family checkpoint into a Swiftlet .swl file.")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--onnx", metavar="FILE.onnx", help="an ONNX model (opset 11-17)")
    src.add_argument("--hf-dir", metavar="DIR", help="a Hugging Face BERT/RoBERTa/XLM-R checkpoint directory "
                                                     "(config.json, model.safetensors, tokenizer.json)")
    src.add_argument("--model2vec", metavar="DIR", help="a Model2Vec static model directory "
                                                        "(config.json, model.safetensors, tokenizer.json)")
    ap.add_argument("--tokenizer", metavar="tokenizer.json",
                    help="tokenizer.json to embed verbatim (default for --hf-dir: DIR/tokenizer.json)")
    ap.add_argument("--pipeline", metavar="p.json", help="JSON object merged over the pipeline settings")
    ap.add_argument("--blob", action="append", default=[], metavar="NAME=FILE",
                    help="store FILE's bytes verbatim as blob NAME (repeatable), e.g. an OCR dictionary")
    ap.add_argument("--out", required=True, metavar="OUT.swl", help="output file")
    ap.add_argument("--no-fold", action="store_true", help="(--onnx) do not fold constant subgraphs")
    args = ap.parse_args(argv)

    try:
        for flag, p in (("--tokenizer", args.tokenizer), ("--pipeline", args.pipeline)):
            if p and not os.path.isfile(p):
                raise ConvertError(f"{flag}: file not found: {p}")
        sources: List[str] = []
        metadata: Dict[str, str] = {}
        extra_prov: Dict[str, Any] = {}
        if args.onnx:
            sources.append(args.onnx)
            graph, tensors, metadata, _ = convert_onnx(args.onnx, fold=not args.no_fold)
            pipeline: Dict[str, Any] = {"kind": "graph"}
            route = "onnx"
            tok_path = args.tokenizer
        elif args.model2vec:
            graph, tensors, pipeline = convert_model2vec(args.model2vec, sources)
            route = "model2vec"
            tok_path = args.tokenizer or os.path.join(args.model2vec, "tokenizer.json")
        else:
            graph, tensors, pipeline, extra_prov = convert_hf_dir(args.hf_dir, sources)
            route = "hf-dir"
            tok_path = args.tokenizer or os.path.join(args.hf_dir, "tokenizer.json")
            if not args.tokenizer and not os.path.isfile(tok_path):
                raise ConvertError(f"{tok_path} not found (pass --tokenizer FILE)")

        blobs: Dict[str, bytes] = {}
        if tok_path:
            if not os.path.isfile(tok_path):
                raise ConvertError(f"tokenizer file not found: {tok_path}")
            with open(tok_path, "rb") as f:
                raw = f.read()
            try:
                json.loads(raw.decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as e:
                raise ConvertError(f"{tok_path} is not a valid tokenizer.json: {e}")
            blobs["tokenizer.json"] = raw
            # A Unigram vocabulary also goes in precomputed (fast load; see docs/FORMAT.md).
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            from tokenizer_blob import unigram_blob
            vocab_blob = unigram_blob(raw)
            if vocab_blob is not None:
                blobs["tokenizer.unigram"] = vocab_blob
            sources.append(tok_path)

        for spec in args.blob:
            name, sep, bpath = spec.partition("=")
            if not sep or not name or not bpath:
                raise ConvertError(f"--blob {spec!r}: expected NAME=FILE")
            if name in blobs:
                raise ConvertError(f"--blob {name!r} given twice (or clashes with the tokenizer)")
            if not os.path.isfile(bpath):
                raise ConvertError(f"--blob {name}: file not found: {bpath}")
            with open(bpath, "rb") as f:
                blobs[name] = f.read()
            sources.append(bpath)

        if args.pipeline:
            override = _read_json(args.pipeline, "pipeline file")
            if not isinstance(override, dict):
                raise ConvertError(f"{args.pipeline}: expected a JSON object")
            pipeline.update(override)
            sources.append(args.pipeline)
        if pipeline.get("kind") == "embedder":
            outs = [o["name"] for o in graph["outputs"]]
            if pipeline.get("output", outs[0]) not in outs:
                raise ConvertError(f"pipeline output {pipeline['output']!r} is not a graph output ({', '.join(outs)})")
            if pipeline.get("pooling", "mean") not in ("mean", "cls", "max"):
                raise ConvertError(f"pipeline pooling {pipeline['pooling']!r} must be mean, cls or max")
            if "tokenizer.json" not in blobs:
                warn("embedder pipeline without a tokenizer (pass --tokenizer)")
        if pipeline.get("kind") == "static-embedder" and "tokenizer.json" not in blobs:
            raise ConvertError("a static-embedder needs its tokenizer.json")

        seen_src = []
        for s in sources:
            if s not in seen_src:
                seen_src.append(s)
        base = args.hf_dir or args.model2vec or None
        prov_sources = []
        for s in seen_src:
            label = os.path.relpath(s, base) if base and os.path.abspath(s).startswith(os.path.abspath(base) + os.sep) \
                else os.path.basename(s)
            prov_sources.append({"file": label, "sha256": sha256_file(s)})
        provenance = {"converter": CONVERTER, "converter_version": CONVERTER_VERSION, "route": route,
                      "sources": prov_sources}
        provenance.update(extra_prov)

        write_swl(args.out, graph, tensors, blobs, pipeline, metadata, provenance)
        problems = verify_swl(args.out, tensors, blobs)
        if problems:
            raise ConvertError(f"self-check of {args.out} failed:\n  " + "\n  ".join(problems[:20]))
        ops = sorted({n["op"] for n in graph["nodes"]})
        info(f"wrote {args.out} ({os.path.getsize(args.out):,} bytes; {len(graph['nodes'])} nodes; "
             f"ops: {', '.join(ops)}); self-check ok")
        return 0
    except ConvertError as e:
        print(f"convert: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
