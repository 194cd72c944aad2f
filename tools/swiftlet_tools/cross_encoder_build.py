"""A cross-encoder checkpoint with RANDOMLY INITIALISED weights (issue 18 item 2): no real
cross-encoder weights are reachable from PyPI, so the reranking path (converter, pair
tokenization, graph, scores) is tested on transformers' own BertForSequenceClassification
with one label, initialised by torch with fixed seeds, at all-MiniLM-L6-v2's shape (6 layers,
hidden 384, 12 heads) and with its real tokenizer. Its scores mean nothing; they only have to
match torch's. A real checkpoint (e.g. a sentence-transformers CrossEncoder saved in the HF
layout) converts with the same command: tools/convert.py --hf-dir DIR.

    python tools/build_cross_encoder.py --minilm models/src/all-MiniLM-L6-v2 \
        --out models/src/cross-encoder-random-minilm

Writes config.json (BertForSequenceClassification, num_labels 1, sentence-transformers'
activation_fn Sigmoid as a CrossEncoder saves it), model.safetensors, and the tokenizer files
copied from --minilm. Deterministic for a given torch version: torch.manual_seed(SEED) before
the model is built, then the head's weights from a generator seeded HEAD_SEED; CPU.
"""

import argparse
import json
import os
import shutil

SEED = 18
HEAD_SEED = 19
# The encoder keeps BERT's initializer_range 0.02: wider random weights make the network
# ill-conditioned (with 0.2 everywhere, torch float32 vs float64 differ by 2.7e-4 in the logit,
# more than the parity tolerance, so no float32 engine could be held to it). Only the pooler and
# classifier weights are drawn wider (std HEAD_STD): with 0.02 there too, the logits of all
# pairs crowd into 0.06 with gaps of 2e-5 and a ranking says little. Measured on the golden
# cases: float32 vs float64 within 5e-6, smallest logit gap in a case 1e-3.
INITIALIZER_RANGE = 0.02
HEAD_STD = 0.2
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
    g = torch.Generator().manual_seed(HEAD_SEED)
    with torch.no_grad():
        for linear in (model.bert.pooler.dense, model.classifier):
            linear.weight.copy_(torch.randn(linear.weight.shape, generator=g) * HEAD_STD)
    os.makedirs(args.out, exist_ok=True)
    model.save_pretrained(args.out, safe_serialization=True)
    path = os.path.join(args.out, "config.json")
    with open(path, encoding="utf-8") as f:
        saved = json.load(f)
    saved["sentence_transformers"] = {"activation_fn": "torch.nn.modules.activation.Sigmoid"}
    saved["swiftlet_note"] = (f"RANDOMLY INITIALISED weights (torch.manual_seed({SEED}), initializer_range "
                              f"{INITIALIZER_RANGE}; pooler and classifier weights std {HEAD_STD}, seed {HEAD_SEED}) "
                              "at all-MiniLM-L6-v2's shape, for parity tests only")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(saved, f, indent=2, sort_keys=True)
        f.write("\n")
    for name in TOKENIZER_FILES:
        shutil.copyfile(os.path.join(args.minilm, name), os.path.join(args.out, name))
    print(f"cross_encoder_build: wrote {args.out} (random weights, seed {SEED})")
    return 0
