#!/usr/bin/env python3
"""Regenerate golden/corpus/multilingual.jsonl (tokenizer parity corpus).

    python golden/corpus/build_multilingual.py

Sources, in order:
  1. hand-written sentences in many scripts (below);
  2. real native-script strings from the glibc locale database
     (/usr/share/i18n/locales: month and day names, their abbreviations,
     yes/no expressions), one line per locale and field;
  3. derived variants of (1): NFD, NFKD, upper case, full-width, doubled spaces;
  4. edge cases built in code: control and zero-width characters, emoji and
     ZWJ sequences, whitespace runs, very long words, combining marks only,
     lone surrogates, U+FEFF, and one ~1 MB string.

Lines are {"text": ...}; the 1 MB string is {"repeat": UNIT, "times": N}
(text = UNIT * N) to keep the file small. Written with ensure_ascii=True
(Foundation's JSONSerialization drops a raw U+FEFF; escapes survive).
Deterministic: the locale step sorts files; if the locale directory is
missing the script refuses to run rather than write a different corpus.
"""
import json
import os
import re
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
LOCALES = "/usr/share/i18n/locales"

SENTENCES = [
    # Latin with diacritics
    "Le cœur a ses raisons que la raison ne connaît point.", "Über den Wolken muss die Freiheit wohl grenzenlos sein.",
    "¿Dónde está la biblioteca? Está al lado del café.", "A ação judicial foi adiada para março de 2025.",
    "Zażółć gęślą jaźń — pchnąć w tę łódź jeża.", "Příliš žluťoučký kůň úpěl ďábelské ódy.",
    "Árvíztűrő tükörfúrógép és őszibarack.", "Þetta er íslenskur texti með ð og þ.", "Çok güzel bir gün, değil mi? İyi şanslar!",
    "Søren og Åse spiste rødgrød med fløde.", "Tiếng Việt có nhiều dấu: ấ ầ ẩ ẫ ậ ễ ữ.", "Dziękuję bardzo, do widzenia!",
    "Mëtzelsuppe an Äppelwoi zu Frankfurt.", "Ĉu vi parolas Esperanton? Ĝi estas facila.", "Românește: ș ț ă î â (și ş ţ).",
    "Lietuvių kalba: ąčęėįšųūž.", "Latviešu valoda: āčēģīķļņšūž.", "Hrvatski: čćđšž, Srpski latinica.", "Malti: ċ ġ ħ ż għ.",
    "Gàidhlig: Tha mi gu math, tapadh leat.", "Cymraeg: Mae hiraeth yn fy nghalon.", "Yorùbá: Ẹ kú àárọ̀, ṣé dáadáa ni?",
    # Cyrillic, Greek
    "Съешь же ещё этих мягких французских булок, да выпей чаю.", "Україна — це Європа. Ґудзик, їжак, є.",
    "Български език: Щастие и мир.", "Македонски: Ѓ ѓ Ќ ќ Ѕ ѕ.", "Қазақ тілі: Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ.",
    "Монгол хэл: Өглөөний мэнд!", "Σὲ γνωρίζω ἀπὸ τὴν κόψη τοῦ σπαθιοῦ τὴν τρομερή.", "Η γρήγορη καφέ αλεπού πηδάει πάνω από τον σκύλο.",
    "ΑΘΗΝΑ ΘΕΣΣΑΛΟΝΙΚΗ Ἀθῆναι", "Ελληνικά: ς σ Σ, ΐ ΰ.",
    # Semitic, RTL
    "اللغة العربية جميلة جداً، أليس كذلك؟", "مرحباً بالعالم! كيف حالك اليوم؟", "فارسی: من ایرانی هستم و گچ پژ دارم.",
    "اردو: میں پاکستان سے ہوں۔", "עברית: שלום עולם, מה שלומך?", "בְּרֵאשִׁית בָּרָא אֱלֹהִים", "ܫܠܡܐ ܥܠܡܐ (Syriac)",
    "ދިވެހި (Thaana)", "English then العربية then עברית mixed.",
    # Indic and South-East Asian
    "हिन्दी भारत की राजभाषा है।", "संस्कृतम् एका प्राचीना भाषा अस्ति।", "বাংলা ভাষা খুব মিষ্টি।", "ਪੰਜਾਬੀ ਬੋਲੀ",
    "ગુજરાતી ભાષા", "ଓଡ଼ିଆ ଭାଷା", "தமிழ் மொழி மிகவும் பழமையானது.", "తెలుగు భాష", "ಕನ್ನಡ ಭಾಷೆ", "മലയാളം ഭാഷ",
    "සිංහල භාෂාව", "नेपाली भाषा", "मराठी भाषा क्ष त्र ज्ञ श्र", "ภาษาไทยเขียนติดกันโดยไม่มีช่องว่าง", "ພາສາລາວ",
    "ភាសាខ្មែរ", "မြန်မာဘာသာ", "ᨅᨔ ᨕᨘᨁᨗ", "Bahasa Indonesia dan Bahasa Melayu.", "Tagalog: Magandang umaga po!",
    "ትግርኛ እና አማርኛ", "ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ", "ᐃᓄᒃᑎᑐᑦ", "ꦧꦱꦗꦮ", "ᠮᠣᠩᠭᠣᠯ", "བོད་ཡིག", "ქართული ენა", "Հայերեն լեզու",
    # CJK
    "我们今天去北京天安门广场。", "這是一個繁體中文的句子。", "東京は日本の首都です。ひらがなとカタカナ。",
    "ｶﾀｶﾅ 半角カナ ﾃｽﾄ", "今日は良い天気ですね！", "한국어는 한글로 씁니다. 안녕하세요!", "ㄱㄴㄷㄹ ㅏㅑㅓㅕ 자모",
    "中文English混合mixed文本", "𠀋𠂢𠂤 CJK extension B", "㊀㊁㊂ ㍻ ㌀ ㎏ ㎞", "〜ー～ 「かぎ括弧」 『二重』",
    # Symbols, numbers, emoji
    "Price: €12,50 — £9.99 — ¥1000 — ₹500 — ₿0.01", "½ ¼ ¾ ⅓ ⅔ ⅛ x² y³ H₂O", "∀x∈ℝ: x² ≥ 0 ∧ ∑ᵢ aᵢ ≤ ∞",
    "I ❤️ NY 🗽 and 🍕🍕🍕!", "👩‍💻 👨‍👩‍👧‍👦 🏳️‍⚧️ 🧑🏾‍🚀 🇯🇵🇫🇷🇧🇷", "👍🏻👍🏼👍🏽👍🏾👍🏿", "Keycaps: 1️⃣ #️⃣ *️⃣",
    "☺︎ ☺️ text vs emoji presentation", "Ⓗⓔⓛⓛⓞ 🅷🅴🅻🅻🅾", "𝐇𝐞𝐥𝐥𝐨 𝑾𝒐𝒓𝒍𝒅 𝕳𝖊𝖑𝖑𝖔", "ｆｕｌｌ－ｗｉｄｔｈ　ＡＢＣ　１２３",
    "Ligatures: ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ", "Roman: Ⅰ Ⅱ Ⅲ Ⅳ Ⅻ ⅰ ⅱ", "℡ ™ ℠ № ℃ ℉ Å K Ω",
    "https://example.com/ünïcödé?q=日本&x=1", "user@例え.jp +81-3-1234-5678", "C:\\Users\\Ñandú\\文档\\file.txt",
]

