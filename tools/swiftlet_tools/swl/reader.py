"""Reads a .swl header back and checks a file against docs/FORMAT.md; standard library only."""

import json
import mmap
import os
import struct
from typing import Dict, Iterable, List, Optional, Tuple

from .encoding import encoding_problems
from .layout import ALIGN, DTYPE_SIZES, FORMAT_VERSION, MAGIC, PREFIX_BYTES, SwlError, align_up


def read_swl_header(path: str) -> Tuple[dict, int, int]:
    """Return (header, version, file size). Raises SwlError on a malformed prefix."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        pre = f.read(PREFIX_BYTES)
        if len(pre) < PREFIX_BYTES or pre[:4] != MAGIC:
            raise SwlError(f"{path}: not a .swl file (magic {pre[:4]!r}, expected {MAGIC!r})")
        version = struct.unpack("<I", pre[4:8])[0]
        hlen = struct.unpack("<Q", pre[8:16])[0]
        if PREFIX_BYTES + hlen > size:
            raise SwlError(f"{path}: header length {hlen} runs past the end of the file ({size} bytes)")
        header = json.loads(f.read(hlen).decode("utf-8"))
    return header, version, size


def _header_length(path: str) -> int:
    with open(path, "rb") as f:
        return struct.unpack("<Q", f.read(PREFIX_BYTES)[8:16])[0]


def _tensor_table_problems(header: dict, problems: List[str]) -> Tuple[set, list]:
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
        ranges.append((n, row["offset"], row["length"]))
        if "encoding" in row:
            enc_problems = encoding_problems(row)
            problems.extend(enc_problems)
            scales = row["encoding"].get("scales") if not enc_problems else None
            if scales:
                ranges.append((f"{n} scales", scales["offset"], scales["length"]))
        elif row["length"] != count * DTYPE_SIZES[row["dtype"]]:
            problems.append(f"tensor {n!r}: length {row['length']} != product(shape)*sizeof")
    return names, ranges


def _range_problems(ranges: list, data_start: int, size: int, problems: List[str]) -> None:
    for n, off, length in ranges:
        if off % ALIGN:
            problems.append(f"{n}: offset {off} not {ALIGN}-byte aligned")
        if off < data_start or off + length > size:
            problems.append(f"{n}: range [{off}, {off + length}) outside the data region [{data_start}, {size})")


def _graph_problems(header: dict, names: set, problems: List[str]) -> None:
    """Every node input is a tensor, a graph input or an earlier node's output."""
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


def _content_problems(path: str, header: dict, tensors: Optional[Iterable[tuple]],
                      blobs: Optional[Dict[str, bytes]], problems: List[str]) -> None:
    with open(path, "rb") as f:
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            rows = {r["name"]: r for r in header["tensors"]}
            for item in (tensors or ()):
                n, want = item[0], item[1]
                r = rows.get(n)
                if r is None:
                    problems.append(f"tensor {n!r} missing from the table")
                    continue
                if mm[r["offset"]:r["offset"] + r["length"]] != want:
                    problems.append(f"tensor {n!r}: bytes differ from the source")
                if len(item) > 2:
                    scales = (r.get("encoding") or {}).get("scales")
                    got = mm[scales["offset"]:scales["offset"] + scales["length"]] if scales else None
                    if got != item[2]:
                        problems.append(f"tensor {n!r}: scales differ from the source")
            for n, raw in (blobs or {}).items():
                r = header["blobs"].get(n)
                if r is None or mm[r["offset"]:r["offset"] + r["length"]] != raw:
                    problems.append(f"blob {n!r}: bytes differ from the source")
        finally:
            mm.close()


def verify_swl(path: str, tensors: Optional[Iterable[Tuple[str, bytes]]] = None,
               blobs: Optional[Dict[str, bytes]] = None) -> List[str]:
    """Re-open a written file and check it against FORMAT.md; `tensors` ((name, bytes) pairs,
    or (name, bytes, scales bytes or None) for encoded weights) and `blobs` are what was meant
    to be written. Returns a list of problems."""
    problems: List[str] = []
    header, version, size = read_swl_header(path)
    if version != FORMAT_VERSION:
        problems.append(f"format version {version} != {FORMAT_VERSION}")
    if header.get("format_version") != version:
        problems.append("header format_version does not match the binary version")
    data_start = align_up(PREFIX_BYTES + _header_length(path))
    names, ranges = _tensor_table_problems(header, problems)
    for n, row in header.get("blobs", {}).items():
        ranges.append((f"blob {n}", row["offset"], row["length"]))
    _range_problems(ranges, data_start, size, problems)
    _graph_problems(header, names, problems)
    if tensors is not None or blobs is not None:
        _content_problems(path, header, tensors, blobs, problems)
    return problems
