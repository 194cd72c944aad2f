"""Golden HF `tokenizers` encodings for synthetic tokenizer.json variants: a real
tokenizer.json with some components swapped, to test each component the real
files do not use (post-processors, pre-tokenizers, prepend schemes, added-token
flags) on golden/corpus/multilingual.jsonl.

    python tools/golden.py tokenizer-variants [--models DIR]

Writes golden/tokenizer-cases/variant-<name>.jsonl. Line 1 is the recipe, which
the Swift test applies to the same base file:
  {"base": "<dir under models/src>" or "golden:<file in golden/tokenizer-cases>", "replace": {top-level key: new value, ...},
   "added_tokens": [extra added_tokens entries]}
then one line per EVERY-th corpus text shorter than MAX_CHARS, in corpus order:
  {"ids": [...], "type_ids": [...], "special": [...], "offsets": [s0, e0, ...]}
(plus "decoded" for the byte-level variants)
and, for every PAIR_EVERY-th text, the same for the pair (text, next text) under "pair".
"""
import argparse
import json
import os

from tokenizers import Tokenizer

from ..paths import REPO as ROOT
from .tokenizer_cases_spm import corpus_texts


OUT = os.path.join(ROOT, "golden/tokenizer-cases")
MAX_CHARS = 2000
EVERY = 5  # keeps the goldens small
PAIR_EVERY = 7

ROBERTA = {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0], "trim_offsets": True, "add_prefix_space": True}
ROBERTA_BPE = {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 1], "trim_offsets": True, "add_prefix_space": True}
METASPACE_FIRST = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first", "split": True}
METASPACE_NEVER_NOSPLIT = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "never", "split": False}
METASPACE = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True}


def split(pattern, behavior, invert=False, regex=True):
    return {"type": "Split", "pattern": {"Regex" if regex else "String": pattern}, "behavior": behavior, "invert": invert}


def seq(*steps):
    return {"pre_tokenizer": {"type": "Sequence", "pretokenizers": list(steps)}}


BYTELEVEL_FILE = os.path.join(OUT, "bytelevel-bpe.tokenizer.json")


