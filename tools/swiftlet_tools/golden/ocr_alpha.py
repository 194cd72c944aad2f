"""Transparent-background PNGs and what RapidOCR 3.10.0 reads in them (golden/alpha/).

    "$(tools/make-rapidocr3-venv.sh)" tools/golden.py ocr-alpha

Renders text lines (DejaVu Sans: fonts-dejavu-core) into coverage masks with Pillow and
writes them as RGBA PNGs whose colour is constant and whose alpha is the coverage: white text
on a transparent background (the case RapidOCR reads and a composite-on-white loader turns
white on white) and black text on one. Then RapidOCR 3.10.0 itself, with its default models
(the ppocrv6 set of tools/swiftlet_tools/golden/ppocrv6_reference.py), reads each PNG from its
path, so its own LoadImage (cvt_four_to_three: white or black background by the visible
pixels' luminance) decides the pixels.

Writes NAME.png and cases.json: {"reference", "models", "cases": {NAME: {"decoded": FNV-1a 64
of RapidOCR's loaded pixels in R,G,B order, "lines": [{box, text, score}]}}}. The loaded
pixels are also checked equal to `composite` of tools/golden.py ocr (the rule the synthetic
PNG references there use).
"""
import argparse
import json
import os

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from . import ppocrv6_reference
from ..paths import GOLDEN
from .ocr import fnv1a64, load_rgb

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LINES = ["Swiftlet reads white text", "Invoice 2026-12-05 total 42.50"]
CASES = {
    # name: text colour (R, G, B); the background is fully transparent
    "white_text_transparent": (255, 255, 255),
    "black_text_transparent": (0, 0, 0),
}


def render(colour):
    font = ImageFont.truetype(FONT, 30)
    mask = Image.new("L", (560, 140), 0)
    d = ImageDraw.Draw(mask)
    for i, line in enumerate(LINES):
        d.text((24, 22 + 52 * i), line, font=font, fill=255)
    a = np.array(mask)
    rgba = np.zeros(a.shape + (4,), np.uint8)
    rgba[..., :3] = colour
    rgba[..., 3] = a
    return Image.fromarray(rgba, "RGBA")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(GOLDEN, "alpha"))
    a = ap.parse_args()
    ppocrv6_reference.check_version()
    from rapidocr.utils.load_image import LoadImage

    os.makedirs(a.out, exist_ok=True)
    eng = ppocrv6_reference.engine("ppocrv6")
    cases = {}
    for name, colour in CASES.items():
        path = os.path.join(a.out, name + ".png")
        render(colour).save(path, optimize=True)
        loaded = np.ascontiguousarray(LoadImage()(path)[..., ::-1])
        mirror = load_rgb(path)
        assert np.array_equal(loaded, mirror), f"{name}: RapidOCR's loader and golden/ocr's composite disagree"
        _, lines = ppocrv6_reference.run(eng, path)
        cases[name] = {"decoded": fnv1a64(loaded), "lines": lines}
        print(name, [ln["text"] for ln in lines], flush=True)
    with open(os.path.join(a.out, "cases.json"), "w", encoding="utf-8") as f:
        json.dump({"reference": "rapidocr 3.10.0", "models": list(ppocrv6_reference.SETS["ppocrv6"][1]),
                   "cases": cases}, f, ensure_ascii=False, indent=1)
        f.write("\n")
