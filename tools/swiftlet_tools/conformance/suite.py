"""tools/onnx_conformance.py: select, convert, run, compare, report."""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from typing import Dict, List, Set

from ..errors import ToolError
from ..paths import REPO, TOOLS
from .cases import all_cases, select
from .compare import check_outputs
from .convert_all import prepare
from .run_batch import run_all

EXPECTED = os.path.join(TOOLS, "onnx_conformance_expected_failures.txt")


def read_expected(path: str) -> Dict[str, str]:
    """case name → reason. Lines are `test_name  reason`; `#` starts a comment line."""
    out = {}
    if not os.path.isfile(path):
        return out
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, _, reason = line.partition(" ")
            if not reason.strip():
                raise ToolError(f"{path}:{n}: {name} has no reason (each entry says why it fails)")
            out[name] = reason.strip()
    return out


def registered_ops(swiftlet: str) -> Set[str]:
    if not os.path.isfile(swiftlet):
        raise ToolError(f"{swiftlet} not found (swift build -c release first, or pass --swiftlet)")
    p = subprocess.run([swiftlet, "ops"], capture_output=True, text=True)
    if p.returncode != 0:
        raise ToolError(f"{swiftlet} ops failed: {p.stderr.strip()}")
    return set(p.stdout.split())


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="onnx_conformance.py", description=(
        "Run the ONNX backend node tests whose ops Swiftlet registers through tools/convert.py and "
        "swiftlet run; exit 1 on any failure not in the expected-failures file."))
    ap.add_argument("--swiftlet", default=os.path.join(REPO, ".build", "release", "swiftlet"))
    ap.add_argument("--expected", default=EXPECTED, help="expected failures, one `case reason` a line")
    ap.add_argument("-k", "--filter", default="", help="only cases whose name contains this")
    ap.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (models, inputs, outputs)")
    ap.add_argument("--markdown", action="store_true", help="also print the per-op table as Markdown")
    return ap


def run(args) -> int:
    import onnx
    t0 = time.monotonic()
    registered = registered_ops(args.swiftlet)
    cases, source = all_cases(onnx)
    chosen, skipped = select(cases, registered)
    chosen = [c for c in chosen if args.filter in c.name]
    expected = read_expected(args.expected)
    work = args.keep or tempfile.mkdtemp(prefix="swiftlet-conformance-")
    os.makedirs(work, exist_ok=True)
    try:
        failures: Dict[str, str] = {}
        items = []
        for c in chosen:
            prepared, err = prepare(c, work)
            if err:
                failures[c.name] = f"convert: {err}"
            items += prepared
        t_convert = time.monotonic() - t0
        errors = run_all(args.swiftlet, items, work)
        for k, p in enumerate(items):
            if p.case.name in failures:
                continue
            why = errors.get(k) or check_outputs(p.out_dir, p.expected)
            if why:
                failures[p.case.name] = why if len(p.case.data_sets) == 1 else f"data set {p.index}: {why}"
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return report(chosen, failures, expected, skipped, len(cases), source, args,
                  t_convert, time.monotonic() - t0)


def report(chosen, failures, expected, skipped, total, source, args, t_convert, t_all) -> int:
    per_op = defaultdict(lambda: [0, 0])
    for c in chosen:
        per_op[c.op][1] += 1
        if c.name not in failures:
            per_op[c.op][0] += 1
    print(f"ONNX backend node tests from {source}: {total} cases, {len(chosen)} in scope "
          f"(skipped: {', '.join(f'{k} {v}' for k, v in sorted(skipped.items()))})")
    for op in sorted(per_op):
        ok, n = per_op[op]
        print(f"  {op:24} {ok:4d}/{n:<4d}" + ("" if ok == n else "  (some fail)"))
    unexpected = {n: w for n, w in failures.items() if n not in expected}
    known = {n: w for n, w in failures.items() if n in expected}
    in_scope = {c.name for c in chosen}
    stale = sorted(n for n in expected if n in in_scope and n not in failures and
                   (not args.filter or args.filter in n))
    for n, w in sorted(known.items()):
        print(f"expected failure {n}: {w}  [{expected[n]}]")
    for n, w in sorted(unexpected.items()):
        print(f"FAIL {n}: {w}")
    for n in stale:
        print(f"UNEXPECTED PASS {n}: remove it from {os.path.relpath(args.expected, REPO)}")
    if args.markdown:
        print("\n| op | passed / in scope |\n|---|---|")
        for op in sorted(per_op):
            print(f"| {op} | {per_op[op][0]} / {per_op[op][1]} |")
    passed = len(chosen) - len(failures)
    print(f"{passed} passed, {len(failures)} failed ({len(known)} expected, {len(unexpected)} unexpected); "
          f"{t_all:.1f} s ({t_convert:.1f} s collecting and converting)")
    return 1 if unexpected or stale else 0


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args)
    except ToolError as e:
        print(f"onnx_conformance: error: {e}", file=sys.stderr)
        return 1
