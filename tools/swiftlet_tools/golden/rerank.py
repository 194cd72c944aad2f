"""Reference scores of the RANDOMLY INITIALISED cross-encoder (issue 18 item 2), made by
transformers + torch.

    python tools/golden.py rerank --model-dir models/src/cross-encoder-random-minilm \
        --corpus golden/corpus/en.jsonl --out golden/cross-encoder-random-minilm

The checkpoint is tools/build_cross_encoder.py's BertForSequenceClassification (one label,
torch.manual_seed(18), all-MiniLM-L6-v2's shape and real tokenizer). Cases: QUERIES queries
(corpus lines picked by index) each against DOCS documents (a fixed stride through the
corpus), plus one long query against long documents (corpus texts joined) so that pair
truncation to 512 tokens, longest first, is exercised on both sides. Per case, as
sentence-transformers' CrossEncoder.predict: the fast tokenizer on (query, document) pairs
(`[CLS] q [SEP] d [SEP]`, token_type_ids 0/1, truncation longest_first to max_length 512,
padding to the batch's longest), the model's logit, then the Sigmoid the config names.
Writes into --out:
    cases.jsonl   per case {"query", "documents", "ids": [[...] per document] (the pair
                  encodings), "logits": [...], "scores": [...] (sigmoid), "ranking": [...]
                  (document indices by score, descending)}
    README.md     how it was made, versions, and the smallest gap between two scores of one
                  case (how much room the ranking comparison has)
Deterministic: fixed order, torch on one thread, no timestamps.
"""

import argparse
import json
import os
import platform
import shlex

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402

from ..files import sha256_file as sha256  # noqa: E402
from ..paths import REPO  # noqa: E402
from .embedder import load_corpus, rel, versions  # noqa: E402

MAX_LEN = 512
MIN_GAP = 1e-5  # logits closer than this within one case count as a tie (see main)
QUERIES = (0, 1, 2, 3, 4, 5, 7, 11)
DOCS = 24


