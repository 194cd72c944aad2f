"""Synthetic OCR corpus: text lines rendered with Debian fonts, plus reference OCR runs.

    python tools/golden.py ocr-corpus [--out golden/ocr/synthetic] [--count 40]
    (--no-references: images and truth.json without the `clean` flags, for a look)

Needs fonts-dejavu-core and fonts-noto-cjk (`bash tools/install-deps.sh --fonts`), Pillow, and for the
references the OCR venv (tools/requirements.d/ocr.txt, models from tools/setup.sh).

Writes into --out:
  NNN.png          the rendered images (committed: the tests must not depend on the local
                   FreeType build, only on these pixels)
  truth.json       per image: background, rotation, and per line its text, font, pixel size,
                   quad in the final image and `clean` — for each model set, whether the line
                   is a clean line for it (rule below)
  ref-SET.json     RapidOCR 1.4.4 (tools/swiftlet_tools/swiftlet_tools/ocr_reference.py) on every image, for the sets
                   ppocrv4 and ppocrv5: {"set", "models", "runs": {"rapidocr": {NAME: {...}}}}

Clean line for a model set (the rule the ground-truth test applies):
  * plain background (one colour), no rotation, font size >= CLEAN_MIN_SIZE px,
  * every character of the text in the set's dictionary,
  * and the reference pipeline returns exactly one line whose box centre lies in the
    line's box, with exactly the rendered text. Lines the reference itself misreads are
    counted and reported, not held against Swiftlet (parity with the reference is checked
    on every line by the other test).
Korean is not rendered: neither Chinese dictionary covers Hangul.
"""

import argparse
import json
import math
import os
import random
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ..paths import REPO


CLEAN_MIN_SIZE = 20
SETS = ("ppocrv4", "ppocrv5")

DEJAVU = "/usr/share/fonts/truetype/dejavu/"
NOTO = "/usr/share/fonts/opentype/noto/"
# (label, path, ttc index); CJK collections: index 0 JP, 2 SC.
LATIN_FONTS = [("DejaVuSans", DEJAVU + "DejaVuSans.ttf", 0), ("DejaVuSans-Bold", DEJAVU + "DejaVuSans-Bold.ttf", 0),
               ("DejaVuSerif", DEJAVU + "DejaVuSerif.ttf", 0), ("DejaVuSerif-Bold", DEJAVU + "DejaVuSerif-Bold.ttf", 0),
               ("DejaVuSansMono", DEJAVU + "DejaVuSansMono.ttf", 0)]
ZH_FONTS = [("NotoSansCJK-SC", NOTO + "NotoSansCJK-Regular.ttc", 2), ("NotoSansCJK-SC-Bold", NOTO + "NotoSansCJK-Bold.ttc", 2),
            ("NotoSerifCJK-SC", NOTO + "NotoSerifCJK-Regular.ttc", 2)]
JA_FONTS = [("NotoSansCJK-JP", NOTO + "NotoSansCJK-Regular.ttc", 0), ("NotoSerifCJK-JP", NOTO + "NotoSerifCJK-Regular.ttc", 0)]

# Written for this corpus: everyday phrases, labels and numbers of the kind screenshots hold.
CORPUS = {
    "latin": [
        "The quick brown fox jumps over the lazy dog", "Please keep this door closed", "Meeting moved to Thursday morning",
        "Battery level is low", "Download complete", "Open the settings menu", "Fresh bread baked every day",
        "Turn left at the second light", "Your order has been shipped", "Scan the code to pay", "Emergency exit only",
        "Water the plants twice a week", "Library hours may change", "Enter your password", "Limited time offer",
        "Mind the gap between train and platform", "Save changes before closing", "Welcome to the city museum",
    ],
    "digits": [
        "2024-03-15 09:41", "Total: 1,284.50", "Order #A7731-42", "3.14159 x 2 = 6.28318", "Tel 010-6552-8810",
        "Invoice 20231105-007", "Room 1207, Floor 12", "Price $19.99", "ID: 4403 0519 8812", "12:45 PM", "v2.3.1 (build 884)",
        "50% off until 31/12", "Flight CA1234 Gate 27",
    ],
    "zh": [
        "今天天气很好", "请在下方输入手机号码", "本产品保修期为十二个月", "会议将于下午三点开始", "欢迎光临本店",
        "禁止吸烟", "请保持安静", "出口在左侧", "温馨提示请勿触摸", "新鲜水果每日到货", "图书馆开放时间",
        "北京市海淀区中关村大街", "营业时间早九点至晚八点", "感谢您的耐心等待", "注意安全小心地滑", "数据已保存成功",
    ],
    "mixed": [
        "价格：128元", "型号SX-2000已售罄", "订单号：20240315", "第3季度销售额增长12%", "电话：010-88886666",
        "温度：25℃", "共计3件商品", "2024年3月15日",
    ],
    "ja": [
        "ありがとうございました", "東京駅から新幹線に乗ります", "コーヒーを一杯ください", "本日は晴れです",
        "お問い合わせはこちら", "営業時間のお知らせ", "ドアが閉まります", "予約を確認してください",
    ],
}
SCRIPT_WEIGHTS = [("latin", 4), ("digits", 3), ("zh", 4), ("mixed", 2), ("ja", 2)]
SIZES = [14, 16, 20, 24, 28, 32, 40]

