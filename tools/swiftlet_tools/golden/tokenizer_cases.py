"""Writes golden tokenizer cases produced by Hugging Face `tokenizers`.

Usage: python tools/golden.py tokenizer-cases [path/to/all-MiniLM-L6-v2/tokenizer.json]

Outputs (one JSON object per line):
  golden/tokenizer-cases/minilm.jsonl           the file as shipped
  golden/tokenizer-cases/minilm-variants.jsonl  same vocab, other BertNormalizer
                                                flags (field "variant"; the Swift
                                                tests apply the same edit)
Encodings use add_special_tokens=True, truncation at 256 and no padding.
"""
import json
import os
import sys

from tokenizers import Tokenizer

from ..paths import REPO as ROOT

DEFAULT = os.path.join(ROOT, "models/src/all-MiniLM-L6-v2/tokenizer.json")
OUT = os.path.join(ROOT, "golden/tokenizer-cases")
MAX_LEN = 256

# Normalizer flag sets for the variant file; keep in sync with the Swift tests.
VARIANTS = {
    "cased": {"lowercase": False, "strip_accents": False},
    "strip-only": {"lowercase": False, "strip_accents": True},
    "lower-keep-accents": {"lowercase": True, "strip_accents": False},
    "raw": {"clean_text": False, "handle_chinese_chars": False, "lowercase": False, "strip_accents": False},
}


def cases():
    long_word = "a" * 101
    texts = [
        "", " ", "   ", "\t", "\n", "\r\n", " \t\n\r\x0b\x0c ", "hello", "Hello, World!",
        "The quick brown fox jumps over the lazy dog.",
        "  leading and trailing spaces  ", "tabs\tbetween\twords", "new\nlines\r\nand\rreturns",
        "multiple     spaces", "UPPER lower MiXeD CaSe",
        # accents in NFC and NFD form
        "café résumé naïve", "cafe\u0301 re\u0301sume\u0301 nai\u0308ve", "Ångström Øre Ærø",
        "crème brûlée à la mode", "Dvořák Škoda Łódź", "São Paulo, Açaí", "Ελληνικά άέήίόύώ",
        "ñandú pingüino", "ﬁ ﬂ ligatures ﬀ", "Ａｂｃ ｆｕｌｌｗｉｄｔｈ １２３", "x\u0301\u0302\u0323y",
        "e\u0323\u0302 vs e\u0302\u0323", "\u212b angstrom sign", "\u1e9b\u0323",
        # case mapping edge cases
        "Straße STRASSE ß ẞ", "İstanbul Iı İi", "ΣΊΣΥΦΟΣ σίσυφος ΌΣΟΣ", "ΟΔΥΣΣΕΥΣ", "Ǆ ǅ ǆ ǈ",
        "ŉ ǰ ΐ", "Kelvin \u212a Ohm \u2126", "ᾼ ᾳ ῼ", "Ꭰ Ᏸ ꭰ",
        # CJK and other scripts
        "中文分词测试", "我爱北京天安门。", "混合text和中文", "日本語のテキストです。", "ひらがな カタカナ ｶﾀｶﾅ",
        "한국어 텍스트입니다", "한글 자모 각", "العربية نص تجريبي", "مَرْحَبًا بِالْعَالَم", "עברית טקסט", "שָׁלוֹם",
        "हिन्दी पाठ", "नमस्ते दुनिया", "ภาษาไทย ทดสอบ", "Русский текст", "Український ґ", "ქართული",
        "Tiếng Việt có dấu", "𠀀 𪜀 𫝀 𫠠 𬺰 𮯠 丽 豈", "㐀 䶵 ⺀ ⿰ 〇", "CJK compat 豈更車", "ᚠᛇᚻ runes",
        "𝐁𝐨𝐥𝐝 𝕄𝕒𝕥𝕙", "ⓐⓑⓒ ①②③", "Ⅻ ⅻ", "µ vs μ", "ʼ apostrophe", "ßpecial",
        # emoji, ZWJ and zero-width characters
        "I love 🍕 and 🎉!", "👨‍👩‍👧‍👦 family", "👍🏽 thumbs", "🏳️‍🌈 flag", "🇺🇸🇬🇧 flags", "😀😃😄😁",
        "a\u200bb zero width space", "a\u200cb\u200dc joiners", "\ufeffBOM at start", "soft\u00adhyphen",
        "word\u2060joiner", "rtl \u202eoverride\u202c", "\u2028line sep\u2029para sep", "nbsp\u00a0here",
        "em\u2003space\u3000ideographic", "narrow\u202fnbsp", "ogham\u1680space", "\u0085next line",
        # control characters and replacement character
        "null\x00byte", "bell\x07char", "esc\x1b[31m", "del\x7fchar", "\x01\x02\x03", "\ufffd replacement",
        "bad \ufffd\ufffd chars", "private \ue000\uf8ff use", "\U000f0000 plane 15", "c1 \x80\x9f",
        "variation ︎selector", "tag \U000e0041", "interlinear \ufff9x\ufffb",
        # long words and long text
        long_word, "b" * 100, "short " + long_word + " short", "supercalifragilisticexpialidocious",
        "antidisestablishmentarianism", "pneumonoultramicroscopicsilicovolcanoconiosis",
        ("lorem ipsum dolor sit amet " * 200).strip(), "word " * 300, "😀" * 150,
        # punctuation
        "!!!???...,,,", "Hello!!! How are you???", "(parens) [brackets] {braces} <angles>",
        "a-b_c.d/e\\f|g~h`i^j", "$100 + 50% = #1 @home & more*", "“smart quotes” ‘single’ «guillemets»",
        "em—dash en–dash ‒ figure", "…ellipsis・middle dot", "¿Qué? ¡Sí!", "。、「」『』【】", "§¶†‡•",
        "don't won't can't it's I'm we've they're", "'quoted' \"double\"", "e.g. i.e. etc.", "¡¢£¤¥¦",
        "⁅⁆ ⸘ ⸮ ⸰", "a⸱b ⹂ ⹃ ⹏", "snake_case_word", "\u166d\u111c9 old punct",
        # special tokens in the text
        "[CLS] inside text", "[MASK]", "The capital of France is [MASK].", "[CLS][SEP][PAD][UNK][MASK]",
        "a[MASK]b", "[cls] lowercase special", "[ MASK ]", "[MASK ] [MASKED]", "[SEP]", "[PAD] [PAD]",
        "[UNK] token", "x [SEP] y [SEP] z", "[[MASK]]", "[CLS]\n[SEP]",
        # numbers, URLs, code
        "0 1 12 123 1234 12345 123456789", "3.14159 2,718 1e-10 -42 +7", "١٢٣ ४५६ ๗๘๙",
        "Call 555-123-4567 or +1 (800) 555-0199", "2024-01-15T10:30:00Z", "v1.2.3-beta+build.5",
        "https://www.example.com/path?query=value&x=1#frag", "user.name+tag@example.co.uk",
        "def foo(x): return x ** 2  # square", "for (int i = 0; i < n; ++i) { sum += a[i]; }",
        "<div class=\"main\">Hello</div>", "SELECT * FROM users WHERE id = 42;",
        "console.log(`template ${value}`);", "$ ls -la | grep .swift && echo done",
        "0x1F600 0b1010 0o777", "{\"key\": [1, 2, {\"nested\": null}]}", "camelCaseIdentifier HTTPServer",
        # mixed bag
        "Hello 世界! Привет мир! مرحبا", "naïve café 中文 😀 [MASK] https://x.y",
        "Mr. Smith's 2nd-place finish (3:42.1) was 'okay'.", "unaffable unbelievable rethinking",
        "COVID-19 SARS-CoV-2 mRNA", "¼ ½ ¾ ² ³ ¹", "℃ ℉ № ™ ©",
    ]
    pairs = [
        ("What is the capital of France?", "Paris is the capital and most populous city of France."),
        ("", "only second"), ("only first", ""), ("short", "word " * 300),
        ("word " * 300, "short"), ("alpha " * 200, "beta " * 200), ("[MASK] here", "and [SEP] there"),
        ("中文", "日本語"),
    ]
    return texts, pairs


