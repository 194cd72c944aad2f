"""Produce the committed OCR reference outputs (golden/ocr/) from RapidOCR.

    SWIFTLET_OCR_SAMPLES=/work/shared/ocr-samples python tools/golden.py ocr [--out golden/ocr]

Needs rapidocr-onnxruntime==1.4.4, opencv-python-headless, pyclipper, shapely, onnxruntime,
Pillow (tools/requirements.d/ocr.txt). Runs offline, deterministic (onnxruntime 1 thread).

Writes:
  decode.json, decode/NAME.npy   per sample image: size and FNV-1a 64 hash of the decoded 8-bit RGB
                                 pixels (PIL decode as RapidOCR's LoadImage does, alpha
                                 flattened as RapidOCR 3.10.0 does, see `load_rgb`), and a [::4, ::4]
                                 subsample for diagnosing mismatches.
  png/*.png, png/*.npy           synthetic PNGs of every colour type / bit depth / interlace
                                 (written by the small encoder below) and the RGB each must
                                 decode to.
  resize/*.npy                   cv2.resize INTER_LINEAR outputs on real pixels.
  warp.json, warp/*.npy          RapidOCR's get_rotate_crop_image on ch_en_num.jpg's boxes.
  pipeline/NAME.json             the whole RapidOCR run with every model call recorded:
                                 det probability map (zlib'd float16, see `compact_map`),
                                 cls outputs, rec top-3 (index, prob) per time step, the
                                 input shapes and checksums, det boxes and the final result.
  ppocrv4_keys.txt               rec dictionary (ONNX metadata 'character' of the v4 rec model).

Image loading rule (the one Swiftlet implements): images with alpha are flattened as
RapidOCR 3.10.0's LoadImage.cvt_four_to_three does (`composite` below: onto white when the
visible pixels' mean luminance is below 128, else onto black, blended in float32 and
truncated), for LA, palette and tRNS PNGs too (golden/alpha checks it against RapidOCR 3.10.0
itself). RapidOCR 1.4.4's own loader instead inverts the colours of RGBA images whose masked
mean is > 0 (e.g. fully opaque RGBA PNGs); that is a bug we do not reproduce, so the pipeline
reference is RapidOCR fed with our loaded pixels (as a BGR ndarray, which RapidOCR takes
as-is). For every other sample the two loaders agree byte for byte (checked below).
"""

import argparse
import json
import os
import struct
import sys
import zlib

import numpy as np

os.environ.setdefault("OMP_NUM_THREADS", "1")

import cv2  # noqa: E402
from PIL import Image  # noqa: E402

from ..paths import REPO  # noqa: E402



# ------------------------------------------------------------------ loading
def composite(rgb, a):
    """RapidOCR 3.10.0's cvt_four_to_three, step for step (float64 luminance, float32 blend)."""
    rgb = np.asarray(rgb).astype(np.uint8)
    a = np.asarray(a).astype(np.uint8)
    visible = rgb[a > 0]
    if visible.size == 0:
        bg = 255
    else:
        lum = 0.299 * visible[:, 0] + 0.587 * visible[:, 1] + 0.114 * visible[:, 2]
        bg = 255 if np.mean(lum) < 128 else 0
    an = a.astype(np.float32) / 255.0
    back = np.full_like(rgb, bg, dtype=np.uint8).astype(np.float32) * (1.0 - an)[..., None]
    return (rgb.astype(np.float32) * an[..., None] + back).astype(np.uint8)


def load_rgb(path):
    """8-bit RGB as Swiftlet decodes it (PIL pixels; no EXIF rotation, as RapidOCR)."""
    im = Image.open(path)
    if im.mode == "1":
        im = im.convert("L")
    a = np.array(im)
    if a.ndim == 2:
        return np.stack([a] * 3, axis=-1)
    if a.shape[2] == 2:
        return composite(np.stack([a[..., 0]] * 3, axis=-1), a[..., 1])
    if a.shape[2] == 4:
        return composite(a[..., :3], a[..., 3])
    return a