def cases(texts):
    n = len(texts)
    out = []
    for k, q in enumerate(QUERIES):
        docs = [texts[(q * 37 + 13 * j + 20 + k) % n] for j in range(DOCS)]
        out.append((texts[q], docs))
    # Long query and documents: every pair overflows 512 tokens, on one side or both.
    by_len = sorted(range(n), key=lambda i: -len(texts[i]))
    long_q = " ".join(texts[i] for i in by_len[:3])
    long_docs = [" ".join(texts[i] for i in by_len[j:j + 4]) for j in range(0, 24, 3)] + \
                [texts[by_len[-1 - j]] for j in range(4)]
    out.append((long_q, long_docs))
    out.append((texts[QUERIES[0]], [" ".join(texts[i] for i in by_len[:6])] + [texts[i] for i in range(8, 12)]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", default=os.path.join(REPO, "models/src/cross-encoder-random-minilm"))
    ap.add_argument("--corpus", default=os.path.join(REPO, "golden/corpus/en.jsonl"))
    ap.add_argument("--out", default=os.path.join(REPO, "golden/cross-encoder-random-minilm"))
    args = ap.parse_args()
    if not os.path.isfile(os.path.join(args.model_dir, "model.safetensors")):
        raise SystemExit(f"golden.py rerank: no model.safetensors in {args.model_dir} (tools/setup.sh makes it)")
    import torch
    from transformers import AutoTokenizer, BertForSequenceClassification
    torch.set_num_threads(1)

    texts = load_corpus(args.corpus)
    tok = AutoTokenizer.from_pretrained(args.model_dir)
    model = BertForSequenceClassification.from_pretrained(args.model_dir).eval()
    with open(os.path.join(args.model_dir, "config.json"), encoding="utf-8") as f:
        act = json.load(f)["sentence_transformers"]["activation_fn"]
    assert act.endswith("Sigmoid"), act
    rows, min_gap, truncated, near_ties = [], float("inf"), 0, 0
    min_logit_gap = float("inf")

    def run(docs):
        enc = tok([q] * len(docs), docs, truncation="longest_first", max_length=MAX_LEN, padding=True, return_tensors="pt")
        with torch.no_grad():
            return enc, model(**enc).logits[:, 0]
    ce_diff = None
    for q, docs in cases(texts):
        # Documents whose truncated pair is token for token another's (long texts cut to the
        # same first tokens) would tie exactly: a ranking of ties says nothing, so keep one.
        seen, kept = set(), []
        for d in docs:
            key = tuple(tok(q, d, truncation="longest_first", max_length=MAX_LEN)["input_ids"])
            if key not in seen:
                seen.add(key)
                kept.append(d)
        docs = kept
        enc, logits = run(docs)
        # Near ties (long documents that differ only in their last kept tokens): torch's own
        # batching noise (~4e-7, the CrossEncoder check below) could order them either way,
        # so a ranking of them is undefined. Keep the first of any two within MIN_GAP.
        keep = []
        for i in range(len(docs)):
            if all(abs(float(logits[i]) - float(logits[j])) >= MIN_GAP for j in keep):
                keep.append(i)
        if len(keep) < len(docs):
            near_ties += len(docs) - len(keep)
            docs = [docs[i] for i in keep]
            enc, logits = run(docs)
        scores = torch.sigmoid(logits).numpy().astype(np.float32)
        logits = logits.numpy().astype(np.float32)
        ids = [[int(t) for t, m in zip(r, mk) if m] for r, mk in zip(enc["input_ids"].tolist(), enc["attention_mask"].tolist())]
        unt = tok([q] * len(docs), docs)["input_ids"]
        truncated += sum(len(u) > MAX_LEN for u in unt)
        ranking = sorted(range(len(docs)), key=lambda i: (-float(scores[i]), i))
        s = np.sort(scores.astype(np.float64))
        min_gap = min(min_gap, float(np.diff(s).min()))
        min_logit_gap = min(min_logit_gap, float(np.diff(np.sort(logits.astype(np.float64))).min()))
        rows.append({"query": q, "documents": docs, "ids": ids, "logits": [float(x) for x in logits],
                     "scores": [float(x) for x in scores], "ranking": ranking})
    # sentence-transformers' own CrossEncoder on the same pairs, where it loads this layout.
    try:
        from sentence_transformers import CrossEncoder
        ce = CrossEncoder(args.model_dir, device="cpu", max_length=MAX_LEN)
        got = np.concatenate([ce.predict([(r["query"], d) for d in r["documents"]], batch_size=32) for r in rows])
        ref = np.concatenate([np.array(r["scores"]) for r in rows])
        ce_diff = float(np.abs(got.astype(np.float64) - ref).max())
    except Exception as e:  # reported, not hidden: the README says which check ran
        ce_diff = f"not run ({type(e).__name__}: {e})"
    n_pairs = sum(len(r["documents"]) for r in rows)
    print(f"{len(rows)} cases, {n_pairs} pairs ({truncated} truncated); smallest score gap within a case {min_gap:.3e}; "
          f"CrossEncoder.predict vs these scores: {ce_diff}")
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "cases.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=True) + "\n")

    cmd = "python tools/golden.py rerank " + " ".join(shlex.quote(a) for a in [
        "--model-dir", rel(args.model_dir), "--corpus", rel(args.corpus), "--out", rel(args.out)])
    ce_line = (f"max |diff| {ce_diff:.3e}" if isinstance(ce_diff, float) else ce_diff)
    L = ["# Golden reference: cross-encoder reranking (RANDOMLY INITIALISED weights)\n",
         f"Generated by `tools/golden.py rerank` from `{rel(args.corpus)}`. Do not edit by hand.\n",
         "**The model's weights are random** (`tools/build_cross_encoder.py`: transformers' "
         "`BertForSequenceClassification`, one label, `torch.manual_seed(18)`, BERT's initializer_range 0.02 for the "
         "encoder and std 0.2 for the pooler and classifier weights (seed 19; tools/swiftlet_tools/cross_encoder_build.py "
         "says why), at "
         "all-MiniLM-L6-v2's shape, with all-MiniLM-L6-v2's real tokenizer; no real cross-encoder weights are on "
         "PyPI). Its scores mean nothing about relevance: they test that Swiftlet computes the same function as torch. "
         "Swiftlet converts the checkpoint with `tools/convert.py --hf-dir` (pipeline kind `reranker`, sigmoid from "
         "config.json's sentence-transformers `activation_fn`); `Tests/SwiftletParityTests/RerankerParityTests.swift` "
         "compares it with this file.\n",
         "## Files\n",
         "| file | content |\n|---|---|",
         f"| `cases.jsonl` | {len(rows)} cases, {n_pairs} (query, document) pairs: `query`, `documents`, `ids` (the fast "
         "tokenizer's pair encoding of each document with the query, padding dropped), `logits`, `scores` "
         "(`torch.sigmoid(logits)`), `ranking` (document indices by score, descending; ties by index) |",
         "",
         f"How: `AutoTokenizer` (fast) on `([query] * n, documents)` with `truncation=\"longest_first\"`, "
         f"`max_length={MAX_LEN}`, `padding=True`; `BertForSequenceClassification` (torch CPU, 1 thread, eval) "
         f"logits `[:, 0]`; sigmoid. {truncated} pairs exceed {MAX_LEN} tokens and are truncated longest-first (the "
         "last two cases: a long query with long documents, and a short query with a document of ~6 joined texts). "
         "Documents whose truncated pair equals another's token for token are dropped (they would tie exactly), "
         f"and so are documents whose logit lies within {MIN_GAP:g} of an earlier document's in the same case "
         f"({near_ties} here: long documents differing only in their last kept tokens), because torch's own noise "
         "(the CrossEncoder check below) could order such a pair either way.\n",
         f"Smallest gap between two logits of one case: {min_logit_gap:.3e}; between two scores (the sigmoid squeezes "
         f"these random logits, about -7…-4, towards 0): {min_gap:.3e}. Rankings are compared exactly; the tolerance "
         "on logits and scores is 1e-4.\n",
         f"Check against sentence-transformers' `CrossEncoder(model_dir, max_length={MAX_LEN}).predict` on the same pairs: "
         f"{ce_line}.\n",
         "## Command\n",
         f"```sh\ntools/setup.sh   # models/src/cross-encoder-random-minilm/ (tools/setup.d/80-cross-encoder.sh)\n{cmd}\n```\n",
         "| file | bytes | sha256 |\n|---|---:|---|"]
    for fn in ("config.json", "model.safetensors", "tokenizer.json"):
        p = os.path.join(args.model_dir, fn)
        L.append(f"| `{fn}` | {os.path.getsize(p)} | `{sha256(p)}` |")
    L += ["", "## Versions\n", f"Python {platform.python_version()} on {platform.system()} {platform.machine()}.\n",
          "| package | version |\n|---|---|"]
    for k, val in versions().items():
        if k in ("tokenizers", "transformers", "sentence-transformers", "torch", "numpy", "safetensors"):
            L.append(f"| {k} | {val} |")
    L.append("")
    with open(os.path.join(args.out, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(L))
