#!/usr/bin/env python3
"""Single-thread tokenizer speed: Swiftlet vs HF `tokenizers` (Rust, via Python).

    tools/bench_tokenizers.py [--models DIR] [--rounds N] [--only NAME ...] [--exe SWIFTLET_TOKBENCH]

Corpus: golden/corpus/multilingual.jsonl without the 1 MB line plus
golden/corpus/en.jsonl. For each tokenizer: HF load time (Tokenizer.from_file)
and encode throughput (encode() per text, RAYON_NUM_THREADS=1, best of N), then
the same with .build/release/swiftlet-tokbench (build it first:
`swift build -c release --product swiftlet-tokbench`). Prints a table; rounds
interleave the two engines (best of N each) so both see the same machine load.
Throughput is per CPU second of the timing thread/process (steadier than wall
time on a shared machine). Swift load is timed from tokenizer.json alone
("SW load") and, for Unigram models, with the precomputed vocabulary a .swl
carries ("SW+blob": the tokenizer.unigram tools/setup.sh leaves next to
tokenizer.json, else one made here with tools/tokenizer_blob.py).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

os.environ["RAYON_NUM_THREADS"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
from tokenizers import Tokenizer  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
from swiftlet_tools.golden.tokenizer_cases_spm import corpus_texts  # noqa: E402  (tools/ is this script's directory)

NAMES = {"WordPiece (MiniLM)": "all-MiniLM-L6-v2", "Unigram (e5, XLM-R 250k)": "multilingual-e5-small",
         "Unigram (tokenlearn, XLM-R charsmap)": "tokenlearn-static-model",
         "Unigram+byte fallback (mon)": "mon-tokenizer", "BPE (botchan)": "spm-botchan-bpe"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default=os.environ.get("SWIFTLET_MODELS", os.path.join(ROOT, "models")))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", nargs="*", help="model directory names to run (default: all)")
    ap.add_argument("--exe", default=os.path.join(ROOT, ".build/release/swiftlet-tokbench"), help="swiftlet-tokbench to time")
    a = ap.parse_args()
    texts = [t for t in corpus_texts() if len(t) < 100_000]
    with open(os.path.join(ROOT, "golden/corpus/en.jsonl")) as f:
        texts += [json.loads(l)["text"] for l in f]
    nbytes = sum(len(t.encode("utf-8", "surrogatepass")) for t in texts)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for t in texts:
            f.write(json.dumps({"text": t}) + "\n")
        corpus = f.name
    exe = a.exe
    print(f"corpus: {len(texts)} texts, {nbytes / 1e6:.2f} MB; load average {os.getloadavg()[0]:.2f}")
    print(f"{'tokenizer':40} {'HF load ms':>10} {'SW load ms':>10} {'SW+blob':>8} {'HF MB/s':>8} {'SW MB/s':>8} {'ratio':>6}")
    blob_dir = tempfile.mkdtemp(prefix="bench_tokenizers-")
    for label, name in NAMES.items():
        if a.only and name not in a.only:
            continue
        path = os.path.join(a.models, "src", name, "tokenizer.json")
        t0 = time.perf_counter()
        tok = Tokenizer.from_file(path)
        hf_load = (time.perf_counter() - t0) * 1000
        tok.no_truncation()
        # Rounds interleave HF and Swift so both see the same machine load.
        hf_best = float("inf")
        sw, sw_load = 0.0, float("inf")
        for _ in range(a.rounds):
            t0 = time.process_time()
            for t in texts:
                tok.encode(t)
            hf_best = min(hf_best, time.process_time() - t0)
            out = json.loads(subprocess.run([exe, path, corpus, "2"], check=True, capture_output=True, text=True).stdout)
            sw = max(sw, out["mb_per_s_cpu"])
            sw_load = min(sw_load, out["load_ms_median"])
        hf_mbs = nbytes / hf_best / 1e6
        # The precomputed vocabulary a .swl carries (tools/setup.sh leaves some next to
        # tokenizer.json; others are made here the way convert.py makes them).
        blob = os.path.join(os.path.dirname(path), "tokenizer.unigram")
        if not os.path.isfile(blob):
            blob = os.path.join(blob_dir, name + ".unigram")
            subprocess.run([sys.executable, os.path.join(ROOT, "tools", "tokenizer_blob.py"), path, blob], check=True, capture_output=True)
        blob_ms = "-"
        if os.path.isfile(blob):
            with_blob = json.loads(subprocess.run([exe, path, corpus, "1", blob], check=True, capture_output=True, text=True).stdout)
            blob_ms = f"{with_blob['load_ms_median']:.1f}"
        print(f"{label:40} {hf_load:10.1f} {sw_load:10.1f} {blob_ms:>8} {hf_mbs:8.2f} {sw:8.2f} {sw / hf_mbs:6.2f}")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    shutil.rmtree(blob_dir)
    os.unlink(corpus)


if __name__ == "__main__":
    main()
