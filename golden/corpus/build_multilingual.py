#!/usr/bin/env python3
"""Regenerate golden/corpus/multilingual.jsonl.

    python golden/corpus/build_multilingual.py      # writes multilingual.jsonl next to this file

Hand-written sentences in many scripts (Latin with diacritics, Cyrillic, Greek,
Arabic/Persian/Urdu, Hebrew, Devanagari, Bengali, Tamil, Thai, Chinese, Japanese,
Korean), then tokenizer edge cases built in code (NFD, emoji ZWJ sequences,
full-width forms, control and zero-width characters, long words, whitespace runs),
then deterministic variants of the sentences (NFD/NFKC forms, whitespace runs,
casing, mixed-script pairs) to reach more than 1,000 lines.

Output: one {"text": ...} object per line, written with ensure_ascii=True so the
file is pure ASCII (U+FEFF, U+2028, NFD sequences survive editors and Foundation).
Order is fixed; the file is deterministic.
"""

import json
import os
import unicodedata

LATIN = [
    # French
    "Le café est très bon à Paris, mais l'addition est salée.",
    "Où se trouve la gare la plus proche, s'il vous plaît ?",
    "Les élèves ont préparé une exposition sur l'énergie solaire.",
    "Ça m'étonnerait qu'il pleuve demain après-midi.",
    "Noël approche : les vitrines sont décorées de guirlandes.",
    "Il a reçu une lettre de sa grand-mère, écrite à la main.",
    # German
    "Die Straße ist wegen Bauarbeiten bis Freitag gesperrt.",
    "Können Sie mir bitte den Weg zum Bahnhof erklären?",
    "Größere Unternehmen müssen ihre Emissionen jährlich offenlegen.",
    "Übermorgen fahren wir mit dem Fahrrad an den Bodensee.",
    "Die Donaudampfschifffahrtsgesellschaft wurde 1829 gegründet.",
    "Bitte schließen Sie die Tür, es zieht fürchterlich.",
    # Spanish
    "¿Dónde está la biblioteca? Necesito devolver tres libros.",
    "El niño comió una piña entera después del almuerzo.",
    "¡Qué alegría verte de nuevo después de tantos años!",
    "La reunión se aplazó hasta el próximo miércoles por la mañana.",
    "Mañana habrá lluvias débiles en el norte de la península.",
    # Portuguese
    "A criança não quis comer o feijão com arroz.",
    "Você já visitou o Pão de Açúcar no Rio de Janeiro?",
    "As eleições municipais acontecerão em outubro.",
    "O coração da cidade fica perto da estação ferroviária.",
    # Italian
    "Perché il treno è in ritardo di quaranta minuti?",
    "La città è famosa per la sua università e i suoi caffè.",
    "Ho comprato un paio di scarpe più comode per camminare.",
    # Polish / Czech / Slovak
    "Zażółć gęślą jaźń – to zdanie zawiera wszystkie polskie znaki.",
    "Wczoraj w Krakowie padał śnieg przez cały dzień.",
    "Příliš žluťoučký kůň úpěl ďábelské ódy.",
    "Na Slovensku je veľa krásnych hradov a jaskýň.",
    # Romanian / Hungarian / Turkish
    "Școala se află lângă parcul din centrul orașului.",
    "Árvíztűrő tükörfúrógép – ez egy magyar tesztmondat.",
    "İstanbul'da bu sabah hava çok güzeldi, değil mi?",
    "Öğrenciler sınavdan önce kütüphanede çalıştılar.",
    # Vietnamese
    "Tôi muốn đặt một bàn cho bốn người vào tối nay.",
    "Hà Nội là thủ đô của nước Cộng hòa Xã hội chủ nghĩa Việt Nam.",
    "Phở bò ở quán này ngon nhất phố.",
    # Nordic / Baltic / others
    "Blåbærsyltetøy er godt på vafler med rømme.",
    "Jag har ätit smörgåsbord på midsommarafton.",
    "Hyvää huomenta! Sataako tänään Helsingissä?",
    "Þetta er íslensk setning með sérstökum stöfum: ð, þ, æ.",
    "Labrīt! Šodien Rīgā ir auksts un vējains laiks.",
    "Lietuvių kalba turi daug senovinių žodžių.",
    "Dziękuję bardzo za pomoc, do zobaczenia jutro!",
    "Hrvatska obala ima više od tisuću otoka.",
    "Esperanto: ĉiuĵaŭde ŝi manĝas freŝan ĉokoladon.",
    # Indonesian / Swahili (plain Latin, non-English)
    "Saya sedang belajar bahasa Indonesia di Yogyakarta.",
    "Habari za asubuhi? Leo tutakwenda sokoni.",
]