LIGHT_BG = [(255, 255, 255), (245, 245, 240), (250, 243, 225), (232, 240, 250), (236, 236, 236)]
DARK_TEXT = [(0, 0, 0), (30, 30, 30), (20, 40, 110), (120, 20, 20), (40, 80, 40)]
DARK_BG = [(25, 25, 30), (20, 50, 90), (60, 20, 20)]
LIGHT_TEXT = [(255, 255, 255), (240, 240, 200)]


def fonts_for(script):
    return LATIN_FONTS if script in ("latin", "digits") else JA_FONTS if script == "ja" else ZH_FONTS


def pick(rng, weighted):
    total = sum(w for _, w in weighted)
    r = rng.uniform(0, total)
    for v, w in weighted:
        r -= w
        if r <= 0:
            return v
    return weighted[-1][0]


def background(rng, kind, w, h):
    if kind == "plain":
        return Image.new("RGB", (w, h), rng.choice(LIGHT_BG)), "dark"
    if kind == "dark":
        return Image.new("RGB", (w, h), rng.choice(DARK_BG)), "light"
    base = np.array(rng.choice(LIGHT_BG), np.float32)
    if kind == "gradient":
        a, b = base, np.array(rng.choice(LIGHT_BG), np.float32) - rng.uniform(10, 40)
        t = np.linspace(0, 1, w if rng.random() < 0.5 else h, dtype=np.float32)
        g = a[None, :] * (1 - t[:, None]) + b[None, :] * t[:, None]
        arr = np.broadcast_to(g[None, :, :], (h, w, 3)) if len(t) == w else np.broadcast_to(g[:, None, :], (h, w, 3))
    else:  # light noise: one grey-level field shared by the channels keeps the PNG small
        nrng = np.random.default_rng(rng.randrange(1 << 30))
        n = nrng.normal(0, 6, (h, w)).astype(np.float32)
        arr = base[None, None, :] - 8 + n[..., None]
    return Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8)), "dark"


def render_image(rng, idx):
    kind = pick(rng, [("plain", 5), ("gradient", 2), ("noise", 2), ("dark", 1)])
    angle = round(rng.choice([-1, 1]) * rng.uniform(1.0, 4.0), 1) if rng.random() < 0.25 else 0.0
    n_lines = rng.randint(3, 5)
    specs = []
    for _ in range(n_lines):
        script = pick(rng, SCRIPT_WEIGHTS)
        label, path, index = rng.choice(fonts_for(script))
        size = rng.choice(SIZES)
        font = ImageFont.truetype(path, size, index=index)
        text = rng.choice(CORPUS[script])
        while font.getlength(text) > 760 and size > 14:
            size -= 4
            font = ImageFont.truetype(path, size, index=index)
        specs.append((script, label, size, font, text))
    margin = 24
    width = int(max(f.getlength(t) for _, _, _, f, t in specs)) + 2 * margin + 40
    y = margin
    placed = []
    for script, label, size, font, text in specs:
        x = margin + rng.randint(0, 40)
        l, t, r, b = font.getbbox(text)
        placed.append((script, label, size, font, text, x, y - t, (x + l, y, x + r, y + (b - t))))
        y += (b - t) + max(14, int(size * 0.9))
    height = y - max(14, int(specs[-1][2] * 0.9)) + margin
    if kind != "noise":
        # RapidOCR scales images whose short side is below 736 px up to 736 ("min" limit);
        # on a small canvas that blows 40 px text up to ~100 px, which the detectors split
        # into words. Plain canvases are cheap in PNG, so give them room and keep the scale
        # at 1; noisy ones stay small (and exercise the up-scaling).
        W, H = max(width, 736 + rng.randint(0, 64)), max(height, 736 + rng.randint(0, 64))
        ox, oy = rng.randint(0, W - width), rng.randint(0, H - height)
        placed = [(sc, la, si, fo, te, x + ox, ty + oy, (b0 + ox, b1 + oy, b2 + ox, b3 + oy))
                  for sc, la, si, fo, te, x, ty, (b0, b1, b2, b3) in placed]
        width, height = W, H
    img, tone = background(rng, kind, width, height)
    draw = ImageDraw.Draw(img)
    fill = rng.choice(DARK_TEXT) if tone == "dark" else rng.choice(LIGHT_TEXT)
    for script, label, size, font, text, x, ty, _ in placed:
        draw.text((x, ty), text, font=font, fill=fill)
    quads = [[[x0, y0], [x1, y0], [x1, y1], [x0, y1]] for *_, (x0, y0, x1, y1) in placed]
    if angle:
        bg = img.getpixel((0, 0))
        img = img.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=bg)
        # Map the quads the way PIL rotates (counter-clockwise about the centre, then expand).
        cx, cy = width / 2, height / 2
        nx, ny = img.size[0] / 2, img.size[1] / 2
        a = math.radians(angle)
        quads = [[[round(nx + (px - cx) * math.cos(a) + (py - cy) * math.sin(a), 1),
                   round(ny - (px - cx) * math.sin(a) + (py - cy) * math.cos(a), 1)] for px, py in q] for q in quads]
    lines = [{"text": text, "script": script, "font": label, "size": size, "box": q}
             for (script, label, size, _, text, *_), q in zip(placed, quads)]
    return img, {"background": kind, "rotation": angle, "lines": lines}


