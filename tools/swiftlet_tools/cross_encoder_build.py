"""A cross-encoder checkpoint with RANDOMLY INITIALISED weights (issue 18 item 2): no real
cross-encoder weights are reachable from PyPI, so the reranking path (converter, pair
tokenization, graph, scores) is tested on transformers' own BertForSequenceClassification
with one label, initialised by torch with a fixed seed, at all-MiniLM-L6-v2's shape (6 layers,
hidden 384, 12 heads) and with its real tokenizer. Its scores mean nothing; they only have to
match torch's. A real checkpoint (e.g. a sentence-transformers CrossEncoder saved in the HF
layout) converts with the same command: tools/convert.py --hf-dir DIR.

    python tools/build_cross_encoder.py --minilm models/src/all-MiniLM-L6-v2 \
        --out models/src/cross-encoder-random-minilm

Writes config.json (BertForSequenceClassification, num_labels 1, sentence-transformers'
activation_fn Sigmoid as a CrossEncoder saves it), model.safetensors, and the tokenizer files
copied from --minilm. Deterministic for a given torch version: torch.manual_seed(SEED) before
the model is built, CPU.
"""

import argparse
import json
import os
import shutil

SEED = 18
# Wider than BERT's 0.02 so that random scores spread out and a ranking is well defined
# (with 0.02 the pooler and classifier give nearly equal logits for every pair).
INITIALIZER_RANGE = 0.2
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minilm", required=True, help="all-MiniLM-L6-v2 source directory (config.json, tokenizer files)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    with open(os.path.join(args.minilm, "config.json"), encoding="utf-8") as f:
        base = json.load(f)
    for k in ("_name_or_path", "architectures", "transformers_version", "gradient_checkpointing"):
        base.pop(k, None)
    base.update(num_labels=1, initializer_range=INITIALIZER_RANGE)
    cfg = BertConfig(**base)
    torch.manual_seed(SEED)
    model = BertForSequenceClassification(cfg).eval()
    os.makedirs(args.out, exist_ok=True)
    model.save_pretrained(args.out, safe_serialization=True)
    path = os.path.join(args.out, "config.json")
    with open(path, encoding="utf-8") as f:
        saved = json.load(f)
    saved["sentence_transformers"] = {"activation_fn": "torch.nn.modules.activation.Sigmoid"}
    saved["swiftlet_note"] = (f"RANDOMLY INITIALISED weights (torch.manual_seed({SEED}), initializer_range "
                              f"{INITIALIZER_RANGE}) at all-MiniLM-L6-v2's shape, for parity tests only")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(saved, f, indent=2, sort_keys=True)
        f.write("\n")
    for name in TOKENIZER_FILES:
        shutil.copyfile(os.path.join(args.minilm, name), os.path.join(args.out, name))
    print(f"cross_encoder_build: wrote {args.out} (random weights, seed {SEED})")
    return 0
