#!/usr/bin/env python3
"""Converts a SentencePiece .model file to a Hugging Face tokenizer.json.

    spm_to_tokenizer_json.py MODEL.model OUT/tokenizer.json [--add-prefix-space/--no-add-prefix-space]

Uses transformers' slow->fast converter (SpmConverter) so the result is what
`transformers` itself would produce for a plain SentencePiece tokenizer:
Precompiled charsmap + Strip(right) + Replace(" {2,}") normalizer, Metaspace
pre-tokenizer/decoder, Unigram or BPE model (BPE merges from the piece scores).
The `sentencepiece` package is not needed: the model proto is read with the
protobuf definitions bundled in transformers, and BPE merges are derived by
transformers' own `generate_merges`. Byte fallback is kept when the model has it.
"""
import argparse
import types

import importlib

# `from transformers import convert_slow_tokenizer` yields a function of that name.
cst = importlib.import_module("transformers.convert_slow_tokenizer")


class _ProtoOnlyExtractor(cst.SentencePieceExtractor):
    """SentencePieceExtractor without the (unused) sentencepiece runtime check."""

    def __init__(self, model):
        m = cst.import_protobuf().ModelProto()
        with open(model, "rb") as f:
            m.ParseFromString(f.read())
        self.proto = m

    def extract(self, vocab_scores=None):
        # SpmConverter calls extract(vocab_scores) (the older signature); merges are
        # ordered by piece score, as SentencePiece's BPE applies them.
        vocab = {p.piece: i for i, p in enumerate(self.proto.pieces)}
        return vocab, cst.generate_merges(vocab, vocab_scores)


class _Converter(cst.SpmConverter):
    handle_byte_fallback = True
    SpmExtractor = _ProtoOnlyExtractor

    def __init__(self, original_tokenizer):
        self.original_tokenizer = original_tokenizer
        m = cst.import_protobuf().ModelProto()
        with open(original_tokenizer.vocab_file, "rb") as f:
            m.ParseFromString(f.read())
        self.proto = m
        # Without byte_fallback in the model, the converter must not add it.
        self.handle_byte_fallback = bool(m.trainer_spec.byte_fallback)


def convert(model_path, out_path, add_prefix_space=True):
    shim = types.SimpleNamespace(vocab_file=model_path, add_prefix_space=add_prefix_space, legacy=True)
    tok = _Converter(shim).converted()
    tok.save(out_path)
    return tok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("--no-add-prefix-space", action="store_true")
    a = ap.parse_args()
    tok = convert(a.model, a.out, add_prefix_space=not a.no_add_prefix_space)
    print(f"wrote {a.out}: {tok.get_vocab_size()} pieces")


if __name__ == "__main__":
    main()