EDGE = [
    "", " ", "  ", "\t", "\n", "\r\n", "\u3000", "\u00a0", "a  b", "a   b    c", "  leading", "trailing  ",
    " \t \n \r\n\u3000\u00a0\u2002\u2003\u2009\u200a\u202f\u205f ", "word\u2028line\u2029para",
    "zero\u200bwidth\u200bspace", "non\u200cjoiner\u200djoiner", "\ufeffBOM start", "mid\ufeffBOM", "soft\u00adhyphen",
    "word\u2060joiner", "rtl\u200fmark\u200eltr", "\u202aembed\u202c \u202eoverride\u202c", "\u2066isolate\u2069",
    "null\x00char", "bell\x07 esc\x1b del\x7f", "\x01\x02\x03\x04\x05", "c1\x80\x85\x9f", "tab\there",
    "\ufffd replacement \ufffd", "private\ue000\uf8ff", "\U000f0000\U0010fffd", "noncharacter\ufdd0\uffff",
    "variation\ufe0e\ufe0f", "tag\U000e0041\U000e007f", "\u0300", "\u0301\u0302\u0303", "\u0300" * 12,
    "\u093f\u094d", "\u0e31\u0e34\u0e35", "\u05b0\u05b1\u05b2", "\u20dd\u20de", "a" + "\u0301" * 20,
    "e\u0301 vs \u00e9", "A\u030a vs \u00c5 vs \u212b", "\uff21\u0301 fullwidth+accent", "\u1100\u1161\u11a8 jamo",
    "\u1100\u1161 \uac00", "\ud55c\uad6d\uc5b4", "\u0915\u094d\u0937", "\u0e01\u0e33", "\u0628\u0651\u064e",
    "\U0001f469\u200d\U0001f4bb", "\U0001f1fa\U0001f1f8\U0001f1e6", "\U0001f1fa", "\u200d", "\u200d\u200d",
    "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", "x\u20e3", "1\ufe0f\u20e3",
    "\ud800 lone high", "lone low \udc00", "\udbff\udfff pair as escapes", "\ud83d", "a\udfffb",
    "a" * 100, "a" * 1000, "supercalifragilisticexpialidocious" * 5, "abc" * 400, "日本語" * 300,
    "antidisestablishmentarianism", "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz",
    "pneumonoultramicroscopicsilicovolcanoconiosis" * 3, "ab" + " " * 50 + "cd", " " * 200, "\u2581", "\u2581\u2581x",
    "▁leading meta", "meta▁inside▁word", "<unk> <s> </s> <pad> <mask>", "<pad>", "x<pad>y", " <pad> ", "<s>hello</s>",
    "12345678901234567890", "3.14159265358979", "0x7fffffff", "1,000,000.00", "2024-02-29T23:59:59+05:30",
    "''``\"\"", "...!!!???", "---___===", "«»‹›„“”‚‘’", "(((nested)))", "<html><body>x</body></html>",
]


