#!/usr/bin/env python3
"""Issue 18's model families against onnxruntime: the same graph, inputs and threads.

    .venv/bin/python tools/bench.py families [--threads 1 2] [--rounds 3] [--runs 10]
        [--families paraphrase splade cross-encoder clip-text clip-image] [--markdown] [--json OUT]

Each family is timed as a raw graph, `swiftlet bench` against tools/bench/ort_runner.py, each
measurement its own process, rounds alternating which engine goes first (as tools/bench.py):
  paraphrase     paraphrase-MiniLM-L3-v2.swl vs the package's own ONNX (graph pools itself)
  splade         splade-tiny.swl vs an ONNX export of the same BertForMaskedLM with SPLADE's
                 pooling (log1p(relu(logits)) x mask, max over tokens) built in, as the .swl has
                 it (swiftlet_tools/bench/splade_onnx.py; cached beside the checkpoint)
  cross-encoder  cross-encoder-random-minilm.swl vs its ONNX export (RANDOM weights: speed only)
  clip-text      clip-vit-b32-random.swl's text tower (`--output text_features`) vs the text
                 tower exported on its own (RANDOM weights)
  clip-image     the image tower (`--output image_features`) on fixed random pixels
Token ids are `swiftlet bench`'s synthetic ones (batch x 128; CLIP's text tower 77, its
context). Ratios are Swiftlet / onnxruntime times: below 1 Swiftlet is faster. Measures;
asserts nothing.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tools"))

import bench  # noqa: E402  (tools/bench.py: subprocess timing, machine facts, formatting)

MODELS = os.environ.get("SWIFTLET_MODELS", os.path.join(REPO, "models"))
SRC = os.path.join(MODELS, "src")


def family_table():
    """name -> (swl, onnx path or a function making it, swiftlet --output, feed kind, shapes)."""
    from swiftlet_tools.bench import splade_onnx
    return {
        "paraphrase": ("paraphrase-MiniLM-L3-v2.swl",
                       os.path.join(SRC, "paraphrase-MiniLM-L3-v2", "paraphrase-MiniLM-L3-v2.onnx"), None, "ids", 128),
        "splade": ("splade-tiny.swl", lambda: splade_onnx.pooled_export(os.path.join(SRC, "splade-tiny")), None, "ids", 128),
        "cross-encoder": ("cross-encoder-random-minilm.swl",
                          os.path.join(SRC, "cross-encoder-random-minilm-onnx", "model.onnx"), None, "ids", 128),
        "clip-text": ("clip-vit-b32-random.swl",
                      os.path.join(SRC, "clip-vit-b32-random-onnx", "text.onnx"), "text_features", "ids", 77),
        "clip-image": ("clip-vit-b32-random.swl",
                       os.path.join(SRC, "clip-vit-b32-random-onnx", "vision.onnx"), "image_features", "pixels", 224),
    }


def main(argv):
    ap = argparse.ArgumentParser(prog="bench.py families", description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--batches", type=int, nargs="+", default=[1, 32])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--families", nargs="+", default=["paraphrase", "splade", "cross-encoder", "clip-text", "clip-image"])
    ap.add_argument("--swiftlet", default=os.path.join(REPO, ".build", "release", "swiftlet"))
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--json", metavar="OUT")
    a = ap.parse_args(argv)
    bench.ensure_venv(("numpy", "onnxruntime"))
    import numpy as np

    table = family_table()
    unknown = [f for f in a.families if f not in table]
    if unknown:
        bench.die(f"unknown families {unknown}; choose from {sorted(table)}")
    if not os.access(a.swiftlet, os.X_OK):
        bench.die(f"{a.swiftlet} missing: swift build -c release")
    facts = bench.machine_facts(a.swiftlet)
    print(f"CPU: {facts['cpu']} ({facts['cpu_flags']}), {facts['cores']} cores, load {facts['loadavg_at_start']}; "
          f"onnxruntime {facts['onnxruntime']}; swiftlet {facts['swiftlet_commit']}", flush=True)
    runner = os.path.join(REPO, "tools", "bench", "ort_runner.py")
    rows, kernels = [], None
    with tempfile.TemporaryDirectory(prefix="bench-families-") as tmp:
        for fam in a.families:
            swl, onnx, output, kind, size = table[fam]
            swl = os.path.join(MODELS, swl)
            onnx = onnx() if callable(onnx) else onnx
            for path in (swl, onnx):
                if not os.path.isfile(path):
                    bench.die(f"{path} not found (tools/setup.sh builds it)")
            out_args = ["--output", output] if output else []
            for b in a.batches:
                if kind == "pixels":
                    x = np.random.default_rng(0).standard_normal((b, 3, size, size), dtype=np.float32)
                    npy = os.path.join(tmp, f"pixels-{b}.npy")
                    np.save(npy, x)
                    sw_feed, ort_feed = ["--input", f"pixel_values={npy}"], ["tensor", "--input", f"pixel_values={npy}"]
                else:
                    sw_feed = ["--batch", str(b), "--seq", str(size)]
                    ort_feed = ["synth", "--batch", str(b), "--seq", str(size)]
                for t in a.threads:
                    runs = max(3, a.runs // 4) if b > 8 else a.runs
                    sw = [a.swiftlet, "bench", "--model", swl, *sw_feed, *out_args, "--threads", str(t), "--runs", str(runs)]
                    ort = [sys.executable, runner, *ort_feed, "--onnx", onnx, "--threads", str(t), "--runs", str(runs)]
                    got = bench.interleave_runs([("swiftlet", lambda: bench.measure(sw)), ("ort", lambda: bench.measure(ort))], a.rounds)
                    sw_ms = statistics.median(r["median_ms"] for r, _ in got["swiftlet"])
                    ort_ms = statistics.median(r["median_ms"] for r, _ in got["ort"])
                    kernels = kernels or got["swiftlet"][0][0]
                    shape = f"{b}×3×{size}×{size}" if kind == "pixels" else f"{b}×{size}"
                    rows.append({"family": fam, "input": shape, "threads": t, "swiftlet_ms": sw_ms, "ort_ms": ort_ms,
                                 "ratio": sw_ms / ort_ms})
                    print(f"  {fam:14s} {shape:14s} T={t}  swiftlet {bench.fmt(sw_ms, 'ms'):>9s}  "
                          f"onnxruntime {bench.fmt(ort_ms, 'ms'):>9s}  ratio {sw_ms / ort_ms:.2f}", flush=True)
    if kernels:
        print(f"Swiftlet kernels: isa {kernels.get('isa')}, gemm {kernels.get('gemm')}")
    if a.markdown:
        print("\n| family | input | threads | Swiftlet | onnxruntime | Swiftlet / ORT |\n|---|---|--:|--:|--:|--:|")
        for r in rows:
            print(f"| {r['family']} | {r['input']} | {r['threads']} | {bench.fmt(r['swiftlet_ms'], 'ms')} | "
                  f"{bench.fmt(r['ort_ms'], 'ms')} | {r['ratio']:.2f} |")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"machine": facts, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1:])
