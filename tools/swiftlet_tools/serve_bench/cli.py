"""`tools/bench.py serve`: throughput and latency of `swiftlet serve` at 1, 8 and 64
concurrent clients, single-text and 32-text requests, over its Unix socket (sidecar
/v1/embed) and TCP (OpenAI /v1/embeddings), as ratios to Swiftlet in-process and to
infinity-emb serving the same model (OpenAI API over TCP), with the issue 13 §9 targets.

    .venv/bin/python tools/bench.py serve [--quick] [--markdown] [--json OUT] [--bin SWIFTLET]

Phases: in-process reference (`swiftlet bench`), every cell against `swiftlet serve`
(--batch-window 0, then the 64-client cells again per extra --windows value), the
in-process reference again (the faster of the two is used), then every cell against
infinity-emb (its venv, <repo>/.venv-infinity, is made on first use from
tools/requirements.d/bench-serve-infinity.venv). The load generator is
tools/bench/loadgen.go, built with the local Go toolchain (standard library only).
Everything stays on 127.0.0.1 and a Unix socket in a temp directory.
Default ~12 minutes on 2 cores; --quick (~1-2 min) is a smoke test, not a result.
"""
import argparse
import json
import os
import shlex
import shutil
import sys
import tempfile
import time

from ..errors import ToolError
from ..paths import REPO
from . import inprocess, load, procs, python_server, report


def default_binary():
    static = os.path.join(REPO, ".build-static", "swiftlet")
    return static if os.path.exists(static) else os.path.join(REPO, ".build", "release", "swiftlet")