def locale_lines():
    if not os.path.isdir(LOCALES):
        raise SystemExit(f"{LOCALES} is missing: install the glibc 'locales' package to regenerate")
    fields = ("mon", "day", "abmon", "abday", "yesexpr", "noexpr", "alt_mon", "ab_alt_mon")
    out = []
    code = re.compile(r"<U([0-9A-Fa-f]{4,6})>")
    for name in sorted(os.listdir(LOCALES)):
        path = os.path.join(LOCALES, name)
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        text = text.replace("/\n", "")
        for field in fields:
            m = re.search(r"^\s*" + field + r"\s+(.*)$", text, re.M)
            if not m or "copy" in m.group(1)[:6]:
                continue
            values = re.findall(r'"([^"]*)"', m.group(1))
            decoded = [code.sub(lambda g: chr(int(g.group(1), 16)), v) for v in values]
            line = " ".join(d for d in decoded if d)
            if line and any(ord(c) > 127 for c in line):
                out.append(line)
    seen = set()
    return [l for l in out if not (l in seen or seen.add(l))]


def fullwidth(s):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in s)


def main():
    lines = [{"text": s} for s in SENTENCES]
    lines += [{"text": s} for s in locale_lines()]
    for s in SENTENCES:
        for v in (unicodedata.normalize("NFD", s), unicodedata.normalize("NFKD", s), s.upper(), fullwidth(s), s.replace(" ", "  ")):
            if v != s:
                lines.append({"text": v})
    lines += [{"text": s} for s in EDGE]
    # ~1 MB: every hand-written sentence once, repeated.
    unit = " ".join(SENTENCES) + "\n"
    lines.append({"repeat": unit, "times": (1 << 20) // len(unit.encode("utf-8")) + 1})
    path = os.path.join(HERE, "multilingual.jsonl")
    with open(path, "w", encoding="ascii") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=True) + "\n")
    print(f"wrote {len(lines)} lines to {path}")


if __name__ == "__main__":
    main()
