"""Reference for DB post-processing with score_mode "slow" (mean inside the contour).

    python tools/golden.py ocr-db-slow      # after tools/golden.py ocr

Writes golden/ocr/db_slow.json:
  "runs":  for each recorded det map of golden/ocr/pipeline (the float16 maps committed
           there), RapidOCR 1.4.4's DBPostProcess with score_mode="slow" and the run's
           preset: boxes after filter_tag_det_res, in bitmap order, with their scores.
  "blobs": random blob bitmaps (seeded, regenerated in the test from `seed`), and for each
           contour cv2.findContours returns (RETR_LIST), its bounding rectangle (hole
           borders may start at another pixel of the same cycle than Swiftlet's), the pixel count of cv2.fillPoly's
           mask and box_score_slow on the map v(x, y) = ((7x + 13y) % 101) / 100.
"""

import json
import os
import zlib

import numpy as np

from ..paths import REPO

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before cv2, as golden/ocr.py does

import cv2  # noqa: E402


def blob_bitmap(seed, h, w):
    """Bitmap the Swift test rebuilds: an LCG (numbers below 2^31) thresholded at 45%, then
    one 2x2 dilation on odd seeds, so blobs touch, wrap around holes and make concave borders."""
    state = seed
    bits = np.zeros((h, w), np.uint8)
    for i in range(h * w):
        state = (state * 1103515245 + 12345) % (1 << 31)
        bits.flat[i] = 1 if (state >> 8) % 100 < 45 else 0
    if seed % 2:
        bits = cv2.dilate(bits, np.ones((2, 2), np.uint8))
    return bits


def main():
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DBPostProcess

    out = os.path.join(REPO, "golden", "ocr")
    pd = os.path.join(out, "pipeline")
    runs = {}
    for n in sorted(f for f in os.listdir(pd) if f.endswith(".json")):
        rec = json.load(open(os.path.join(pd, n), encoding="utf-8"))
        call = next(c for c in rec["calls"] if c["kind"] == "det")
        _, _, h, w = call["output_shape"]
        m = np.frombuffer(zlib.decompress(open(os.path.join(pd, call["map"]), "rb").read()), "<f2").astype(np.float32)
        m = m.reshape(1, 1, h, w)
        paddle = rec["preset"] == "paddle"
        pp = DBPostProcess(0.3, 0.6 if paddle else 0.5, 1000, 1.5 if paddle else 1.6, "slow", not paddle)
        iw, ih = rec["det"]["image_size"]
        boxes, scores = pp(m, (ih, iw))
        runs[n[:-5]] = filter_with_scores(zip(boxes, scores), ih, iw)
    blobs = []
    yy, xx = np.mgrid[0:40, 0:50]
    vmap = (((7 * xx + 13 * yy) % 101) / 100).astype(np.float32)
    for seed in range(1, 7):
        bits = blob_bitmap(seed, 40, 50)
        contours, _ = cv2.findContours(bits, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        entries = []
        for c in contours:
            pts = c.reshape(-1, 2)
            x0, y0 = pts.min(0)
            x1, y1 = pts.max(0)
            mask = np.zeros((y1 - y0 + 1, x1 - x0 + 1), np.uint8)
            cv2.fillPoly(mask, (pts - [x0, y0]).reshape(1, -1, 2).astype(np.int32), 1)
            score = DBPostProcess.box_score_slow(None, vmap, c)
            entries.append({"rect": [int(x0), int(y0), int(x1), int(y1)], "mask_pixels": int(mask.sum()), "score": float(score)})
        blobs.append({"seed": seed, "height": 40, "width": 50, "contours": entries})
    with open(os.path.join(out, "db_slow.json"), "w") as f:
        json.dump({"runs": runs, "blobs": blobs}, f, indent=0)
        f.write("\n")
    print({k: len(v) for k, v in runs.items()})


def filter_with_scores(kept, ih, iw):
    """RapidOCR's filter_tag_det_res (order clockwise, clip, drop boxes 3 px or thinner),
    keeping each box's score."""
    from rapidocr_onnxruntime.ch_ppocr_det.text_detect import TextDetector

    det = TextDetector.__new__(TextDetector)
    out = []
    for b, s in kept:
        box = det.order_points_clockwise(b)
        box = det.clip_det_res(box, ih, iw)
        if int(np.linalg.norm(box[0] - box[1])) <= 3 or int(np.linalg.norm(box[0] - box[3])) <= 3:
            continue
        out.append({"box": np.asarray(box, np.float32).tolist(), "score": float(s)})
    return out
