"""DB post-processing on generated probability maps: RapidOCR 1.4.4's boxes, to the pixel.

    python tools/golden.py ocr-db-random

The recorded det maps (golden/ocr/pipeline) cover 13 real images; these maps add hundreds of
text-like shapes at every slope and thickness, where a half-pixel convention of OpenCV's
(minAreaRect, boxPoints, the stable corner sort) or pyclipper's (unclip) shows up as a box one
pixel off. The maps are rebuilt from their seed by the Swift test (integer arithmetic only, so
both sides see the same float32 values) and are not stored.

Writes golden/ocr/db_random.json:
  "cases":    for each seed, the map size, the destination image size and, per preset, the
              boxes after filter_tag_det_res in bitmap order with their scores;
  "polygons": cv2.fillPoly masks (LINE_8) of random polygons — quads, concave and
              self-crossing ones, vertices up to 12 px outside the mask — as hex bit strings
              (row-major, most significant bit first): the fill both box scores use.
"""

import json
import os

import numpy as np

from ..paths import REPO

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before cv2, as golden/ocr.py does

import cv2  # noqa: E402

COUNT = 400
# (box_thresh, unclip_ratio, dilation, score_mode): the two presets of the 1.4.4 pipeline, and
# PaddleOCR's with score_mode "slow" (the contour-mean score).
PRESETS = {"rapidocr": (0.5, 1.6, True, "fast"), "paddle": (0.6, 1.5, False, "fast"), "paddle-slow": (0.6, 1.5, False, "slow")}
POLYGONS = 600


class LCG:
    """The generator the Swift test mirrors: numbers below 2^31."""

    def __init__(self, seed):
        self.state = seed

    def next(self, n):
        self.state = (self.state * 1103515245 + 12345) % (1 << 31)
        return (self.state >> 8) % n


def db_map(seed):
    """A map of 1–6 slanted bars with soft edges and a little texture: bar k covers the pixels
    whose distance band |(y - y0)·D - (x - x0)·N| // D is ≤ H (value `level`), fading over
    two more bands. Values are bytes; the map is value / 255 in float32."""
    r = LCG(seed)
    h, w = 48 + r.next(160), 64 + r.next(352)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.int64)
    v = np.zeros((h, w), np.int64)
    for _ in range(1 + r.next(6)):
        x0, y0 = r.next(w), r.next(h)
        x1 = min(w - 1, x0 + 6 + r.next(w))
        n, d = r.next(9) - 4, 4 + r.next(13)
        half, level = r.next(9), 130 + r.next(126)
        band = np.abs((yy - y0) * d - (xx - x0) * n) // d
        inside = (xx >= x0) & (xx <= x1)
        bar = np.where(band <= half, level, np.where(band <= half + 2, level * (half + 3 - band) // 3, 0))
        v = np.maximum(v, np.where(inside, bar, 0))
    texture = (xx * 7 + yy * 13 + seed * 5) % 9 - 4
    v = np.where(v > 0, np.clip(v + texture, 0, 255), 0)
    dest_w = w * (1 + r.next(3)) + r.next(23)
    dest_h = h * (1 + r.next(3)) + r.next(23)
    return (v.astype(np.float32) / np.float32(255)), dest_w, dest_h


def main():
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DBPostProcess

    from .ocr_db_slow import filter_with_scores

    cases = []
    total = 0
    for seed in range(1, COUNT + 1):
        m, dw, dh = db_map(seed)
        h, w = m.shape
        entry = {"seed": seed, "height": h, "width": w, "dest_width": dw, "dest_height": dh}
        for name, (box_thresh, unclip, dilation, mode) in PRESETS.items():
            pp = DBPostProcess(0.3, box_thresh, 1000, unclip, mode, dilation)
            boxes, scores = pp(m.reshape(1, 1, h, w), (dh, dw))
            kept = filter_with_scores(zip(boxes, scores), dh, dw)
            entry[name] = kept
            total += len(kept)
        cases.append(entry)
    out = os.path.join(REPO, "golden", "ocr", "db_random.json")
    with open(out, "w") as f:
        json.dump({"reference": f"rapidocr_onnxruntime 1.4.4 DBPostProcess, cv2 {cv2.__version__}", "cases": cases,
                   "polygons": polygons()}, f, indent=0)
        f.write("\n")
    print(f"{len(cases)} maps, {total} boxes, {POLYGONS} polygons -> {out}")


def polygons():
    """Random polygons and their cv2.fillPoly masks: every third a quadrilateral, the rest
    3–9 vertices (concave and self-crossing ones included)."""
    r = LCG(20261205)
    out = []
    for i in range(POLYGONS):
        w, h = 1 + r.next(40), 1 + r.next(30)
        k = 4 if i % 3 == 0 else 3 + r.next(7)
        xs = [r.next(w + 24) - 12 for _ in range(k)]
        ys = [r.next(h + 24) - 12 for _ in range(k)]
        mask = np.zeros((h, w), np.uint8)
        cv2.fillPoly(mask, np.array(list(zip(xs, ys)), np.int32).reshape(1, -1, 2), 1)
        out.append({"width": w, "height": h, "xs": xs, "ys": ys, "mask": np.packbits(mask.reshape(-1)).tobytes().hex()})
    return out