CYRILLIC = [
    "Привет, как дела? Это тестовое предложение.",
    "Москва — столица Российской Федерации.",
    "Съешь же ещё этих мягких французских булок да выпей чаю.",
    "Погода сегодня солнечная, но к вечеру обещают дождь.",
    "В библиотеке можно взять книги на две недели.",
    "Ёжик в тумане — известный советский мультфильм.",
    "Пожалуйста, закройте окно: в комнате холодно.",
    "Какой самый быстрый способ добраться до аэропорта?",
    "Київ розташований на берегах Дніпра.",
    "Їжак шукав яблука під старою грушею.",
    "Добрий вечір! Чи можна замовити столик на двох?",
    "София е столицата на България.",
    "Шофьорът спря пред хотела в седем часа.",
    "Београд је главни град Србије.",
    "Љубав и пријатељство су најважнији у животу.",
    "Қазақстанның астанасы — Астана.",
    "Монгол улсын нийслэл Улаанбаатар хот юм.",
    "Беларуская мова мае літару ў.",
]

GREEK = [
    "Καλημέρα! Πώς είσαι σήμερα;",
    "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας.",
    "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.",
    "Το πλοίο για τη Σαντορίνη φεύγει στις οκτώ.",
    "Ευχαριστώ πολύ για τη βοήθειά σου.",
    "Ο καιρός αύριο θα είναι βροχερός στη Θεσσαλονίκη.",
    "ΑΥΤΟ ΕΙΝΑΙ ΚΕΦΑΛΑΙΑ ΓΡΑΜΜΑΤΑ ΜΕ ΤΟΝΟΥΣ: ΆΈΉΊΌΎΏ",
    "Ϊ ϋ ΐ ΰ — διαλυτικά και τόνοι μαζί.",
    "Σοφία, φέρε τα βιβλία από τη βιβλιοθήκη.",
]

ARABIC = [
    "مرحبا بالعالم",
    "الطقس جميل اليوم في القاهرة.",
    "أين تقع أقرب محطة قطار؟",
    "ذهبت إلى المكتبة لاستعارة كتاب عن التاريخ.",
    "السلام عليكم ورحمة الله وبركاته.",
    "اللغة العربية من أكثر اللغات انتشاراً في العالم.",
    "كَتَبَ الطَّالِبُ الدَّرْسَ بِعِنَايَةٍ.",
    "الرقم ١٢٣٤٥ مكتوب بالأرقام العربية الشرقية.",
    "سأسافر إلى دبي في شهر ديسمبر.",
    "هل يمكنك مساعدتي في حل هذه المسألة؟",
    "تهران پایتخت ایران است.",
    "امروز هوا خیلی سرد است، کاپشن بپوش.",
    "من کتاب‌های زیادی در کتابخانه‌ام دارم.",
    "پاکستان کا دارالحکومت اسلام آباد ہے۔",
    "آج موسم بہت خوشگوار ہے۔",
]

HEBREW = [
    "שלום עולם",
    "ירושלים היא עיר עתיקה וחשובה.",
    "איפה נמצאת התחנה המרכזית?",
    "אני לומד עברית כבר שלוש שנים.",
    "הַשָּׁמַיִם כְּחֻלִּים הַיּוֹם.",
    "תודה רבה על העזרה, נתראה מחר.",
    "המחיר הוא 45 ₪ לאדם.",
    "פגישה ב-10:30 במשרד של דוד.",
]

INDIC = [
    "यह एक परीक्षण वाक्य है।",
    "भारत की राजधानी नई दिल्ली है।",
    "मुझे हिंदी सीखना बहुत पसंद है।",
    "कृपया दरवाज़ा बंद कर दीजिए।",
    "आज मौसम बहुत सुहावना है, चलो बाहर चलते हैं।",
    "क्षत्रिय, ज्ञान, त्रिकोण और श्रद्धा में संयुक्ताक्षर हैं।",
    "संख्या ०१२३४५६७८९ देवनागरी अंकों में लिखी है।",
    "मी मराठी बोलतो आणि पुण्यात राहतो.",
    "नेपालको राजधानी काठमाडौं हो।",
    "আমি বাংলায় গান গাই।",
    "ঢাকা বাংলাদেশের রাজধানী।",
    "தமிழ் மிகவும் பழமையான மொழி.",
    "சென்னை ஒரு பெரிய நகரம்.",
    "తెలుగు భాష చాలా మధురంగా ఉంటుంది.",
    "ಕನ್ನಡ ಕರ್ನಾಟಕದ ಅಧಿಕೃತ ಭಾಷೆ.",
    "മലയാളം കേരളത്തിലെ ഭാഷയാണ്.",
    "ਪੰਜਾਬੀ ਗੁਰਮੁਖੀ ਲਿਪੀ ਵਿੱਚ ਲਿਖੀ ਜਾਂਦੀ ਹੈ।",
    "ગુજરાતી ભાષા સુંદર છે.",
]

