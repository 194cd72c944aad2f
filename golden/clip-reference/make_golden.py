#!/usr/bin/env python3
"""Golden references for CLIP (RANDOM-weight reference models, tools/build_clip.py), made with
transformers' CLIPTokenizer (tokenizers-backed, i.e. CLIPTokenizerFast), CLIPImageProcessorPil
(PIL bicubic) and CLIPModel in torch float32.

    .venv/bin/python golden/clip-reference/make_golden.py \
        --model-dir models/src/clip-tiny-random --out golden/clip-tiny-random --crops
    .venv/bin/python golden/clip-reference/make_golden.py \
        --model-dir models/src/clip-vit-b32-random --out golden/clip-vit-b32-random --texts 64
    .venv/bin/python golden/clip-reference/make_golden.py --tokenizer-only \
        --model-dir models/src/clip-tiny-random --out golden/clip-tokenizer

Writes into --out:
  tokens.jsonl       (--tokenizer-only) {"ids"} for every line of golden/corpus/*.jsonl,
                     truncated to CLIP's context of 77 (BOS ... EOS), no padding
  meta.json          how many texts were embedded (the first N lines of golden/corpus/en.jsonl,
                     then multilingual.jsonl, in order), library versions
  text_features.npy  [T, D] float32 CLIPModel.get_text_features (not normalised)
  images.json        the images, in order: {"source": "ocr-samples"|"repo", "path", "sha256"}
  image_features.npy [I, D] float32 CLIPModel.get_image_features (not normalised)
  crops/<stem>.npy   (--crops) [224, 224, 3] uint8 for three images: PIL's bicubic resize + center crop,
                     i.e. the pixels CLIPImageProcessor rescales and normalises

Images: every .png/.jpg of $SWIFTLET_OCR_SAMPLES (default /work/shared/ocr-samples; real
photos/scans) and the committed rendered images golden/ocr/synthetic/*.png. Opened with
PIL.Image.open and handed to the processor as they are (no EXIF transpose, as
CLIPImageProcessor does with a PIL image; transformers' convert_to_rgb composites any alpha
onto white with PIL.Image.alpha_composite).
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import sys

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPORA = ("en.jsonl", "multilingual.jsonl")
CROP_STEMS = ("ch_en_num", "issue_170", "000")


def corpus_texts():
    """en.jsonl then multilingual.jsonl, read as the e5 goldens and the Swift tests read them
    ({"repeat", "times"} lines expanded, lone surrogates -> U+FFFD)."""
    sys.path.insert(0, os.path.join(REPO, "tools"))
    from swiftlet_tools.golden.e5 import load_corpus
    return [t for name in CORPORA for t in load_corpus(os.path.join(REPO, "golden", "corpus", name))]


def image_paths():
    samples = os.environ.get("SWIFTLET_OCR_SAMPLES", "/work/shared/ocr-samples")
    found = []
    for pattern in ("*.png", "*.jpg"):
        found += [("ocr-samples", p, os.path.basename(p)) for p in glob.glob(os.path.join(samples, pattern))]
    found.sort(key=lambda t: t[2])
    synth = sorted(glob.glob(os.path.join(REPO, "golden", "ocr", "synthetic", "*.png")))
    found += [("repo", p, os.path.relpath(p, REPO)) for p in synth]
    if len(found) < 20:
        sys.exit(f"make_golden: only {len(found)} images found (need >= 20; set SWIFTLET_OCR_SAMPLES)")
    return found


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def tokens(model_dir, out):
    from transformers import CLIPTokenizer
    tok = CLIPTokenizer.from_pretrained(model_dir)
    with open(os.path.join(out, "tokens.jsonl"), "w", encoding="ascii", newline="\n") as f:
        for t in corpus_texts():
            ids = tok(t, truncation=True, max_length=77)["input_ids"]
            f.write(json.dumps({"ids": ids}, separators=(",", ":")) + "\n")


def embeddings(model_dir, out, n_texts, crops):
    import torch
    from PIL import Image
    from transformers import CLIPImageProcessorPil, CLIPModel, CLIPTokenizer

    torch.set_num_threads(2)
    model = CLIPModel.from_pretrained(model_dir).eval()
    tok = CLIPTokenizer.from_pretrained(model_dir)
    proc = CLIPImageProcessorPil.from_pretrained(model_dir)
    texts = corpus_texts()[:n_texts]
    feats = []
    with torch.no_grad():
        for i in range(0, len(texts), 64):
            enc = tok(texts[i:i + 64], padding=True, truncation=True, max_length=77, return_tensors="pt")
            feats.append(model.get_text_features(**enc).pooler_output.numpy())
    np.save(os.path.join(out, "text_features.npy"), np.concatenate(feats).astype(np.float32))
    import transformers
    meta = {"texts": len(texts), "corpora": ["golden/corpus/" + c for c in CORPORA],
            "model": os.path.basename(os.path.normpath(model_dir)), "weights": "RANDOM (tools/build_clip.py, seed 0)",
            "versions": {"torch": torch.__version__, "transformers": transformers.__version__}}
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)

    rows, feats = [], []
    if crops:
        os.makedirs(os.path.join(out, "crops"), exist_ok=True)
    for source, path, rel in image_paths():
        img = Image.open(path)
        img.load()
        rows.append({"source": source, "path": rel, "sha256": sha256(path)})
        pixels = proc(images=img, return_tensors="pt")["pixel_values"]
        with torch.no_grad():
            feats.append(model.get_image_features(pixel_values=pixels).pooler_output.numpy()[0])
        stem = os.path.splitext(os.path.basename(path))[0]
        if crops and stem in CROP_STEMS:
            # The uint8 pixels the processor normalised (inverting rescale+normalise is exact
            # after rounding: 1/255 steps are ~0.017 apart, float32 error ~1e-7).
            mean = np.array(proc.image_mean, dtype=np.float64)[:, None, None]
            std = np.array(proc.image_std, dtype=np.float64)[:, None, None]
            u = (pixels[0].double().numpy() * std + mean) * 255.0
            crop = np.rint(u).astype(np.uint8).transpose(1, 2, 0)
            assert np.abs(u - np.rint(u)).max() < 1e-3
            np.save(os.path.join(out, "crops", stem + ".npy"), np.ascontiguousarray(crop))
    np.save(os.path.join(out, "image_features.npy"), np.stack(feats).astype(np.float32))
    with open(os.path.join(out, "images.json"), "w") as f:
        json.dump(rows, f, indent=1)
    print(f"make_golden: {len(texts)} texts, {len(rows)} images -> {out}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--texts", type=int, default=10 ** 9, help="embed the first N corpus lines")
    ap.add_argument("--tokenizer-only", action="store_true")
    ap.add_argument("--crops", action="store_true", help="also write crops/ (the preprocessing is the same for every model)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.tokenizer_only:
        tokens(args.model_dir, args.out)
    else:
        embeddings(args.model_dir, args.out, args.texts, args.crops)


if __name__ == "__main__":
    main()
