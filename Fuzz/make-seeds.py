#!/usr/bin/env python3
"""Writes the seed inputs of the image, npy, tokenizer-encode and cabi fuzz targets
(Fuzz/Seeds/<target>/), deterministically. Needs the project venv (Pillow, numpy):

    .venv/bin/python Fuzz/make-seeds.py

The swl seeds come from Fuzz/make-models.py and the tokenizer-json seeds are the files of
Fuzz/Fixtures/tokenizers; tools/fuzz.sh adds those directories itself.
"""
import io
import os
import struct

import numpy as np
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "Seeds")


def out(target, name, data):
    d = os.path.join(SEEDS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def text_image(w=64, h=32, mode="RGB"):
    """Dark bars on white, the shapes DB post-processing turns into boxes."""
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    d.rectangle([4, 6, 40, 12], fill=(10, 10, 10))
    d.rectangle([8, 18, 56, 24], fill=(30, 0, 60))
    d.line([2, 28, 60, 29], fill=(0, 0, 0))
    return img.convert(mode) if mode != "RGB" else img


def encoded(img, fmt, **kw):
    b = io.BytesIO()
    img.save(b, fmt, **kw)
    return b.getvalue()


def exif_jpeg(orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encoded(text_image(48, 24), "JPEG", quality=70, exif=exif.tobytes())


def images():
    out("image", "text-rgb.png", encoded(text_image(), "PNG"))
    out("image", "text-gray.png", encoded(text_image(mode="L"), "PNG"))
    out("image", "text-palette.png", encoded(text_image(mode="P"), "PNG"))
    out("image", "text-optimized.png", encoded(text_image(40, 20), "PNG", optimize=True))
    rgba = text_image(mode="RGBA")
    rgba.putalpha(Image.linear_gradient("L").resize((64, 32)))
    out("image", "text-rgba.png", encoded(rgba, "PNG"))
    out("image", "text-16bit.png", encoded(text_image(32, 16, "L").convert("I;16"), "PNG"))
    out("image", "text-1bit.png", encoded(text_image(32, 16, "1"), "PNG"))
    out("image", "text.jpg", encoded(text_image(), "JPEG", quality=75))
    out("image", "text-progressive.jpg", encoded(text_image(), "JPEG", quality=60, progressive=True))
    out("image", "text-gray.jpg", encoded(text_image(mode="L"), "JPEG", quality=60))
    out("image", "text-cmyk.jpg", encoded(text_image(32, 16, "CMYK"), "JPEG", quality=60))
    out("image", "text-420.jpg", encoded(text_image(33, 17), "JPEG", quality=50, subsampling=2))
    for o in (3, 6, 8, 5):
        out("image", "exif-orientation-%d.jpg" % o, exif_jpeg(o))
    out("image", "tall.png", encoded(text_image(4, 200), "PNG"))
    out("image", "wide.png", encoded(text_image(250, 6), "PNG"))


def npy():
    arrays = {
        "f4": np.arange(12, dtype="<f4").reshape(3, 4) / 7,
        "f2": np.linspace(-2, 2, 6, dtype="<f2"),
        "i8": np.arange(-3, 5, dtype="<i8").reshape(2, 2, 2),
        "i4": np.array([[1, -2], [3, 4]], dtype="<i4"),
        "i1": np.array([-128, 0, 127], dtype="i1"),
        "u1": np.arange(5, dtype="u1"),
        "b1": np.array([True, False, True]),
        "scalar": np.array(3.5, dtype="<f4"),
        "empty": np.zeros((0, 3), dtype="<f4"),
        "fortran": np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)),
        "big-endian": np.arange(4, dtype=">f4"),
        "f8": np.arange(3, dtype="<f8"),
    }
    for name, a in arrays.items():
        b = io.BytesIO()
        np.save(b, a)
        out("npy", name + ".npy", b.getvalue())
    b = io.BytesIO()
    np.lib.format.write_array(b, np.arange(4, dtype="<f4"), version=(2, 0))
    out("npy", "version2.npy", b.getvalue())


def tokenizer_encode():
    # Byte 0: tokenizer (0..4), byte 1: options (see TokenizerEncodeBody), then the text.
    texts = ["Hello, World! ﬁne café ①", "東京タワー Привет 👨‍👩‍👧", "[CLS] <s> swiftlet ▁x Ġy ##z 12345"]
    for t in range(5):
        for k, text in enumerate(texts):
            out("tokenizer-encode", "t%d-%d" % (t, k), bytes([t, k * 2]) + text.encode())
        out("tokenizer-encode", "t%d-pair" % t, bytes([t, 8 | 16]) + b"first text\xffsecond text")
        out("tokenizer-encode", "t%d-invalid-utf8" % t, bytes([t, 0]) + b"caf\xc3 \xff\xfe \xed\xa0\x80 \xf4\x90\x80\x80 ok")


def cabi():
    # Step bytes (CABICalls.step): 0 embedder open, 1 tokenizer open, 2 session open, 3 OCR
    # open, 4 close, 6/7 embed, 8 encode, 9 decode, 10 io info, 11 run, 12 tensors,
    # 13 OCR run, 14 OCR result. Paths: byte % 12, 0..5 the fixtures.
    out("cabi", "embedder", bytes([0, 0, 0, 1, 1, 6, 0, 2, 0, 1, 2, 1, 0, 2, 0, 4, 0, 0, 6, 0, 1]))
    out("cabi", "tokenizer", bytes([1, 2, 1, 8, 0, 0, 2, 1, 0, 1, 1, 1, 9, 0, 5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 3, 0, 0, 1]))
    out("cabi", "session", bytes([2, 0, 1, 0, 10, 0, 0, 1, 0, 1, 11, 0, 1, 2, 2, 2, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                  0, 1, 0] + [7] * 24 + [1, 0, 1, 12, 0, 1, 0, 1]))
    out("cabi", "ocr", bytes([3, 1, 0, 1, 1, 1, 1, 2, 1, 3, 4, 1, 13, 0, 1, 1, 3, 3, 1, 1, 0, 7, 14, 0, 1, 0, 1, 1, 1]))
    out("cabi", "wrong-kinds", bytes([1, 2, 4, 10, 3, 6, 11, 5, 11, 4, 10, 1, 8, 200, 0, 0]))


if __name__ == "__main__":
    images()
    npy()
    tokenizer_encode()
    cabi()
    for target in sorted(os.listdir(SEEDS)):
        files = os.listdir(os.path.join(SEEDS, target))
        print(target, len(files), sum(os.path.getsize(os.path.join(SEEDS, target, f)) for f in files), "bytes")