THAI_SEA = [
    "สวัสดีครับ วันนี้อากาศดีมาก",
    "กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย",
    "ฉันชอบกินต้มยำกุ้งและส้มตำ",
    "ขอบคุณมากที่ช่วยเหลือ",
    "รถไฟฟ้าบีทีเอสวิ่งทุกห้านาที",
    "ພາສາລາວມີຕົວອັກສອນຂອງຕົນເອງ",
    "ខ្ញុំស្រឡាញ់ភាសាខ្មែរ",
    "မြန်မာဘာသာစကား",
]

CJK = [
    "東京は日本の首都です。",
    "今日はいい天気ですね。散歩に行きましょう。",
    "すみません、駅はどこですか？",
    "私は毎朝コーヒーを飲みます。",
    "カタカナとひらがなと漢字を混ぜて書きます。",
    "新幹線で大阪まで二時間半かかります。",
    "ｶﾀｶﾅの半角文字も使われることがあります。",
    "吾輩は猫である。名前はまだ無い。",
    "北京是中华人民共和国的首都。",
    "我今天很高兴，因为天气很好。",
    "请问去火车站怎么走？",
    "机器学习是人工智能的一个分支。",
    "這是繁體中文的句子，臺灣和香港使用。",
    "他買了三本書和兩支筆。",
    "春眠不觉晓，处处闻啼鸟。",
    "价格：￥1,280（含税）",
    "서울은 대한민국의 수도입니다.",
    "안녕하세요! 만나서 반갑습니다.",
    "한국어 문장도 잘 처리됩니다.",
    "오늘 저녁에 김치찌개를 먹었어요.",
    "지하철 2호선을 타고 강남역에서 내리세요.",
    "ㅋㅋㅋ 진짜 웃기다 ㅎㅎ",
]