def make_bytelevel_bpe():
    """A small byte-level BPE (GPT-2 style) trained by HF on the corpus, since no
    real byte-level tokenizer is available offline; kept as a golden fixture."""
    from tokenizers import decoders, models, pre_tokenizers, trainers
    with open(os.path.join(ROOT, "golden/corpus/en.jsonl"), encoding="utf-8") as f:
        english = [json.loads(line)["text"] for line in f]
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=3000, show_progress=False, special_tokens=["<s>", "<pad>", "</s>", "<unk>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(english + [t for t in corpus_texts() if len(t) < MAX_CHARS], trainer)
    tok.save(BYTELEVEL_FILE)


def added(token_id, content, **flags):
    entry = {"id": token_id, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": False}
    entry.update(flags)
    return entry


# name -> (base, replace, extra added tokens); added-token ids are looked up in the base vocab.
VARIANTS = {
    "roberta-unigram": ("tokenlearn-static-model", {"post_processor": ROBERTA}, []),
    "roberta-bpe": ("spm-botchan-bpe", {"post_processor": ROBERTA_BPE}, []),
    "metaspace-first": ("tokenlearn-static-model", {"pre_tokenizer": METASPACE_FIRST}, []),
    "metaspace-never-nosplit": ("spm-botchan-unigram", {"pre_tokenizer": METASPACE_NEVER_NOSPLIT}, []),
    "whitespace": ("all-MiniLM-L6-v2", {"pre_tokenizer": {"type": "Whitespace"}}, []),
    "whitespace-split": ("all-MiniLM-L6-v2", {"pre_tokenizer": {"type": "WhitespaceSplit"}}, []),
    "split-literal": ("tokenlearn-static-model", seq(
        split(" ", "Removed", regex=False), split(",", "MergedWithPrevious", regex=False),
        split("ab", "MergedWithNext", regex=False), split("e", "Contiguous", regex=False), METASPACE), []),
    "split-regex": ("all-MiniLM-L6-v2", seq(
        split("\\s+", "Removed"), split("[aeiou]+", "MergedWithPrevious"), split("\\d|x", "MergedWithNext"),
        split("[.,;:!?]", "Contiguous"), split("\\p{Lu}", "Isolated")), []),
    "split-invert": ("all-MiniLM-L6-v2", seq(
        split("\\s+", "Isolated", invert=True), split("\\p{L}+", "Removed", invert=True)), []),
    "punctuation-digits": ("all-MiniLM-L6-v2", seq(
        {"type": "WhitespaceSplit"}, {"type": "Punctuation", "behavior": "Contiguous"},
        {"type": "Digits", "individual_digits": True}), []),
    "punctuation-digits-unigram": ("tokenlearn-static-model", seq(
        {"type": "Punctuation", "behavior": "MergedWithNext"}, {"type": "Digits", "individual_digits": False},
        {"type": "Punctuation"}, METASPACE), []),
    "bytelevel-roberta": ("golden:bytelevel-bpe.tokenizer.json", {"post_processor": ROBERTA}, []),
    "bytelevel-sequence": ("golden:bytelevel-bpe.tokenizer.json", {"post_processor": {"type": "Sequence", "processors": [
        {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
         "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
         "special_tokens": {"<s>": {"id": "<s>", "ids": [0], "tokens": ["<s>"]}}}]}}, []),
    "bytelevel-noregex": ("golden:bytelevel-bpe.tokenizer.json", {"pre_tokenizer": {
        "type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}}, []),
    "added-flags": ("tokenlearn-static-model", {}, [
        ("the", dict(single_word=True)),
        ("ing", dict(lstrip=True)),
        ("de", dict(rstrip=True, single_word=True)),
        ("\u2581la", dict(normalized=True)),
        (".", dict(lstrip=True, rstrip=True)),
        ("\u3002", dict(special=True, lstrip=True)),
        ("an", dict(normalized=True, single_word=True, rstrip=True)),
    ]),
    "added-flags-wordpiece": ("all-MiniLM-L6-v2", {}, [
        ("the", dict(single_word=True, normalized=True)),
        ("ing", dict(lstrip=True, normalized=True)),
        ("de", dict(rstrip=True, single_word=True)),
        (".", dict(lstrip=True, rstrip=True)),
        ("##s", dict()),
        ("der", dict(normalized=True)),
    ]),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default=os.environ.get("SWIFTLET_MODELS", os.path.join(ROOT, "models")))
    ap.add_argument("names", nargs="*")
    a = ap.parse_args()
    texts = [t for t in corpus_texts() if len(t) < MAX_CHARS][::EVERY]
    for name, (base, replace, extra) in VARIANTS.items():
        if a.names and name not in a.names:
            continue
        if base.startswith("golden:"):
            path = os.path.join(OUT, base[len("golden:"):])
            if not os.path.isfile(path):
                make_bytelevel_bpe()
        else:
            path = os.path.join(a.models, "src", base, "tokenizer.json")
        with open(path, encoding="utf-8") as f:
            root = json.load(f)
        base_tok = Tokenizer.from_str(json.dumps(root))
        entries = []
        for content, flags in extra:
            token_id = base_tok.token_to_id(content)
            if token_id is None:
                raise SystemExit(f"{name}: {content!r} is not in the {base} vocabulary")
            entries.append(added(token_id, content, **flags))
        root.update(replace)
        root["added_tokens"] = root.get("added_tokens", []) + entries
        root["truncation"] = None
        root["padding"] = None
        tok = Tokenizer.from_str(json.dumps(root))

        def row(e):
            r = {"ids": e.ids, "type_ids": e.type_ids, "special": e.special_tokens_mask,
                 "offsets": [x for o in e.offsets for x in o]}
            if base.startswith("golden:"):
                r["decoded"] = tok.decode(e.ids)
            return r

        out = os.path.join(OUT, f"variant-{name}.jsonl")
        with open(out, "w", encoding="ascii") as f:
            f.write(json.dumps({"base": base, "replace": replace, "added_tokens": entries}, ensure_ascii=True) + "\n")
            for i, text in enumerate(texts):
                r = row(tok.encode(text))
                if i % PAIR_EVERY == 0 and i + 1 < len(texts):
                    r["pair"] = row(tok.encode(text, texts[i + 1]))
                f.write(json.dumps(r, separators=(",", ":")) + "\n")
        print(f"{out}: {len(texts)} texts ({os.path.getsize(out) // 1024} KiB)")
