"""A cross-encoder (BertForSequenceClassification, the sentence-transformers CrossEncoder
layout) exported to ONNX as a user would for onnxruntime:

    python tools/export_cross_encoder_onnx.py --hf-dir models/src/cross-encoder-random-minilm \
        --out model.onnx [--opset 14]

  input_ids, attention_mask, token_type_ids  int64 [batch, sequence]  -> logits float32 [batch, labels]

The graph holds no sigmoid: like the checkpoint, it gives logits, and the converter takes the
activation from config.json (--config-dir). Kept only if onnxruntime matches torch within 1e-4
on probe pairs (several batch sizes and lengths, right padding, both token types)."""

import argparse
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402

from .torch_onnx import export_checked  # noqa: E402

INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def _wrapped(hf_dir: str, attn):
    import torch
    from transformers import AutoModelForSequenceClassification
    kwargs = {"local_files_only": True}
    if attn:
        kwargs["attn_implementation"] = attn
    model = AutoModelForSequenceClassification.from_pretrained(hf_dir, **kwargs).float().eval()

    class Logits(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids,
                              return_dict=True).logits

    return Logits().eval()


def pair_probes(vocab: int, cls: int = 101, sep: int = 102, seed: int = 18):
    """[CLS] q [SEP] d [SEP] rows of random ids, right-padded with 0 (mask 0) below the longest."""
    g = np.random.default_rng(seed)
    probes = []
    for b, s in ((2, 9), (1, 5), (3, 33), (2, 128)):
        ids = g.integers(1000, vocab, size=(b, s), dtype=np.int64)
        mask = np.ones((b, s), dtype=np.int64)
        types = np.zeros((b, s), dtype=np.int64)
        for r in range(b):
            n = max(5, s - 3 * r)
            q = max(1, (n - 3) // 3)
            ids[r, 0], ids[r, q + 1], ids[r, n - 1] = cls, sep, sep
            types[r, q + 2:n] = 1
            ids[r, n:], mask[r, n:] = 0, 0
        probes.append({"input_ids": ids, "attention_mask": mask, "token_type_ids": types})
    return probes


def export_cross_encoder(hf_dir: str, out: str, opset: int) -> None:
    import torch
    from transformers import AutoConfig
    torch.set_num_threads(1)
    cfg = AutoConfig.from_pretrained(hf_dir, local_files_only=True)
    probes = pair_probes(int(cfg.vocab_size))
    axes = {name: {0: "batch", 1: "sequence"} for name in INPUTS}
    axes["logits"] = {0: "batch"}
    export_checked(lambda attn: _wrapped(hf_dir, attn), out, probes[0], probes, "logits", axes, opset)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hf-dir", required=True, help="a BertForSequenceClassification directory")
    ap.add_argument("--out", required=True)
    ap.add_argument("--opset", type=int, default=14)
    args = ap.parse_args(argv)
    try:
        export_cross_encoder(args.hf_dir, args.out, args.opset)
    except (OSError, RuntimeError, ValueError) as e:
        print(f"export_cross_encoder_onnx: error: {e}", file=sys.stderr)
        return 1
    return 0
