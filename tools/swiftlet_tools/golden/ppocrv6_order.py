"""Reading-order cases for RapidOCR 3's box sort (TextDetector.sorted_boxes of rapidocr
3.10.0), which Swiftlet's `LineOrder.rows` reproduces.

    "$(tools/make-rapidocr3-venv.sh)" tools/golden.py ppocrv6-order [--out golden/ppocrv6/reading_order.json]

Boxes are placed in rows whose top edges wander by up to 14 px (so rows chain and split at
the 10 px rule, and boxes sit within 10 px of two rows), with repeated x and y values for
the tie rules; integer-valued float32 corners, as the DB post-processing returns them.
Writes {"cases": [{"boxes": [[[x, y] x 4], ...], "order": [input index, ...]}]}.
"""
import argparse
import json
import os

import numpy as np

from ..paths import GOLDEN


def make_case(rng):
    rows = int(rng.integers(1, 5))
    boxes = []
    for r in range(rows):
        top = 20 + 30 * r
        for _ in range(int(rng.integers(1, 5))):
            x = float(rng.choice([10, 10, 60, 120, 200, 260]) + rng.integers(0, 3))
            y = float(top + rng.integers(0, 15))
            w, h = float(rng.integers(20, 60)), float(rng.integers(10, 25))
            boxes.append([[x, y], [x + w, y], [x + w, y + h], [x, y + h]])
    order = rng.permutation(len(boxes))
    return np.array([boxes[i] for i in order], dtype=np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(GOLDEN, "ppocrv6", "reading_order.json"))
    ap.add_argument("--count", type=int, default=60)
    a = ap.parse_args()
    from rapidocr.ch_ppocr_det.main import TextDetector

    rng = np.random.default_rng(17)
    cases = []
    for _ in range(a.count):
        boxes = make_case(rng)
        # Tag each box by its input index in an extra column to read the order back.
        tagged = np.concatenate([boxes, np.broadcast_to(np.arange(len(boxes), dtype=np.float32)[:, None, None],
                                                        (len(boxes), 4, 1))], axis=2)
        ordered = TextDetector.sorted_boxes(tagged)
        cases.append({"boxes": boxes.tolist(), "order": [int(b[0, 2]) for b in ordered]})
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump({"reference": "rapidocr 3.10.0 TextDetector.sorted_boxes", "cases": cases}, f, separators=(",", ":"))
        f.write("\n")
    print(f"{len(cases)} cases -> {a.out}")
