"""Swiftlet without the server: `swiftlet bench` on the texts the server is sent."""

import json
import os
import statistics
import subprocess

from ..errors import ToolError


def _bench(binary, model, jsonl, threads, batch, runs, warmup):
    cmd = [binary, "bench", "--model", model, "--jsonl", jsonl, "--threads", str(threads), "--batch", str(batch),
           "--runs", str(runs), "--warmup", str(warmup)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
    if p.returncode != 0 or not lines:
        raise ToolError(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr.strip()}")
    return json.loads(lines[-1])


def write_jsonl(path, texts):
    with open(path, "w", encoding="utf-8") as f:
        for t in texts:
            f.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")
    return path


def token_counts(binary, model, jsonl):
    p = subprocess.run([binary, "tokenize", "--model", model, "--jsonl", jsonl], capture_output=True, text=True)
    if p.returncode != 0:
        raise ToolError(f"swiftlet tokenize failed: {p.stderr.strip()}")
    return [len(json.loads(l)["ids"]) for l in p.stdout.splitlines() if l.startswith("{")]


def median_text(texts, counts):
    """The text of median token count: a one-text request's p50 latency is about its latency."""
    order = sorted(range(len(texts)), key=lambda i: counts[i])
    return texts[order[len(order) // 2]]


def measure(binary, model, texts, threads, tmp, runs_b1, runs_batched):
    """Batch-1 latency (the median-length text on its own, and the p50 over the stream of
    all the texts, in the order a 1-client cell sends them) and batch-32 throughput."""
    corpus = write_jsonl(os.path.join(tmp, "inproc-all.jsonl"), texts)
    counts = token_counts(binary, model, corpus)
    one = write_jsonl(os.path.join(tmp, "inproc-one.jsonl"), [median_text(texts, counts)])
    b1 = _bench(binary, model, one, threads, 1, runs_b1, 3)
    b1_all = _bench(binary, model, corpus, threads, 1, 1, 1)
    batched = _bench(binary, model, corpus, threads, 32, runs_batched, 1)
    return {"b1_median_text_ms": b1["median_ms"], "median_text_tokens": statistics.median(counts),
            "b1_mean_ms": b1_all["median_ms"] / b1_all["items"], "b1_stream_p50_ms": b1_all["item_p50_ms"],
            "batched_texts_per_s": batched["items_per_s"],
            "batched_cpu_ms_per_text": 1000 / batched["items_per_cpu_s"] if batched.get("items_per_cpu_s") else None,
            "texts": len(texts), "mean_tokens": statistics.mean(counts)}


def best(a, b):
    """Of two measurements, the faster one for each number: the stricter reference."""
    out = dict(a)
    for k in ("b1_median_text_ms", "b1_mean_ms", "b1_stream_p50_ms", "batched_cpu_ms_per_text"):
        if a.get(k) is not None and b.get(k) is not None:
            out[k] = min(a[k], b[k])
    out["batched_texts_per_s"] = max(a["batched_texts_per_s"], b["batched_texts_per_s"])
    return out