def fnv1a64(a):
    """FNV-1a 64 of the raw bytes (simple to recompute in the Swift tests)."""
    h = 0xCBF29CE484222325
    for b in np.ascontiguousarray(a).tobytes():
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return format(h, "016x")


# ------------------------------------------------------------------ PNG encoder
def png_chunk(tag, data):
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def pack_rows(samples, bit_depth):
    """samples: [h, w*channels] ints -> list of packed row bytes."""
    rows = []
    for r in samples:
        if bit_depth == 16:
            rows.append(b"".join(struct.pack(">H", int(v)) for v in r))
        elif bit_depth == 8:
            rows.append(bytes(int(v) for v in r))
        else:
            per = 8 // bit_depth
            out = bytearray()
            for i in range(0, len(r), per):
                byte = 0
                for k in range(per):
                    v = int(r[i + k]) if i + k < len(r) else 0
                    byte |= v << (8 - bit_depth * (k + 1))
                out.append(byte)
            rows.append(bytes(out))
    return rows


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def encode_png(samples, color_type, bit_depth, interlace=False, palette=None, trns=None):
    """samples: [h, w, channels] array of raw sample values."""
    h, w, c = samples.shape
    raw = b""
    if interlace:
        for x0, y0, dx, dy in ADAM7:
            sub = samples[y0::dy, x0::dx]
            if sub.size == 0:
                continue
            for row in pack_rows(sub.reshape(sub.shape[0], -1), bit_depth):
                raw += b"\x00" + row
    else:
        for row in pack_rows(samples.reshape(h, -1), bit_depth):
            raw += b"\x00" + row
    out = b"\x89PNG\r\n\x1a\n"
    out += png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, bit_depth, color_type, 0, 0, 1 if interlace else 0))
    if palette is not None:
        out += png_chunk(b"PLTE", bytes(palette.reshape(-1).tolist()))
    if trns is not None:
        out += png_chunk(b"tRNS", trns)
    out += png_chunk(b"IDAT", zlib.compress(raw, 9))
    out += png_chunk(b"IEND", b"")
    return out


