"""Golden HF `tokenizers` encodings of golden/corpus/multilingual.jsonl for the
SentencePiece-family tokenizers (and MiniLM's WordPiece, for multilingual coverage).

    python tools/golden.py tokenizer-cases-spm [--models DIR]     # DIR defaults to $SWIFTLET_MODELS or <repo>/models

Reads DIR/src/<name>/tokenizer.json for every name in TOKENIZERS (tools/setup.d/
30-tokenizers.sh puts them there) and writes golden/tokenizer-cases/spm-<name>.jsonl,
one line per corpus line, in corpus order:
  {"ids": [...], "offsets": [s0, e0, s1, e1, ...], "decoded": "..."}
Encodings use the file's own settings (special tokens added, no truncation).
Long encodings (> LONG ids) store {"count", "ids_fnv1a64", "offsets_fnv1a64",
"head"} instead: FNV-1a 64 over the values as little-endian u32 (tests compute
the same). Lone surrogates in the corpus (HF cannot take them) are replaced by
U+FFFD first; the Swift test does the same.
"""
import argparse
import json
import os
import re

from tokenizers import Tokenizer

from ..paths import REPO as ROOT

CORPUS = os.path.join(ROOT, "golden/corpus/multilingual.jsonl")
OUT = os.path.join(ROOT, "golden/tokenizer-cases")
LONG = 4000
TOKENIZERS = {
    "tokenlearn": "tokenlearn-static-model",
    "mon": "mon-tokenizer",
    "botchan-unigram": "spm-botchan-unigram",
    "botchan-bpe": "spm-botchan-bpe",
    "kyoto-unigram": "spm-kyoto-unigram",
    "minilm": "all-MiniLM-L6-v2",
}
LONE_SURROGATE = re.compile(r"(?<![\ud800-\udbff])[\udc00-\udfff]|[\ud800-\udbff](?![\udc00-\udfff])")


def fnv1a64(values):
    h = 0xCBF29CE484222325
    for v in values:
        for b in (v & 0xFFFFFFFF).to_bytes(4, "little"):
            h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def corpus_texts():
    texts = []
    with open(CORPUS, encoding="ascii") as f:
        for line in f:
            o = json.loads(line)
            text = o["repeat"] * o["times"] if "repeat" in o else o["text"]
            # Python joins escaped surrogate pairs into one character already.
            texts.append(LONE_SURROGATE.sub("\ufffd", text))
    return texts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default=os.environ.get("SWIFTLET_MODELS", os.path.join(ROOT, "models")))
    a = ap.parse_args()
    texts = corpus_texts()
    for name, src in TOKENIZERS.items():
        path = os.path.join(a.models, "src", src, "tokenizer.json")
        tok = Tokenizer.from_file(path)
        tok.no_truncation()
        tok.no_padding()
        out = os.path.join(OUT, f"spm-{name}.jsonl")
        with open(out, "w", encoding="ascii") as f:
            for text in texts:
                enc = tok.encode(text)
                flat = [x for o in enc.offsets for x in o]
                if len(enc.ids) > LONG:
                    row = {"count": len(enc.ids), "ids_fnv1a64": fnv1a64(enc.ids), "offsets_fnv1a64": fnv1a64(flat),
                           "head": enc.ids[:64]}
                else:
                    row = {"ids": enc.ids, "offsets": flat, "decoded": tok.decode(enc.ids)}
                f.write(json.dumps(row, ensure_ascii=True, separators=(",", ":")) + "\n")
        print(f"{out}: {len(texts)} cases ({os.path.getsize(out) // 1024} KiB)")
