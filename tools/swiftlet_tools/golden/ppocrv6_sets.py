"""End-to-end references for the PP-OCRv6 sets: RapidOCR 3.10.0 with its defaults on the
shared samples and on the committed rendered corpus (golden/ocr/synthetic/*.png).

    SWIFTLET_OCR_SAMPLES=/work/shared/ocr-samples "$(tools/make-rapidocr3-venv.sh)" \
        tools/golden.py ppocrv6-sets [--sets ppocrv6 ppocrv6-tiny]

Writes golden/ppocrv6/SET.json: {"set", "models": [det, rec, cls], "reference": "rapidocr
3.10.0", "runs": {"samples": {NAME: {"det_boxes", "lines"}}, "synthetic": {NAME: {...}}}}.
RapidOCR is fed the pixels Swiftlet decodes (load_rgb of tools/golden.py ocr, which
documents why), as a BGR array, which RapidOCR 3 also takes as it is.
(tools/swiftlet_tools/golden/ppocrv6_reference.py builds the engines.)
"""

import argparse
import json
import os
import sys

import numpy as np

from . import ppocrv6_reference
from ..paths import GOLDEN
from .ocr import load_rgb


def images(directory, suffixes):
    return sorted(n for n in os.listdir(directory) if n.endswith(suffixes))


def run_all(eng, directory, names, label):
    out = {}
    for n in names:
        bgr = np.ascontiguousarray(load_rgb(os.path.join(directory, n))[..., ::-1])
        det, lines = ppocrv6_reference.run(eng, bgr)
        out[n] = {"det_boxes": det, "lines": lines}
        print(f"{label} {n}: {det} boxes, {len(lines)} lines", flush=True)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(GOLDEN, "ppocrv6"))
    ap.add_argument("--sets", nargs="+", default=list(ppocrv6_reference.SETS))
    args = ap.parse_args()
    samples = os.environ.get("SWIFTLET_OCR_SAMPLES")
    if not samples or not os.path.isdir(samples):
        sys.exit("set SWIFTLET_OCR_SAMPLES to the ocr-samples directory")
    ppocrv6_reference.check_version()
    corpus = os.path.join(GOLDEN, "ocr", "synthetic")
    os.makedirs(args.out, exist_ok=True)
    for s in args.sets:
        eng = ppocrv6_reference.engine(s)
        runs = {"samples": run_all(eng, samples, images(samples, (".jpg", ".png")), s),
                "synthetic": run_all(eng, corpus, images(corpus, (".png",)), s + " synthetic")}
        rec = {"set": s, "models": list(ppocrv6_reference.SETS[s][1]), "reference": "rapidocr 3.10.0", "runs": runs}
        with open(os.path.join(args.out, s + ".json"), "w", encoding="utf-8") as f:
            json.dump(rec, f, ensure_ascii=False, indent=0, sort_keys=True)
            f.write("\n")