def make_pngs(out):
    d = os.path.join(out, "png")
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(7)
    h, w = 13, 21
    cases = {}
    g8 = rng.integers(0, 256, (h, w, 1))
    cases["gray8"] = (encode_png(g8, 0, 8), np.repeat(g8, 3, 2))
    g1 = rng.integers(0, 2, (h, w, 1))
    cases["gray1"] = (encode_png(g1, 0, 1), np.repeat(g1 * 255, 3, 2))
    g4 = rng.integers(0, 16, (h, w, 1))
    cases["gray4"] = (encode_png(g4, 0, 4), np.repeat(g4 * 17, 3, 2))
    g16 = rng.integers(0, 65536, (h, w, 1))
    cases["gray16"] = (encode_png(g16, 0, 16), np.repeat(g16 >> 8, 3, 2))
    ga = rng.integers(0, 256, (h, w, 2))
    cases["graya8"] = (encode_png(ga, 4, 8), composite(np.repeat(ga[..., :1], 3, 2), ga[..., 1]))
    rgb = rng.integers(0, 256, (h, w, 3))
    cases["rgb8"] = (encode_png(rgb, 2, 8), rgb)
    cases["rgb8_interlaced"] = (encode_png(rgb, 2, 8, interlace=True), rgb)
    rgb16 = rng.integers(0, 65536, (h, w, 3))
    cases["rgb16"] = (encode_png(rgb16, 2, 16), rgb16 >> 8)
    rgba = rng.integers(0, 256, (h, w, 4))
    rgba[0, :, 3] = 0
    rgba[1, :, 3] = 255
    cases["rgba8"] = (encode_png(rgba, 6, 8), composite(rgba[..., :3], rgba[..., 3]))
    cases["rgba8_interlaced"] = (encode_png(rgba, 6, 8, interlace=True), composite(rgba[..., :3], rgba[..., 3]))
    rgba16 = rng.integers(0, 65536, (h, w, 4))
    cases["rgba16"] = (encode_png(rgba16, 6, 16), composite(rgba16[..., :3] >> 8, rgba16[..., 3] >> 8))
    pal = rng.integers(0, 256, (16, 3))
    idx = rng.integers(0, 16, (h, w, 1))
    cases["palette4"] = (encode_png(idx, 3, 4, palette=pal), pal[idx[..., 0]])
    trns = bytes([0, 128, 255, 7])
    alpha = np.array([0, 128, 255, 7] + [255] * 12)[idx[..., 0]]
    cases["palette8_trns"] = (encode_png(idx, 3, 8, palette=pal, trns=trns), composite(pal[idx[..., 0]], alpha))
    tg = struct.pack(">H", int(g8[0, 0, 0]))
    ga_t = np.where(g8[..., 0] == g8[0, 0, 0], 0, 255)
    cases["gray8_trns"] = (encode_png(g8, 0, 8, trns=tg), composite(np.repeat(g8, 3, 2), ga_t))
    for name, (data, expect) in cases.items():
        with open(os.path.join(d, name + ".png"), "wb") as f:
            f.write(data)
        np.save(os.path.join(d, name + ".npy"), np.ascontiguousarray(expect.astype(np.uint8)))
        # Cross-check the encoder with PIL where PIL can express the result.
        pil = Image.open(os.path.join(d, name + ".png"))
        if name in ("gray8", "rgb8", "rgb8_interlaced"):
            assert np.array_equal(load_rgb(os.path.join(d, name + ".png")), expect), name
        pil.load()


# ------------------------------------------------------------------ recorded sessions
class Recorder:
    """Wraps an OrtInferSession: records inputs' shape/checksum and outputs."""

    def __init__(self, inner, kind, log):
        self.inner, self.kind, self.log = inner, kind, log

    def __call__(self, x):
        out = self.inner(x)
        self.log.append((self.kind, x, out[0]))
        return out

    def __getattr__(self, k):
        return getattr(self.inner, k)


def checksum(x):
    x = x.astype(np.float64).reshape(-1)
    w = (np.arange(x.size) % 97).astype(np.float64)
    return [float(x.sum()), float(np.abs(x).sum()), float((x * w).sum())]


def compact_map(m, floor=0.02):
    """det prob map -> zlib-compressed little-endian float16 bytes, values < floor zeroed
    (the noise floor is what keeps deflate effective; boxes are checked unchanged)."""
    c = np.where(m >= floor, m, 0).astype("<f2")
    return c, zlib.compress(c.tobytes(), 9)