EDGE = [
    "",
    " ",
    "   ",
    "\t",
    "\n",
    "a",
    ".",
    "Hello world",
    "hello   world",
    "  leading and trailing spaces  ",
    "tabs\tand\nnewlines\r\nmixed",
    "multiple\n\n\nnewlines",
    "non\u00a0breaking\u00a0spaces",
    "ideographic\u3000space\u3000here",
    "em\u2003space and thin\u2009space",
    "zero\u200bwidth\u200bspace",
    "zero\u200cwidth\u200dnon-joiner and joiner",
    "\ufeffbyte order mark at start",
    "word\ufeffjoiner in the middle",
    "soft\u00adhyphen",
    "left\u200eto\u200fright marks",
    "line\u2028separator and paragraph\u2029separator",
    "next\u0085line control",
    "bell\u0007 and escape\u001b[0m codes",
    "null\u0000byte",
    "delete\u007fchar",
    "replacement \ufffd char",
    "private use \ue000\uf8ff",
    "noncharacter \ufdd0 here",
    "combining a\u0301 e\u0300 o\u0308 n\u0303",
    "stacked combining x\u0301\u0302\u0303\u0304\u0305",
    "caf\u00e9 vs cafe\u0301",
    unicodedata.normalize("NFD", "Crème brûlée, naïve façade, Ångström"),
    unicodedata.normalize("NFD", "Việt Nam, Đà Nẵng, Huế"),
    unicodedata.normalize("NFD", "한국어 자모 분해"),
    unicodedata.normalize("NFD", "Ελληνικά με τόνους"),
    "\u1100\u1161\u11a8 conjoining jamo",
    "emoji 😀😃😄😁 row",
    "family 👨\u200d👩\u200d👧\u200d👦 zwj",
    "technologist 👩\u200d💻 and 🧑🏽\u200d🚀",
    "flags 🇯🇵🇺🇸🇩🇪🇧🇷",
    "skin tones 👍🏻👍🏼👍🏽👍🏾👍🏿",
    "keycaps 1\ufe0f\u20e3 #\ufe0f\u20e3",
    "heart ❤\ufe0f vs ❤\ufe0e",
    "rainbow flag 🏳\ufe0f\u200d🌈",
    "ＦＵＬＬ－ＷＩＤＴＨ　ＴＥＸＴ　１２３",
    "ｆｕｌｌｗｉｄｔｈ ｌｏｗｅｒ",
    "ligatures ﬁ ﬂ ﬀ ﬃ",
    "superscripts x² y³ and ½ ¼ ¾",
    "circled ① ② ③ Ⓐ ⓑ",
    "roman numerals Ⅻ ⅷ",
    "math 𝐀𝐁𝐂 𝑥𝑦𝑧 𝔄𝔅",
    "℃ ℉ № ™ ℡ ㎏ ㎞ ㍻",
    "ｱｲｳｴｵ halfwidth katakana ﾊﾟﾋﾟ",
    "Supercalifragilisticexpialidocious",
    "Pneumonoultramicroscopicsilicovolcanoconiosis",
    "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz",
    "Llanfairpwllgwyngyllgogerychwyndrobwllllantysiliogogogoch",
    "Kindergärtnerinnenausbildungsverordnungsänderungsentwurf",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "https://example.com/path?query=1&lang=日本語#frag",
    "user.name+tag@example.co.uk",
    "C:\\Users\\Ünïcödé\\Documents\\файл.txt",
    "price: 12,50 € / $13.99 / £9.99 / ¥1500 / ₹999",
    "2024-03-15T10:30:00+05:30",
    "ID: A-1234_B/5678",
    "mixed English и русский and ελληνικά",
    "日本語とEnglishとKorean한국어",
    "عربي English עברית mixed",
    "quotes “curly” ‘single’ «guillemets» „German“",
    "dashes - – — ― and ellipsis …",
    "bullets • ◦ ▪ ▶ ★ ☆",
    "box drawing ┌─┐│└┘",
    "braille ⠓⠑⠇⠇⠕",
    "CAPS LOCK SENTENCE WITH ÜMLAUTS AND ÉACCENTS",
    "sPoNgEbOb CaSe TeXt",
    "▁metaspace▁already▁present",
    "<s> special tokens </s> <pad> <unk> <mask>",
    "query: already prefixed",
    "a" + " " * 40 + "b",
    " x " * 30,
    "ab" * 300,
]


EMOJI_TAILS = [" 🙂 ", " 👩‍👩‍👧 ", "🚀", " ✔️ ", " 🇫🇷 ", " "]
FULLWIDTH_TAILS = ["！", "？", "（テスト）", "ｘｙｚ１２３", "。", "，ok"]


def variants(texts):
    out = []
    for i, t in enumerate(texts):
        nfd = unicodedata.normalize("NFD", t)
        if nfd != t:
            out.append(nfd)
        nfkc = unicodedata.normalize("NFKC", t)
        if nfkc != t:
            out.append(nfkc)
        words = t.split(" ")
        if len(words) > 2:
            out.append("  ".join(words))            # double spaces
            out.append("\t" + " \u00a0".join(words[:4]) + "\n")
        out.append(t.upper() if i % 2 else t.lower())
        out.append(t + " " + texts[(i * 7 + 3) % len(texts)])  # mixed-script pairs
        out.append(EMOJI_TAILS[i % len(EMOJI_TAILS)].join(words[: max(1, len(words) // 2)]))
        out.append(t.rstrip(".!?。！？؟।") + FULLWIDTH_TAILS[i % len(FULLWIDTH_TAILS)])
        out.append(t.replace(" ", "​ " if i % 3 == 0 else "　" if i % 3 == 1 else " ­"))
    return out


def main():
    base = LATIN + CYRILLIC + GREEK + ARABIC + HEBREW + INDIC + THAI_SEA + CJK
    texts = base + EDGE + variants(base)
    # Long multi-paragraph texts (truncation at 512 tokens).
    texts.append(" ".join(LATIN))
    texts.append("".join(CJK))
    texts.append("\n".join(CYRILLIC + GREEK + ARABIC))
    seen, uniq = set(), []
    for t in texts:
        if t not in seen:
            seen.add(t)
            uniq.append(t)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "multilingual.jsonl")
    with open(path, "w", encoding="ascii") as f:
        for t in uniq:
            f.write(json.dumps({"text": t}, ensure_ascii=True) + "\n")
    print(f"wrote {path}: {len(uniq)} texts ({len(base)} sentences, {len(EDGE)} edge cases, variants)")


if __name__ == "__main__":
    main()
