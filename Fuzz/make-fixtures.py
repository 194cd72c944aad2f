#!/usr/bin/env python3
"""Writes the small tokenizer.json files the tokenizer fuzz targets load
(Fuzz/Fixtures/tokenizers/), trained by Hugging Face `tokenizers` on a few sentences so
every file is one HF itself reads and writes. Run with the project venv:

    .venv/bin/python Fuzz/make-fixtures.py

One file per tokenizer model the issue names: WordPiece, Unigram behind a Precompiled
charsmap (Fuzz/make-charsmap.py), BPE, byte-level BPE, and Metaspace BPE.
"""
import base64
import os
import subprocess
import sys

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "Fixtures", "tokenizers")
CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "Swiftlet runs sentence embedders and OCR on the CPU, in pure Swift.",
    "Ｆｕｌｌｗｉｄｔｈ ﬁne ① café naïve — résumé, 東京タワー, Привет мир, مرحبا",
    "Tokenizers split text into pieces: words, subwords and bytes 123 4567.",
    "emoji 👍🏽 and ZWJ 👨‍👩‍👧 sequences, tabs\tand\nnewlines",
]


def charsmap():
    out = subprocess.check_output([sys.executable, os.path.join(HERE, "make-charsmap.py")])
    return base64.b64decode(out.strip())


def save(tok, name):
    tok.save(os.path.join(OUT, name), pretty=False)


def wordpiece():
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=20))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=None, handle_chinese_chars=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.train_from_iterator(CORPUS, trainers.WordPieceTrainer(vocab_size=120, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]))
    tok.post_processor = processors.BertProcessing(("[SEP]", tok.token_to_id("[SEP]")), ("[CLS]", tok.token_to_id("[CLS]")))
    tok.decoder = decoders.WordPiece()
    save(tok, "wordpiece.json")


def unigram():
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.Sequence([normalizers.Precompiled(charsmap()), normalizers.Replace("  ", " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    tok.train_from_iterator(CORPUS, trainers.UnigramTrainer(vocab_size=90, special_tokens=["<pad>", "</s>", "<unk>"], unk_token="<unk>"))
    tok.post_processor = processors.TemplateProcessing(single="$A </s>", pair="$A </s> $B </s>", special_tokens=[("</s>", tok.token_to_id("</s>"))])
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    save(tok, "unigram-precompiled.json")


def bpe():
    tok = Tokenizer(models.BPE(unk_token="<unk>", continuing_subword_prefix="##"))
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Whitespace(), pre_tokenizers.Digits(individual_digits=True)])
    tok.train_from_iterator(CORPUS, trainers.BpeTrainer(vocab_size=150, special_tokens=["<unk>", "<s>", "</s>"], continuing_subword_prefix="##"))
    tok.decoder = decoders.WordPiece(prefix="##")  # Swiftlet has no BPEDecoder
    save(tok, "bpe.json")


def bytelevel():
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
    tok.train_from_iterator(CORPUS, trainers.BpeTrainer(vocab_size=300, special_tokens=["<s>", "</s>", "<pad>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok.post_processor = processors.RobertaProcessing(("</s>", tok.token_to_id("</s>")), ("<s>", tok.token_to_id("<s>")))
    tok.decoder = decoders.ByteLevel()
    save(tok, "bytelevel-bpe.json")


def metaspace():
    tok = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True))
    tok.normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.StripAccents(), normalizers.Strip()])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="first", split=False)
    tok.train_from_iterator(CORPUS, trainers.BpeTrainer(vocab_size=120, special_tokens=["<unk>", "<s>", "</s>"] + ["<0x%02X>" % b for b in range(256)]))
    tok.add_special_tokens(["[SPECIAL]"])
    tok.add_tokens(["swiftlet"])
    tok.decoder = decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0)])
    save(tok, "metaspace-bpe.json")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for make in (wordpiece, unigram, bpe, bytelevel, metaspace):
        make()
    for name in sorted(os.listdir(OUT)):
        tok = Tokenizer.from_file(os.path.join(OUT, name))
        print(name, os.path.getsize(os.path.join(OUT, name)), tok.encode("Ｆine ﬁsh café 123 👍").tokens[:12])