def run_pipeline(engine, img_bgr, name, out_dir, preset):
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DBPostProcess

    log = []
    det, cls, rec = engine.text_det, engine.text_cls, engine.text_rec
    det.infer, cls.infer, rec.session = Recorder(det.infer, "det", log), Recorder(cls.infer, "cls", log), Recorder(rec.session, "rec", log)
    det_io = {}
    inner_det = engine.auto_text_det

    def auto_text_det(img):
        boxes, el = inner_det(img)
        det_io["image_size"] = [img.shape[1], img.shape[0]]
        det_io["boxes"] = [] if boxes is None else [np.asarray(b, np.float32).tolist() for b in boxes]
        return boxes, el

    engine.auto_text_det = auto_text_det
    try:
        result, _ = engine(img_bgr)
    finally:
        det.infer, cls.infer, rec.session = det.infer.inner, cls.infer.inner, rec.session.inner
        del engine.auto_text_det
    calls = []
    for kind, x, y in log:
        c = {"kind": kind, "input_shape": list(x.shape), "input_checksum": checksum(x), "output_shape": list(y.shape)}
        if kind != "det":
            # Per-row checksums let a replay match rows by content: numpy's argsort is not
            # stable, so crops with equal aspect ratios may sit in other batch slots.
            c["row_checksums"] = [checksum(r)[:2] for r in x]
        if kind == "det":
            c16, blob = compact_map(y)
            # The compact map must give exactly the boxes the float32 map gives.
            pp = det.postprocess_op
            ref = DBPostProcess(pp.thresh, pp.box_thresh, pp.max_candidates, pp.unclip_ratio, pp.score_mode, pp.dilation_kernel is not None)
            hw = (y.shape[2], y.shape[3])
            b32, s32 = ref(y, hw)
            b16, s16 = ref(c16.astype(np.float32), hw)
            assert np.array_equal(b32, b16), f"{name}: compact float16 map changes the boxes"
            assert np.allclose(s32, s16, atol=2e-3), f"{name}: compact float16 map changes scores"
            stem = f"{name}.det.f16.z"
            with open(os.path.join(out_dir, stem), "wb") as f:
                f.write(blob)
            c["map"] = stem
            c["boxes_at_map_scale"] = b32.tolist()
            c["scores_at_map_scale"] = [float(s) for s in s32]
        elif kind == "cls":
            c["output"] = y.astype(np.float32).tolist()
        else:
            top = np.argsort(-y, axis=2, kind="stable")[:, :, :3]
            c["top_idx"] = top.astype(int).tolist()
            c["top_val"] = np.take_along_axis(y, top, axis=2).astype(np.float32).tolist()
        calls.append(c)
    lines = []
    if result:
        for box, text, score in result:
            lines.append({"box": np.asarray(box, np.float32).tolist(), "text": text, "score": float(score)})
    return {"image": name, "preset": preset, "calls": calls, "det": det_io, "lines": lines}


