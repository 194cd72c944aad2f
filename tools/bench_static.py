#!/usr/bin/env python3
"""Single-thread Model2Vec throughput: Swiftlet's static embedder vs the `model2vec` package.

    tools/bench_static.py [--models DIR] [--corpus FILE.jsonl] [--rounds N] [--passes P]

Both sides go from strings to normalized vectors (tokenize -> look up rows -> weighted
mean -> L2), excluding process start and model load: Swiftlet through `swiftlet bench
--model tokenlearn-static.swl --jsonl CORPUS --threads 1` (Embedder.embed over the whole
corpus per run), model2vec through StaticModel.encode(texts) on the model directory the
`tokenlearn-static-model` package ships (the one the .swl was converted from).
Default corpus: golden/corpus/en.jsonl (414 short English texts: search queries and
sentences). Throughput is texts per CPU second of the process, best of N interleaved
rounds of P passes over the corpus (CPU time is steadier than wall time on a shared
machine). Build first: `swift build -c release --product swiftlet`.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import time

os.environ["RAYON_NUM_THREADS"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"
from model2vec import StaticModel  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def model_dir() -> str:
    import site
    for base in site.getsitepackages():
        for d in glob.glob(os.path.join(base, "static_model", "model")):
            return d
    sys.exit("bench_static: tokenlearn-static-model is not installed (run `bash tools/setup.sh`)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default=os.environ.get("SWIFTLET_MODELS", os.path.join(ROOT, "models")))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "golden/corpus/en.jsonl"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--passes", type=int, default=20, help="corpus passes per round")
    a = ap.parse_args()
    with open(a.corpus, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    swl = os.path.join(a.models, "tokenlearn-static.swl")
    exe = os.path.join(ROOT, ".build/release/swiftlet")
    for path in (swl, exe):
        if not os.path.exists(path):
            sys.exit(f"bench_static: missing {path}")
    m = StaticModel.from_pretrained(model_dir())
    m.encode(texts)  # warm-up
    py_best = sw_best = float("inf")
    for _ in range(a.rounds):
        t0 = time.process_time()
        for _ in range(a.passes):
            m.encode(texts, use_multiprocessing=False)
        py_best = min(py_best, (time.process_time() - t0) / a.passes)
        out = subprocess.run([exe, "bench", "--model", swl, "--jsonl", a.corpus, "--threads", "1",
                              "--runs", str(a.passes), "--warmup", "2"],
                             check=True, capture_output=True, text=True).stdout
        sw_best = min(sw_best, json.loads(out)["cpu_min_ms"] / 1000)
    n = len(texts)
    print(f"corpus: {os.path.relpath(a.corpus, ROOT)}, {n} texts, "
          f"{sum(len(t) for t in texts) / n:.0f} characters on average; load average {os.getloadavg()[0]:.1f}")
    print(f"{'engine':12} {'texts/s':>10}")
    print(f"{'model2vec':12} {n / py_best:10.0f}")
    print(f"{'Swiftlet':12} {n / sw_best:10.0f}")
    print(f"ratio Swiftlet / model2vec: {py_best / sw_best:.2f}")


if __name__ == "__main__":
    main()
