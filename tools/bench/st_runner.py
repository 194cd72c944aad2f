#!/usr/bin/env python3
"""sentence-transformers / torch CPU side of tools/bench_speed.py: one measurement per
process, JSON on stdout (the same keys as tools/bench/ort_runner.py and `swiftlet bench`).

    st_runner.py synth  --hf-dir DIR --batch B --seq S --threads T --runs N [--warmup W]
                        [--save OUT.npy]
    st_runner.py corpus --hf-dir DIR --jsonl FILE --threads T --runs N [--warmup W]
                        [--warmup-limit K] [--batch 32] [--save OUT.npy]

Both load the model with SentenceTransformer(DIR, device="cpu") after
torch.set_num_threads(T) (inter-op threads 1). synth runs the underlying HF model's
forward (model[0].auto_model) on the ids of `swiftlet bench --batch B --seq S` under
torch.inference_mode; --save writes last_hidden_state. corpus times
model.encode(texts, batch_size=32) (its default: length-sorted batches, tokenization,
pooling and the model's own Normalize module) texts -> vectors; --save writes the
L2-normalized vectors.
"""
import argparse
import json
import os
import sys

import numpy as np

from ort_runner import load_texts, report, synth_ids, timed  # (this script's directory is on sys.path)


def load_model(hf_dir, threads):
    import torch

    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(hf_dir, device="cpu", local_files_only=True)


def cmd_synth(a):
    import torch

    model = load_model(a.hf_dir, a.threads)
    hf = model[0].auto_model.eval()
    ids = torch.from_numpy(synth_ids(a.batch, a.seq))
    feeds = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "token_type_ids": torch.zeros_like(ids)}
    last = {}

    def run():
        with torch.inference_mode():
            last["hidden"] = hf(**feeds).last_hidden_state

    times = timed(run, a.runs, a.warmup)
    if a.save:
        np.save(a.save, last["hidden"].numpy())
    report(times, a.threads, a.batch)


def cmd_corpus(a):
    model = load_model(a.hf_dir, a.threads)
    texts = load_texts(a.jsonl, 0)
    last = {}

    def embed(todo):
        last["vectors"] = model.encode(todo, batch_size=a.batch, show_progress_bar=False)

    for _ in range(a.warmup):
        embed(texts[:a.warmup_limit] if a.warmup_limit else texts)
    times = timed(lambda: embed(texts), a.runs, 0)
    if a.save:
        v = np.asarray(last["vectors"], dtype=np.float32)
        np.save(a.save, v / np.clip(np.linalg.norm(v, axis=1, keepdims=True), 1e-12, None))
    report(times, a.threads, len(texts))


def main():
    ap = argparse.ArgumentParser(description="sentence-transformers side of tools/bench_speed.py")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("synth", "corpus"):
        p = sub.add_parser(name)
        p.add_argument("--hf-dir", required=True)
        p.add_argument("--threads", type=int, required=True)
        p.add_argument("--runs", type=int, default=10)
        p.add_argument("--warmup", type=int, default=2)
        p.add_argument("--save", default="")
        if name == "synth":
            p.add_argument("--batch", type=int, default=1)
            p.add_argument("--seq", type=int, default=128)
        else:
            p.add_argument("--jsonl", required=True)
            p.add_argument("--batch", type=int, default=32)
            p.add_argument("--warmup-limit", type=int, default=0, help="warm up on the first K texts only")
    a = ap.parse_args()
    {"synth": cmd_synth, "corpus": cmd_corpus}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