def centre(box):
    return sum(p[0] for p in box) / 4, sum(p[1] for p in box) / 4


def inside(pt, box):
    xs, ys = [p[0] for p in box], [p[1] for p in box]
    return min(xs) <= pt[0] <= max(xs) and min(ys) <= pt[1] <= max(ys)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(REPO, "golden", "ocr", "synthetic"))
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--seed", type=int, default=20241121)
    ap.add_argument("--no-references", action="store_true")
    args = ap.parse_args()
    missing = sorted({p for _, p, _ in LATIN_FONTS + ZH_FONTS + JA_FONTS if not os.path.isfile(p)})
    if missing:
        sys.exit(f"missing fonts {missing}: install fonts-dejavu-core fonts-noto-cjk (bash tools/install-deps.sh --fonts)")
    os.makedirs(args.out, exist_ok=True)
    truth = {}
    for i in range(args.count):
        rng = random.Random(args.seed * 1000 + i)
        img, rec = render_image(rng, i)
        name = f"{i:03d}.png"
        img.save(os.path.join(args.out, name), optimize=True)
        truth[name] = rec
    if not args.no_references:
        from .. import ocr_reference
        from .ocr import load_rgb

        for s in SETS:
            eng = ocr_reference.engine(s)
            _, swl = ocr_reference.model_set(s)
            vocab = set(ocr_reference.dictionary(eng)) | {" "}
            runs, clean, right = {}, 0, 0
            for name, rec in truth.items():
                bgr = np.ascontiguousarray(load_rgb(os.path.join(args.out, name))[..., ::-1])
                det, lines = ocr_reference.run(eng, bgr)
                runs[name] = {"det_boxes": det, "lines": lines}
                for gt in rec["lines"]:
                    candidate = (rec["background"] == "plain" and rec["rotation"] == 0 and gt["size"] >= CLEAN_MIN_SIZE
                                 and all(c in vocab for c in gt["text"]))
                    hits = [l for l in lines if inside(centre(l["box"]), gt["box"])]
                    ok = len(hits) == 1 and hits[0]["text"] == gt["text"]
                    gt.setdefault("clean", {})[s] = bool(candidate and ok)
                    gt.setdefault("reference_exact", {})[s] = ok
                    clean += candidate and ok
                    right += ok
                    if candidate and not ok:
                        print(f"{s} {name}: candidate not read exactly by the reference: {gt['text']!r} -> {[h['text'] for h in hits]}")
            total = sum(len(r["lines"]) for r in truth.values())
            print(f"{s}: reference reads {right}/{total} lines exactly; {clean} clean lines", flush=True)
            with open(os.path.join(args.out, f"ref-{s}.json"), "w", encoding="utf-8") as f:
                json.dump({"set": s, "models": list(swl), "runs": {"rapidocr": runs}}, f, ensure_ascii=False, indent=0, sort_keys=True)
                f.write("\n")
    with open(os.path.join(args.out, "truth.json"), "w", encoding="utf-8") as f:
        json.dump({"clean_min_size": CLEAN_MIN_SIZE, "images": truth}, f, ensure_ascii=False, indent=0, sort_keys=True)
        f.write("\n")
