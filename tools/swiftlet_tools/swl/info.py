"""Print a summary of a Swiftlet .swl file (docs/FORMAT.md) and check its layout.

  python tools/swl_info.py FILE.swl [--json] [--nodes] [--tensors]
"""

import argparse
import collections
import json
import os
import sys

from .encoding import storage_type
from .layout import SwlError
from .reader import read_swl_header, verify_swl


def human(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{n} B"
        n /= 1024
    return str(n)


def stored_bytes(row: dict) -> int:
    """Data plus, for int8 weights, the scales."""
    scales = (row.get("encoding") or {}).get("scales")
    return row["length"] + (scales["length"] if scales else 0)


def storage(row: dict) -> str:
    """"float32", or for an encoded weight e.g. "q4_0(axis 0) of float32"."""
    enc = row.get("encoding")
    if not enc:
        return row["dtype"]
    axis = f"(axis {enc['axis']})" if "axis" in enc else ""
    return f"{storage_type(row)}{axis} of {row['dtype']}"


def print_weights(tensors: list) -> None:
    """Count and bytes of the tensors by storage type (int8 includes its scales)."""
    count = collections.Counter(storage_type(t) for t in tensors)
    size = collections.Counter()
    for t in tensors:
        size[storage_type(t)] += stored_bytes(t)
    total = sum(size.values())
    print(f"tensors   {len(tensors)} ({human(total)}; " + ", ".join(f"{d}×{c}" for d, c in sorted(count.items())) + ")")
    print("weights   " + ", ".join(f"{d} {human(size[d])}" for d in sorted(size)) + f"; total {total:,} bytes")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Summarize a .swl file.")
    ap.add_argument("file")
    ap.add_argument("--json", action="store_true", help="print the whole header as JSON")
    ap.add_argument("--nodes", action="store_true", help="list every node")
    ap.add_argument("--tensors", action="store_true", help="list every tensor with its storage type")
    args = ap.parse_args(argv)
    try:
        if not os.path.isfile(args.file):
            raise SwlError(f"file not found: {args.file}")
        header, version, size = read_swl_header(args.file)
        if args.json:
            print(json.dumps(header, indent=1, ensure_ascii=False))
            return 0
        g = header.get("graph", {})
        print(f"file      {args.file}  ({size:,} bytes)")
        print(f"format    version {version}")
        print(f"opset     {g.get('opset')}")
        for kind in ("inputs", "outputs"):
            for v in g.get(kind, []):
                print(f"{kind[:-1]:<9} {v['name']}: {v['dtype']} {v['shape']}")
        nodes = g.get("nodes", [])
        counts = collections.Counter(n["op"] for n in nodes)
        print(f"nodes     {len(nodes)}")
        print("ops       " + ", ".join(f"{op}×{c}" for op, c in sorted(counts.items())))
        tensors = header.get("tensors", [])
        print_weights(tensors)
        for n, b in header.get("blobs", {}).items():
            print(f"blob      {n}: {b['length']:,} bytes at {b['offset']}")
        print(f"pipeline  {json.dumps(header.get('pipeline'), ensure_ascii=False)}")
        for k, v in (header.get("metadata") or {}).items():
            s = v.replace("\n", "\\n")
            s = s if len(s) <= 60 else s[:57] + f"... ({len(v)} chars)"
            print(f"metadata  {k}: {s}")
        prov = header.get("provenance", {})
        stored = " ".join(f"{k}={json.dumps(prov[k])}" for k in ("quantize", "fp16", "keep_float") if k in prov)
        print(f"provenance {prov.get('converter')} route={prov.get('route')} {stored}".rstrip())
        for s in prov.get("sources", []):
            print(f"          {s['file']}  sha256 {s['sha256'][:16]}…")
        if args.nodes:
            for n in nodes:
                attrs = " ".join(f"{k}={list(v.values())[0]}" for k, v in n.get("attrs", {}).items())
                print(f"  {n['op']:<20} {n['name']}  {n['inputs']} -> {n['outputs']} {attrs}")
        if args.tensors:
            for t in tensors:
                print(f"  {t['name']}: {storage(t)} {t['shape']} @ {t['offset']} +{stored_bytes(t)}")
        problems = verify_swl(args.file)
        if problems:
            print("PROBLEMS:\n  " + "\n  ".join(problems))
            return 1
        print("check     ok (magic, version, alignment, bounds, lengths, references)")
        return 0
    except SwlError as e:
        print(f"swl_info: error: {e}", file=sys.stderr)
        return 1
