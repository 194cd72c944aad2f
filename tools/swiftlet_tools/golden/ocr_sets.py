"""End-to-end OCR references for the PP-OCRv5 and English model sets on the shared samples.

    SWIFTLET_OCR_SAMPLES=/work/shared/ocr-samples python tools/golden.py ocr-sets [--sets ppocrv5 en]

Writes golden/ocr/sets/SET.json: {"set", "models": [det, rec, cls], "runs": {PRESET: {NAME:
{"det_boxes": N, "lines": [{"box", "text", "score"}]}}}} — RapidOCR 1.4.4 with its defaults
(preset "rapidocr", every sample) and with PaddleOCR's detector settings (preset "paddle",
PADDLE_IMAGES) (tools/swiftlet_tools/swiftlet_tools/ocr_reference.py) fed the pixels Swiftlet decodes (load_rgb of
tools/golden.py ocr, which documents why). PP-OCRv4 has its fuller record in
golden/ocr/pipeline/ (tools/golden.py ocr).
"""

import argparse
import json
import os
import sys

import numpy as np

from .. import ocr_reference
from ..paths import REPO
from .ocr import load_rgb


PADDLE_IMAGES = ("ch_en_num.jpg", "japan.jpg")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(REPO, "golden", "ocr", "sets"))
    ap.add_argument("--sets", nargs="+", default=["ppocrv5", "en"])
    args = ap.parse_args()
    samples = os.environ.get("SWIFTLET_OCR_SAMPLES")
    if not samples or not os.path.isdir(samples):
        sys.exit("set SWIFTLET_OCR_SAMPLES to the ocr-samples directory")
    names = sorted(n for n in os.listdir(samples) if n.endswith((".jpg", ".png")))
    os.makedirs(args.out, exist_ok=True)
    for s in args.sets:
        eng = ocr_reference.engine(s)
        _, swl = ocr_reference.model_set(s)
        images = {}
        for n in names:
            bgr = np.ascontiguousarray(load_rgb(os.path.join(samples, n))[..., ::-1])
            det, lines = ocr_reference.run(eng, bgr)
            images[n] = {"det_boxes": det, "lines": lines}
            print(f"{s} {n}: {det} boxes, {len(lines)} lines", flush=True)
        # PaddleOCR's detector preset on two photos, as golden/ocr/pipeline/paddle-* for v4.
        paddle = {}
        ocr_reference.use_paddle_preset(eng)
        for n in PADDLE_IMAGES:
            bgr = np.ascontiguousarray(load_rgb(os.path.join(samples, n))[..., ::-1])
            det, lines = ocr_reference.run(eng, bgr)
            paddle[n] = {"det_boxes": det, "lines": lines}
            print(f"{s} paddle {n}: {det} boxes, {len(lines)} lines", flush=True)
        rec = {"set": s, "models": list(swl), "runs": {"rapidocr": images, "paddle": paddle}}
        with open(os.path.join(args.out, s + ".json"), "w", encoding="utf-8") as f:
            json.dump(rec, f, ensure_ascii=False, indent=0, sort_keys=True)
            f.write("\n")
