#!/usr/bin/env python3
"""Pillow bicubic resize cases for Image/BicubicResize.swift: random 8-bit RGB images (fixed
seed) resized with PIL.Image.resize(..., Image.BICUBIC) (reducing_gap=None, as
CLIPImageProcessor calls it), up and down, one axis or both, to 1 pixel.

    .venv/bin/python golden/clip-reference/make_resize_cases.py   # -> golden/clip-resize/
Writes case<N>_in.npy and case<N>_out.npy ([h, w, 3] uint8) and cases.json (sizes).
"""
import json
import os

import numpy as np
from PIL import Image

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(REPO, "golden", "clip-resize")
# (in_w, in_h, out_w, out_h)
CASES = [(13, 7, 40, 21), (40, 31, 13, 9), (3, 20, 40, 266), (300, 5, 29, 5), (64, 64, 64, 17),
         (97, 53, 224, 122), (1, 1, 3, 2), (250, 3, 1, 1), (31, 29, 30, 28)]


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(0)
    meta = []
    for i, (w, h, ow, oh) in enumerate(CASES):
        a = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
        if i % 2:  # smooth content too, where rounding ties are likelier than in noise
            a = np.clip(np.add.outer(np.arange(h) * 3, np.arange(w) * 5)[..., None] + np.array([0, 60, 120]), 0, 255).astype(np.uint8)
        b = np.asarray(Image.fromarray(a).resize((ow, oh), Image.BICUBIC))
        np.save(os.path.join(OUT, f"case{i}_in.npy"), a)
        np.save(os.path.join(OUT, f"case{i}_out.npy"), np.ascontiguousarray(b))
        meta.append({"case": i, "in": [w, h], "out": [ow, oh]})
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump({"pillow": Image.__version__ if hasattr(Image, "__version__") else "", "cases": meta}, f, indent=1)


if __name__ == "__main__":
    main()
