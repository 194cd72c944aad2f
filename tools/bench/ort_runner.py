#!/usr/bin/env python3
"""onnxruntime side of tools/bench.py: one measurement per process, JSON on stdout.

    ort_runner.py synth  --onnx M.onnx --batch B --seq S --threads T --runs N [--warmup W]
    ort_runner.py corpus --onnx M.onnx --tokenizer tokenizer.json --jsonl FILE
                         --threads T --runs N [--warmup W] [--warmup-limit K] [--batch 256]
                         [--limit K] [--max-length 256] [--save OUT.npy]
    ort_runner.py tensor --onnx M.onnx --input NAME=X.npy [...] --threads T --runs N
                         [--warmup W] [--save-dir DIR]

synth feeds the raw graph the same ids as `swiftlet bench --batch B --seq S`
(101, then ((r*S+j)*7919 % 20000) + 1000, then 102; mask ones; type ids zeros).
corpus embeds the texts the way fastembed does: HF tokenizers (truncation at --max-length,
default 256; padding to the longest in each batch), batches of 256 in input order, one
session.run per batch, numpy mean pooling and L2 normalization; the timed region is texts -> vectors.
tensor runs the raw graph on the given .npy tensors (as `swiftlet bench --input`); with
--save-dir it also writes each output of the last run to DIR/NAME.npy (parity checks).
Prints {"median_ms", "min_ms", "runs", "threads", "items", "items_per_s"}, the same
keys as `swiftlet bench`.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import onnxruntime as ort


def make_session(path, threads):
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, sess_options=so, providers=["CPUExecutionProvider"])


def synth_ids(b, n):
    r = np.arange(b, dtype=np.int64)[:, None]
    j = np.arange(n, dtype=np.int64)[None, :]
    ids = ((r * n + j) * 7919 % 20000) + 1000
    ids[:, 0] = 101
    ids[:, n - 1] = 102
    return ids


def timed(fn, runs, warmup):
    times = []
    for i in range(runs + warmup):
        t0 = time.perf_counter_ns()
        fn()
        if i >= warmup:
            times.append((time.perf_counter_ns() - t0) / 1e6)
    times.sort()
    return times


def report(times, threads, items):
    median = times[len(times) // 2]
    print(json.dumps({"median_ms": median, "min_ms": times[0], "runs": len(times), "threads": threads,
                      "items": items, "items_per_s": items / median * 1000}), flush=True)


def cmd_synth(a):
    s = make_session(a.onnx, a.threads)
    ids = synth_ids(a.batch, a.seq)
    feeds_all = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
    feeds = {i.name: feeds_all[i.name] for i in s.get_inputs()}
    report(timed(lambda: s.run(None, feeds), a.runs, a.warmup), a.threads, a.batch)


def load_texts(path, limit):
    texts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts[:limit] if limit else texts


def cmd_corpus(a):
    from tokenizers import Tokenizer

    s = make_session(a.onnx, a.threads)
    tok = Tokenizer.from_file(a.tokenizer)
    tok.enable_truncation(max_length=a.max_length)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")  # no length: pad to the longest in the batch
    names = {i.name for i in s.get_inputs()}
    texts = load_texts(a.jsonl, a.limit)
    result = []

    def embed_all(todo):
        out = []
        for k in range(0, len(todo), a.batch):
            encs = tok.encode_batch(todo[k:k + a.batch])
            ids = np.array([e.ids for e in encs], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encs], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask,
                     "token_type_ids": np.array([e.type_ids for e in encs], dtype=np.int64)}
            hidden = s.run(None, {n: v for n, v in feeds.items() if n in names})[0]
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            out.append(pooled)
        result[:] = [np.concatenate(out)]

    for _ in range(a.warmup):  # on the first --warmup-limit texts only, if given
        embed_all(texts[:a.warmup_limit] if a.warmup_limit else texts)
    times = timed(lambda: embed_all(texts), a.runs, 0)
    if a.save:
        np.save(a.save, result[0])
    report(times, a.threads, len(texts))


def cmd_tensor(a):
    s = make_session(a.onnx, a.threads)
    feeds = {}
    for spec in a.input:
        name, eq, path = spec.partition("=")
        if not eq:
            sys.exit(f"ort_runner.py: --input takes NAME=FILE.npy, got {spec!r}")
        feeds[name] = np.load(path)
    last = {}

    def run():
        last["outs"] = s.run(None, feeds)

    times = timed(run, a.runs, a.warmup)
    if a.save_dir:
        os.makedirs(a.save_dir, exist_ok=True)
        for info, value in zip(s.get_outputs(), last["outs"]):
            np.save(os.path.join(a.save_dir, info.name + ".npy"), value)
    report(times, a.threads, next(iter(feeds.values())).shape[0] if feeds else 1)


def main():
    ap = argparse.ArgumentParser(description="onnxruntime side of tools/bench.py")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("synth", "corpus", "tensor"):
        p = sub.add_parser(name)
        p.add_argument("--onnx", required=True)
        p.add_argument("--threads", type=int, required=True)
        p.add_argument("--runs", type=int, default=10)
        p.add_argument("--warmup", type=int, default=2)
        if name == "synth":
            p.add_argument("--batch", type=int, default=1)
            p.add_argument("--seq", type=int, default=128)
        elif name == "tensor":
            p.add_argument("--input", action="append", default=[], help="NAME=FILE.npy (repeatable)")
            p.add_argument("--save-dir", default="")
        else:
            p.add_argument("--tokenizer", required=True)
            p.add_argument("--jsonl", required=True)
            p.add_argument("--batch", type=int, default=256)
            p.add_argument("--limit", type=int, default=0)
            p.add_argument("--save", default="")
            p.add_argument("--warmup-limit", type=int, default=0, help="warm up on the first K texts only")
            p.add_argument("--max-length", type=int, default=256, help="truncate texts to this many tokens")
    a = ap.parse_args()
    {"synth": cmd_synth, "corpus": cmd_corpus, "tensor": cmd_tensor}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
