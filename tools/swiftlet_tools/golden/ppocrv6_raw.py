"""Raw-graph references for the PP-OCRv6 models: onnxruntime outputs on the committed
real-image inputs of golden/ocr-raw/inputs (det.npy, rec.npy: see tools/golden.py ocr-raw).

    python tools/golden.py ppocrv6-raw [--out golden/ppocrv6/raw]

onnxruntime (1 thread, all graph optimizations) on the ONNX files tools/setup.d/25-ppocrv6.sh
extracted. The PP-OCRv6 contract is max |diff| <= 1e-4, ten times tighter than golden/ocr-raw,
so rec outputs ([N, T, classes], up to 18,710 classes) are stored sparsely with a floor ten
times lower too: every entry > 1e-5 as <model>/{b1,b2}_index.npy (flat int32) + _value.npy;
every other entry lies in [0, 1e-5], so a Swiftlet value <= 1e-4 there is within 1e-4 of it.
Det maps are stored whole (<model>/output.npy).
"""
import argparse
import json
import os

import numpy as np

from . import ppocrv6_reference
from ..paths import GOLDEN
from .ocr_raw import run_ort, save_sparse

SPARSE_FLOOR = 1e-5
MODELS = {
    # name: (kind, onnx file in models/src/ppocrv6)
    "ppocrv6-det": ("det", "PP-OCRv6_det_small.onnx"),
    "ppocrv6-rec": ("rec", "PP-OCRv6_rec_small.onnx"),
    "ppocrv6-tiny-det": ("det", "PP-OCRv6_det_tiny.onnx"),
    "ppocrv6-tiny-rec": ("rec", "PP-OCRv6_rec_tiny.onnx"),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(GOLDEN, "ppocrv6", "raw"))
    a = ap.parse_args()
    inputs = {k: np.load(os.path.join(GOLDEN, "ocr-raw", "inputs", f"{k}.npy")) for k in ("det", "rec")}
    summary = {}
    for name, (kind, file_name) in MODELS.items():
        path = ppocrv6_reference.onnx_path(file_name)
        d = os.path.join(a.out, name)
        os.makedirs(d, exist_ok=True)
        x = inputs[kind]
        if kind == "rec":
            for tag, xb in (("b1", x[:1]), ("b2", x)):
                y = run_ort(path, np.ascontiguousarray(xb))
                summary[f"{name}/{tag}"] = save_sparse(d, tag, y, SPARSE_FLOOR)
        else:
            y = run_ort(path, x)
            np.save(os.path.join(d, "output.npy"), y.astype(np.float32))
            summary[name] = {"shape": list(y.shape)}
    import onnxruntime
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump({"onnxruntime": onnxruntime.__version__, "sparse_floor": SPARSE_FLOOR, "outputs": summary}, f, indent=1)
        f.write("\n")
    print(json.dumps(summary, indent=1))
