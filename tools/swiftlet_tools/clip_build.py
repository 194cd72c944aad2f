"""Build CLIP reference checkpoints with RANDOM weights (fixed seed) in the Hugging Face
`CLIPModel` layout, with the real CLIP tokenizer.

    python tools/build_clip.py --wheel open_clip_torch-3.3.0-py3-none-any.whl \
        --shape vit-b32|tiny --seed 0 --out models/src/clip-vit-b32-random

No CLIP weights are reachable here (model hubs are not), so the weights are drawn by
transformers' own `CLIPModel` initialisation under `torch.manual_seed(seed)`; every
LayerNorm's weight and bias are then perturbed too (also seeded), so a converter that
ignores them cannot pass parity. These checkpoints test the code paths, not retrieval
quality. A real checkpoint (e.g. openai/clip-vit-base-patch32) has the same layout and
converts with the same command.

The vocabulary and merges are CLIP's own: `open_clip/bpe_simple_vocab_16e6.txt.gz` from the
open-clip-torch wheel, turned into vocab/merges exactly as open_clip's SimpleTokenizer does
(256 byte symbols, the same with `</w>`, 48894 merges, the two specials), and given to
transformers' `CLIPTokenizer` (tokenizers-backed), whose tokenizer.json is written.

Writes: config.json, model.safetensors, tokenizer.json, tokenizer_config.json,
special_tokens_map.json, preprocessor_config.json, RANDOM_WEIGHTS.txt.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import zipfile

VOCAB_MEMBER = "open_clip/bpe_simple_vocab_16e6.txt.gz"
MERGES = 49152 - 256 - 2  # open_clip SimpleTokenizer: merges[1:49152-256-2+1]
SHAPES = ("vit-b32", "tiny")


def bytes_to_unicode() -> dict:
    """GPT-2's printable stand-ins for the 256 byte values (as open_clip defines them)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def vocab_and_merges(wheel: str):
    with zipfile.ZipFile(wheel) as z:
        text = gzip.decompress(z.read(VOCAB_MEMBER)).decode("utf-8")
    lines = text.split("\n")[1:MERGES + 1]
    merges = [tuple(m.split()) for m in lines]
    symbols = list(bytes_to_unicode().values())
    vocab = symbols + [s + "</w>" for s in symbols] + ["".join(m) for m in merges]
    vocab += ["<|startoftext|>", "<|endoftext|>"]
    return {t: i for i, t in enumerate(vocab)}, merges


def config_for(shape: str):
    from transformers import CLIPConfig
    if shape == "vit-b32":
        # transformers' defaults are ViT-B/32 (openai/clip-vit-base-patch32).
        return CLIPConfig(projection_dim=512)
    # Tiny: same vocabulary, context and image geometry (so tokenizer and preprocessing are
    # the real ones), few small layers; exact gelu here and quick_gelu in ViT-B/32 covers both.
    text = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                hidden_act="gelu")
    vision = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                  image_size=224, patch_size=32, hidden_act="gelu")
    return CLIPConfig(text_config=text, vision_config=vision, projection_dim=32)


def build(shape: str, seed: int, wheel: str, out: str) -> None:
    import torch
    from transformers import CLIPImageProcessorPil, CLIPModel, CLIPTokenizer

    os.makedirs(out, exist_ok=True)
    vocab, merges = vocab_and_merges(wheel)
    tok = CLIPTokenizer(vocab=vocab, merges=merges, model_max_length=77)
    tok.save_pretrained(out)
    CLIPImageProcessorPil().save_pretrained(out)

    torch.manual_seed(seed)
    model = CLIPModel(config_for(shape)).eval()
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.LayerNorm):
                m.weight.add_(0.1 * torch.randn(m.weight.shape, generator=g))
                m.bias.add_(0.1 * torch.randn(m.bias.shape, generator=g))
    model.save_pretrained(out, safe_serialization=True)
    with open(os.path.join(out, "RANDOM_WEIGHTS.txt"), "w") as f:
        f.write(f"CLIPModel ({shape} shape) with RANDOM weights: torch.manual_seed({seed}), LayerNorms "
                f"perturbed with seed {seed + 1}. Built by tools/build_clip.py for parity tests only; "
                f"its embeddings carry no meaning.\n")
    # The tokenizer must agree with the vocabulary's own invariants.
    ids = tok("a photo of a cat")["input_ids"]
    assert ids[0] == vocab["<|startoftext|>"] and ids[-1] == vocab["<|endoftext|>"] == 49407, ids
    print(f"build_clip: wrote {out} ({shape}, seed {seed}, RANDOM weights)", file=sys.stderr)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", required=True, help="open_clip_torch-3.3.0-py3-none-any.whl")
    ap.add_argument("--shape", choices=SHAPES, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    if not os.path.isfile(args.wheel):
        print(f"build_clip: error: wheel not found: {args.wheel}", file=sys.stderr)
        return 1
    build(args.shape, args.seed, args.wheel, args.out)
    return 0