def parse_args(argv):
    models = os.environ.get("SWIFTLET_MODELS", os.path.join(REPO, "models"))
    ap = argparse.ArgumentParser(prog="bench.py serve", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--bin", default=default_binary(), help="swiftlet binary (default: .build-static/swiftlet if "
                                                            "present, else .build/release/swiftlet)")
    ap.add_argument("--model", default=os.path.join(models, "all-MiniLM-L6-v2.swl"))
    ap.add_argument("--hf-dir", default=os.path.join(models, "src", "all-MiniLM-L6-v2"),
                    help="the same model as a sentence-transformers directory, for the Python server")
    ap.add_argument("--corpus", default=os.path.join(REPO, "tools", "bench", "corpus-1000.jsonl"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 8, 64])
    ap.add_argument("--per", type=int, nargs="+", default=[1, 32], help="texts per request (default: 1 32)")
    ap.add_argument("--seconds", type=float, default=0, help="sending time per cell (default 15; --quick 2)")
    ap.add_argument("--windows", type=float, nargs="+", default=None,
                    help="--batch-window values in ms; the first for every cell, the others for the 64-client "
                         "cells (default: 0 2; --quick: 0)")
    ap.add_argument("--infinity-venv", default=os.path.join(REPO, ".venv-infinity"))
    ap.add_argument("--infinity-batch", type=int, default=32, help="infinity-emb --batch-size (its default, 32)")
    ap.add_argument("--no-python", action="store_true", help="skip the Python server")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--json", metavar="OUT")
    a = ap.parse_args(argv)
    a.seconds = a.seconds or (2 if a.quick else 15)
    a.windows = a.windows or ([0] if a.quick else [0, 2])
    for path, what in ((a.bin, "swiftlet binary"), (a.model, "model"), (a.corpus, "corpus")):
        if not os.path.isfile(path):
            raise ToolError(f"{what} {path} not found (build: swift build -c release or tools/build-static.sh; "
                            f"models: tools/setup.sh)")
    if not a.no_python and not os.path.isfile(os.path.join(a.hf_dir, "modules.json")):
        raise ToolError(f"{a.hf_dir} is not a sentence-transformers directory (tools/setup.sh), or pass --no-python")
    return a


def log(msg):
    print(f"  .. {msg}", file=sys.stderr, flush=True)


def plan(a):
    """(texts per request, clients) cells; --quick drops 64 x 32 texts, whose first round alone is long."""
    return [(per, c) for per in a.per for c in a.clients if not (a.quick and per > 1 and c > 8)]


def row(server, api, window, per, clients, res):
    n = max(res["texts"], 1)
    return {"server": server, "api": api, "window": window, "per": per, "clients": clients,
            "texts_per_s": res["texts_per_s"], "p50_ms": res["p50_ms"], "p99_ms": res["p99_ms"],
            "mean_ms": res["mean_ms"], "errors": res["errors"], "first_error": res.get("first_error"),
            "server_cpu_ms_per_text": res["server_cpu_s"] * 1000 / n,
            "client_cpu_pct": 100 * res["client_cpu_s"] / max(res["wall_s"], 1e-9), "raw": res}


def run_cells(exe, server, name, apis, window, cells, a, texts_file, rows):
    for per, clients in cells:
        for api, label in apis:
            res = load.run(exe, server, api, texts_file, per, clients, a.seconds, procs.model_name(a.model))
            rows.append(row(name, label, window, per, clients, res))
            log(f"{name} {label} window={window} {per} texts x {clients} clients: {res['texts_per_s']:.1f} texts/s, "
                f"p50 {res['p50_ms']:.1f} ms, p99 {res['p99_ms']:.1f} ms, errors {res['errors']}")


def main(argv):
    a = parse_args(argv)
    with open(a.corpus, encoding="utf-8") as f:
        texts = [json.loads(l)["text"] for l in f if l.strip()]
    if a.quick:
        texts = texts[:128]
    tmp = tempfile.mkdtemp(prefix="bench-serve-")
    servers = []
    try:
        texts_file = inprocess.write_jsonl(os.path.join(tmp, "texts.jsonl"), texts)
        exe, go_version = load.build(tmp)
        py_versions = None
        if not a.no_python:
            py = python_server.ensure_venv(a.infinity_venv, log)
            py_versions = python_server.versions(py)
        command = shlex.join(["python", "tools/bench.py", "serve"] + argv)
        print(report.header(command, a.bin, go_version, py_versions, a), flush=True)
        t_start = time.monotonic()
        runs_b1, runs_batched = (5, 1) if a.quick else (30, 2)

        log("in-process reference (before)")
        ref1 = inprocess.measure(a.bin, a.model, texts, a.threads, tmp, runs_b1, runs_batched)
        rows = []
        sw_apis = [("embed", "unix /v1/embed"), ("openai", "tcp /v1/embeddings")]
        for i, window in enumerate(a.windows):
            sock = os.path.join(tmp, f"w{i}", "swiftlet.sock")
            s = procs.start_swiftlet(a.bin, a.model, a.threads, window, sock, max(a.clients + [32]))
            servers.append(s)
            cells = plan(a) if i == 0 else [(per, c) for per, c in plan(a) if c == max(a.clients)]
            run_cells(exe, s, "swiftlet", sw_apis, window, cells, a, texts_file, rows)
            s.stop()
        log("in-process reference (after)")
        ref2 = inprocess.measure(a.bin, a.model, texts, a.threads, tmp, runs_b1, runs_batched)
        ref = inprocess.best(ref1, ref2)
        if not a.no_python:
            log("starting infinity-emb (loads torch, warms up)")
            s = procs.start_infinity(a.infinity_venv, python_server.LAUNCHER, a.hf_dir, procs.model_name(a.model),
                                     a.threads, a.infinity_batch)
            servers.append(s)
            run_cells(exe, s, "infinity", [("openai", "tcp /v1/embeddings")], None, plan(a), a, texts_file, rows)
            s.stop()
    finally:
        for s in servers:
            if s.proc.poll() is None:
                s.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    report.annotate(rows, ref)
    print(report.inproc_line(ref))
    print(f"# in-process before/after: {ref1['batched_texts_per_s']:.1f} / {ref2['batched_texts_per_s']:.1f} "
          f"texts/s batched, {ref1['b1_median_text_ms']:.1f} / {ref2['b1_median_text_ms']:.1f} ms batch 1 (median text), "
          f"{ref1['b1_stream_p50_ms']:.1f} / {ref2['b1_stream_p50_ms']:.1f} ms batch-1 p50 over the stream")
    print()
    print(report.table(rows, a.markdown))
    print()
    print(report.LEGEND)
    print(f"Load average at end: {report.loadavg()}; wall time {time.monotonic() - t_start:.0f} s.")
    if a.quick:
        print(f"--quick: {a.seconds:g} s per cell, 128 texts, no 64 x 32-text cell: a smoke test, not a result.")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"command": command, "inprocess": {"before": ref1, "after": ref2, "used": ref},
                       "python": py_versions, "rows": rows}, f, indent=1)
        print(f"raw numbers: {a.json}")
