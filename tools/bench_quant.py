#!/usr/bin/env python3
"""int8 vs float32, Swiftlet vs onnxruntime, side by side (`tools/bench.py quant`).

    .venv/bin/python tools/bench.py quant [--threads 1 2] [--quick] [--markdown] [--json OUT]

Runs tools/bench.py twice with the same settings: Swiftlet's float32 .swl against
onnxruntime's float32 ONNX export, then Swiftlet's int8 .swl against onnxruntime running
its own int8 model (`onnxruntime.quantization.quantize_dynamic` of the same export with its
defaults: int8 weights, dynamic uint8 activations; made in a temp directory). Prints one
table with the four engines and the ratios issue 14 sets bars on: int8 speed-up over
Swiftlet float32 (bar ≥ 1.8× at batch 32), Swiftlet int8 vs onnxruntime int8 (faster), and
Swiftlet int8 batch-1 latency vs onnxruntime float32 (≤ 0.6×). A third run times the
float16-storage .swl (half the file; bar: within 10% of float32's speed).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def quantize_ort(src, dst):
    from onnxruntime.quantization import QuantType, quantize_dynamic
    quantize_dynamic(src, dst, weight_type=QuantType.QInt8)


def run_bench(model, onnx, a, out):
    cmd = [sys.executable, os.path.join(REPO, "tools", "bench.py"), "--model", model, "--onnx", onnx,
           "--threads", *map(str, a.threads), "--json", out] + (["--quick"] if a.quick else [])
    print(f"  .. {' '.join(os.path.relpath(c, REPO) if c.startswith(REPO) else c for c in cmd)}", file=sys.stderr,
          flush=True)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"bench.py quant: error: {' '.join(cmd)} failed ({p.returncode})")
    with open(out) as f:
        return json.load(f), p.stdout


def main(argv):
    models = os.environ.get("SWIFTLET_MODELS", os.path.join(REPO, "models"))
    ap = argparse.ArgumentParser(prog="bench.py quant", description=__doc__.split("\n\n")[0])
    ap.add_argument("--fp32", default=os.path.join(models, "all-MiniLM-L6-v2.swl"))
    ap.add_argument("--int8", default=os.path.join(models, "all-MiniLM-L6-v2-int8.swl"))
    ap.add_argument("--fp16", default=os.path.join(models, "all-MiniLM-L6-v2-fp16-onnx.swl"))
    ap.add_argument("--onnx", default=os.path.join(models, "src", "all-MiniLM-L6-v2", "model-opset14.onnx"))
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--json", metavar="OUT")
    a = ap.parse_args(argv)
    for path in (a.fp32, a.int8, a.fp16, a.onnx):
        if not os.path.isfile(path):
            sys.exit(f"bench.py quant: error: {path} not found (tools/setup.sh builds it)")
    with tempfile.TemporaryDirectory(prefix="bench-quant-") as tmp:
        ort_int8 = os.path.join(tmp, "model-int8.onnx")
        quantize_ort(a.onnx, ort_int8)
        # bench.py reads the tokenizer from beside the ONNX file.
        shutil.copy(os.path.join(os.path.dirname(a.onnx), "tokenizer.json"), tmp)
        fp32, fp32_out = run_bench(a.fp32, a.onnx, a, os.path.join(tmp, "fp32.json"))
        int8, int8_out = run_bench(a.int8, ort_int8, a, os.path.join(tmp, "int8.json"))
        fp16, _ = run_bench(a.fp16, a.onnx, a, os.path.join(tmp, "fp16.json"))
        sizes = {k: os.path.getsize(p) for k, p in (("swiftlet_fp32", a.fp32), ("swiftlet_int8", a.int8),
                                                     ("swiftlet_fp16", a.fp16),
                                                     ("ort_fp32", a.onnx), ("ort_int8", ort_int8))}
    print(fp32_out.split("\n\n")[0])  # machine facts and parity of the first run
    print(f"#   int8 parity  : {int8.get('parity_min_cosine', float('nan')):.6f} min cosine Swiftlet int8 vs "
          f"onnxruntime int8 pipeline (different quantizers: not expected to be 1)")
    rows = []
    for t in a.threads:
        f, q, h = fp32["threads"][str(t)], int8["threads"][str(t)], fp16["threads"][str(t)]
        for key, label in (("b1", "batch 1 × 128, ms"), ("b32", "batch 32 × 128, ms"), ("corpus", "corpus, sentences/s")):
            vals = [f[key]["swiftlet_ms"], q[key]["swiftlet_ms"], f[key]["ort_ms"], q[key]["ort_ms"],
                    h[key]["swiftlet_ms"]]
            # fp16 vs fp32 is a time ratio in every row (> 1 slower), corpus included.
            fp16_time = vals[4] / vals[0]
            if key == "corpus":
                n = fp32["corpus_texts"]
                vals = [n * 1000 / v for v in vals]
                speedup, vs_ort = vals[1] / vals[0], vals[1] / vals[3]
            else:
                speedup, vs_ort = vals[0] / vals[1], vals[3] / vals[1]
            rows.append((label, t, *vals, speedup, vs_ort, vals[1] / vals[2] if key == "b1" else None, fp16_time))
        rss = [f["corpus"]["swiftlet_rss_kib"], q["corpus"]["swiftlet_rss_kib"], f["corpus"]["ort_rss_kib"],
               q["corpus"]["ort_rss_kib"], h["corpus"]["swiftlet_rss_kib"]]
        if None not in rss:
            rows.append(("peak RSS, corpus, MiB", t, *[v / 1024 for v in rss], None, None, None, None))
    head = ["Metric", "Threads", "Swiftlet fp32", "Swiftlet int8", "ORT fp32", "ORT int8", "Swiftlet fp16",
            "int8 speed-up (bar ≥ 1.8 at b32)", "Swiftlet int8 vs ORT int8 (> 1 faster)", "int8 b1 / ORT fp32 (bar ≤ 0.6)",
            "fp16 time / fp32 (bar ≤ 1.10)"]
    cells = [[m, str(t)] + [f"{v:.1f}" for v in vals[:5]] + [("" if v is None else f"{v:.2f}") for v in vals[5:]]
             for m, t, *vals in rows]
    print()
    if a.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join(["---"] + ["--:"] * (len(head) - 1)) + "|")
        for c in cells:
            print("| " + " | ".join(c) + " |")
    else:
        w = [max(len(r[i]) for r in cells + [head]) for i in range(len(head))]
        for r in [head] + cells:
            print("  ".join(x.ljust(w[i]) if i == 0 else x.rjust(w[i]) for i, x in enumerate(r)))
    print()
    print("Files: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sizes.items()))
    if a.quick:
        print("--quick: a smoke test, not a result.")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"fp32": fp32, "int8": int8, "fp16": fp16, "sizes": sizes, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1:])