def record(tok, text, pair=None, **extra):
    enc = tok.encode(text, pair) if pair is not None else tok.encode(text)
    row = dict(extra)
    row["text"] = text
    if pair is not None:
        row["pair"] = pair
    row.update(
        ids=enc.ids, tokens=enc.tokens, offsets=[list(o) for o in enc.offsets], type_ids=enc.type_ids,
        special_tokens_mask=enc.special_tokens_mask, decoded=tok.decode(enc.ids, skip_special_tokens=True),
    )
    return row


def load(path, normalizer_edit=None):
    with open(path, encoding="utf-8") as f:
        config = json.load(f)
    if normalizer_edit:
        config["normalizer"].update(normalizer_edit)
    tok = Tokenizer.from_str(json.dumps(config))
    tok.no_padding()
    tok.enable_truncation(MAX_LEN)
    return tok


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SWIFTLET_MINILM_TOKENIZER", DEFAULT)
    texts, pairs = cases()
    os.makedirs(OUT, exist_ok=True)
    tok = load(path)
    with open(os.path.join(OUT, "minilm.jsonl"), "w", encoding="utf-8") as f:
        for t in texts:
            f.write(json.dumps(record(tok, t), ensure_ascii=True) + "\n")
        for a, b in pairs:
            f.write(json.dumps(record(tok, a, b), ensure_ascii=True) + "\n")
    with open(os.path.join(OUT, "minilm-variants.jsonl"), "w", encoding="utf-8") as f:
        for name, edit in VARIANTS.items():
            vtok = load(path, edit)
            for t in texts:
                f.write(json.dumps(record(vtok, t, variant=name), ensure_ascii=True) + "\n")
    print(f"wrote {len(texts) + len(pairs)} cases and {len(texts) * len(VARIANTS)} variant cases to {OUT}")