def det_stage(engine, img_bgr):
    """Boxes straight out of RapidOCR's detector + sorted_boxes, on the letterboxed image."""
    img, rh, rw = engine.preprocess(img_bgr)
    img, rec = engine.maybe_add_letterbox(img, {})
    boxes, _ = engine.auto_text_det(img)
    return img, boxes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(REPO, "golden", "ocr"))
    args = ap.parse_args()
    samples = os.environ.get("SWIFTLET_OCR_SAMPLES")
    if not samples or not os.path.isdir(samples):
        sys.exit("set SWIFTLET_OCR_SAMPLES to the ocr-samples directory")
    out = args.out
    os.makedirs(out, exist_ok=True)

    from rapidocr_onnxruntime import RapidOCR
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess
    from rapidocr_onnxruntime.utils import LoadImage

    names = sorted(n for n in os.listdir(samples) if n.endswith((".jpg", ".png")))

    # ---- decoding
    os.makedirs(os.path.join(out, "decode"), exist_ok=True)
    dec = {}
    loader = LoadImage()
    for n in names:
        rgb = load_rgb(os.path.join(samples, n))
        ref = loader(os.path.join(samples, n))[..., ::-1]
        same = bool(np.array_equal(ref, rgb))
        dec[n] = {"width": rgb.shape[1], "height": rgb.shape[0], "fnv1a64": fnv1a64(rgb), "same_as_rapidocr_loader": same}
        np.save(os.path.join(out, "decode", n.rsplit(".", 1)[0] + ".npy"), np.ascontiguousarray(rgb[::4, ::4]))
    with open(os.path.join(out, "decode.json"), "w") as f:
        json.dump(dec, f, indent=1, sort_keys=True)

    make_pngs(out)

    # ---- resize (cv2 INTER_LINEAR, uint8, 3 channels)
    rd = os.path.join(out, "resize")
    os.makedirs(rd, exist_ok=True)
    src_a = load_rgb(os.path.join(samples, "text_cls.jpg"))[..., ::-1].copy()  # BGR 48x136
    src_b = load_rgb(os.path.join(samples, "ch_en_num.jpg"))[100:220, 60:220, ::-1].copy()
    np.save(os.path.join(rd, "src_a.npy"), src_a)
    np.save(os.path.join(rd, "src_b.npy"), src_b)
    sizes = {"a": [(136, 48), (320, 113), (192, 48), (97, 35), (50, 17), (7, 3), (136, 96), (272, 96)],
             "b": [(160, 120), (213, 160), (96, 72), (33, 29), (159, 121), (48, 48), (1, 1)]}
    for key, src in (("a", src_a), ("b", src_b)):
        for w, h in sizes[key]:
            np.save(os.path.join(rd, f"{key}_{w}x{h}.npy"), cv2.resize(src, (w, h)))

    # ---- pipelines
    keys_engine = RapidOCR()
    chars = keys_engine.text_rec.postprocess_op.character[1:-1]
    with open(os.path.join(out, "ppocrv4_keys.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(chars) + "\n")

    pd = os.path.join(out, "pipeline")
    os.makedirs(pd, exist_ok=True)
    opts = dict(intra_op_num_threads=1, inter_op_num_threads=1)
    engine = RapidOCR(**opts)
    index = {}
    for n in names:
        bgr = np.ascontiguousarray(load_rgb(os.path.join(samples, n))[..., ::-1])
        rec = run_pipeline(engine, bgr, n, pd, "rapidocr")
        index[n] = len(rec["lines"])
        with open(os.path.join(pd, n + ".json"), "w") as f:
            json.dump(rec, f, ensure_ascii=False)

    # PaddleOCR detection preset: limit 960 "max" as PaddleOCR applies it (RapidOCR's
    # get_preprocess would replace 960 with 1500/2000 for larger images), no dilation.
    paddle = RapidOCR(**opts)
    paddle.text_det.postprocess_op.thresh = 0.3
    paddle.text_det.postprocess_op.box_thresh = 0.6
    paddle.text_det.postprocess_op.unclip_ratio = 1.5
    paddle.text_det.postprocess_op.dilation_kernel = None
    paddle.text_det.get_preprocess = lambda max_wh: DetPreProcess(960, "max", [0.5] * 3, [0.5] * 3)
    for n in ("japan.jpg", "ch_en_num.jpg"):
        bgr = np.ascontiguousarray(load_rgb(os.path.join(samples, n))[..., ::-1])
        rec = run_pipeline(paddle, bgr, "paddle-" + n, pd, "paddle")
        with open(os.path.join(pd, "paddle-" + n + ".json"), "w") as f:
            json.dump(rec, f, ensure_ascii=False)

    # ---- perspective crops (RapidOCR get_crop_img_list) on ch_en_num.jpg
    wd = os.path.join(out, "warp")
    os.makedirs(wd, exist_ok=True)
    bgr = np.ascontiguousarray(load_rgb(os.path.join(samples, "ch_en_num.jpg"))[..., ::-1])
    img, boxes = det_stage(engine, bgr)
    crops = engine.get_crop_img_list(img, boxes)
    # Synthetic tilted and tall boxes exercise the projective path and the 90° rotation.
    extra = [np.array([[30.5, 40.2], [200.7, 60.1], [190.3, 120.9], [25.1, 100.4]], np.float32),
             np.array([[100, 50], [130, 52], [128, 250], [98, 248]], np.float32),
             np.array([[-5, -5], [40, 0], [45, 30], [0, 25]], np.float32)]
    crops += engine.get_crop_img_list(img, extra)
    allboxes = [b.astype(np.float32).tolist() for b in boxes] + [b.tolist() for b in extra]
    for i, c in enumerate(crops):
        np.save(os.path.join(wd, f"crop{i:02d}.npy"), np.ascontiguousarray(c[..., ::-1]))
    with open(os.path.join(out, "warp.json"), "w") as f:
        json.dump({"image": "ch_en_num.jpg", "boxes": allboxes}, f)
    print("lines per image:", index)
