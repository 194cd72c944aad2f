#!/usr/bin/env python3
"""Regenerate golden/corpus/en.jsonl.

    python golden/corpus/build_corpus.py            # writes en.jsonl next to this file

The corpus is hand-written text (queries, reviews, news-like sentences, code,
chat, addresses, numbers/dates, headings, paragraphs, questions) followed by
tokenizer edge cases. Edge cases that are hard to type or see (control
characters, NFD accents, zero-width characters, exact-length strings) are built
in code so the intent is explicit.

Output: one JSON object per line, {"text": ...}, written with ensure_ascii=True,
so the file is pure ASCII; every non-ASCII character is a \\uXXXX escape
(astral characters as surrogate pairs). This keeps U+2028, U+0085, NFD
sequences etc. from being altered or split by editors and line readers.
Order is fixed; the file is deterministic.
"""

import json
import os
import unicodedata

SEARCH_QUERIES = [
    "best budget laptop for programming 2024",
    "how to reset iphone without passcode",
    "cheap flights new york to london december",
    "python list comprehension vs map performance",
    "weather tomorrow berlin",
    "symptoms of vitamin d deficiency",
    "vegan lasagna recipe without tofu",
    "near me open now pharmacy",
    "convert 350 fahrenheit to celsius",
    "who won the world cup in 2010",
    "mortgage calculator with extra payments",
    "git undo last commit keep changes",
    "rust borrow checker explained simply",
    "best hiking trails near denver for beginners",
    "is coffee bad for your heart",
    "sql join vs subquery which is faster",
    "how many ounces in a cup",
    "remote data engineer jobs europe",
    "kubernetes pod stuck in crashloopbackoff",
    "difference between affect and effect",
    "replacement battery for logitech mx master 3",
    "train schedule zurich geneva",
    "how to grow tomatoes on a balcony",
    "macbook air m2 vs m3",
    "cosine similarity sentence embeddings",
    "tax deadline extension form",
    "noise cancelling headphones under 200",
    "how long to boil an egg",
    "dog friendly hotels lake tahoe",
    "translate thank you into japanese",
]

REVIEWS = [
    "Absolutely love this blender. It crushes ice in seconds and is easy to clean.",
    "The battery died after two weeks. Customer service never replied to my emails.",
    "Decent headphones for the price, but the ear cushions get hot after an hour.",
    "Five stars! Arrived a day early and the packaging was fully recyclable.",
    "Not what I expected. The color is much darker than in the photos.",
    "I've bought three of these for my family; everyone is happy with them.",
    "The instructions were confusing and two screws were missing from the box.",
    "Great little speaker - loud, clear, and the Bluetooth pairing is instant.",
    "Meh. It works, I guess, but I wouldn't buy it again at full price.",
    "Comfortable shoes, true to size, and they held up on a 20 km hike.",
    "The app keeps crashing on Android 14, which makes the smart bulb useless.",
    "Solid build quality. Heavier than it looks, which I actually like.",
    "Returned it. The fan makes a high-pitched whine that drove me crazy.",
    "This is the third coffee grinder I've owned and by far the most consistent.",
    "Works as advertised. Nothing special, nothing wrong.",
    "The hotel room was spotless, but the walls were paper thin and breakfast was cold.",
    "Our waiter was fantastic and the risotto was the best I've had outside Italy.",
    "Waited 45 minutes for a table even though we had a reservation. Never again.",
    "Perfect gift for a 6-year-old. Kept my nephew busy the whole afternoon!",
    "The charger gets alarmingly hot; I stopped using it out of caution.",
    "Honestly? Overpriced. You're paying for the brand name.",
    "I was skeptical about a $15 keyboard, but it's surprisingly pleasant to type on.",
    "Size M fits more like an L. Fabric is soft though.",
    "The novel starts slow but the last hundred pages are impossible to put down.",
    "Terrible. Just terrible. The zipper broke the first time I used it.",
]

NEWS = [
    "The central bank left interest rates unchanged on Thursday, citing easing inflation.",
    "Heavy rain caused flooding across several northern districts overnight, officials said.",
    "Researchers have identified a new species of frog in the cloud forests of Ecuador.",
    "The city council approved a plan to add 40 kilometers of protected bike lanes by 2027.",
    "Shares of the chipmaker rose 8% after it reported record quarterly revenue.",
    "A spokesperson for the ministry declined to comment on the leaked documents.",
    "The home team clinched the title with a stoppage-time goal in front of 60,000 fans.",
    "Emergency crews contained the wildfire after three days, although evacuation orders remain.",
    "The museum will return the artifacts to their country of origin next spring.",
    "Unemployment fell to 3.9 percent in March, the lowest level in over a year.",
    "Scientists warn that the glacier is retreating faster than previous models predicted.",
    "The airline cancelled more than 200 flights due to a nationwide air traffic control strike.",
    "Voters in the region rejected the proposed tax increase by a narrow margin.",
    "A software update intended to fix a security flaw caused outages for millions of users.",
    "The film won the festival's top prize, marking the director's first major award.",
    "Police are asking witnesses to come forward after a collision on the ring road.",
    "The company announced it would cut 1,200 jobs as part of a restructuring plan.",
    "Astronomers observed a rare alignment of five planets visible to the naked eye.",
    "Negotiations between the union and management resumed after a two-week pause.",
    "The bridge, closed since the earthquake, reopened to traffic on Monday morning.",
    "Prices for eggs have more than doubled since last year, according to new data.",
    "The prime minister is expected to announce a cabinet reshuffle later this week.",
    "Local farmers say the drought has cut this season's wheat harvest nearly in half.",
    "The spacecraft successfully entered orbit around Jupiter after a six-year journey.",
    "A new study links regular walking to a lower risk of cognitive decline in older adults.",
]

CODE = [
    "def add(a, b):\n    return a + b",
    "for (int i = 0; i < n; ++i) { sum += arr[i]; }",
    "SELECT name, COUNT(*) FROM users WHERE active = 1 GROUP BY name ORDER BY 2 DESC;",
    "const fetchData = async (url) => { const res = await fetch(url); return res.json(); };",
    "import numpy as np\nx = np.linspace(0, 1, 100)\nprint(x.mean())",
    "git commit -m \"fix: handle empty input in tokenizer\"",
    "docker run -it --rm -p 8080:80 nginx:latest",
    "let xs: [Int] = (1...10).map { $0 * $0 }",
    "if err != nil {\n\treturn fmt.Errorf(\"open %s: %w\", path, err)\n}",
    "<div class=\"card\"><h2>Title</h2><p>Body text</p></div>",
    "{\"id\": 42, \"tags\": [\"a\", \"b\"], \"nested\": {\"ok\": true}}",
    "#include <stdio.h>\nint main(void) { printf(\"hello, world\\n\"); return 0; }",
    "curl -X POST https://api.example.com/v1/items -H 'Content-Type: application/json' -d '{\"q\":1}'",
    "fn main() { let v: Vec<u32> = vec![1, 2, 3]; println!(\"{:?}\", v); }",
    "SELECT * FROM orders o JOIN customers c ON o.customer_id = c.id WHERE o.total > 100.00;",
    "public static void main(String[] args) { System.out.println(\"Hi\"); }",
    "x = [i**2 for i in range(10) if i % 2 == 0]",
    "ls -la /var/log | grep -i error | tail -n 20",
    "@media (max-width: 600px) { .nav { display: none; } }",
    "TypeError: 'NoneType' object is not subscriptable",
    "Traceback (most recent call last):\n  File \"main.py\", line 3, in <module>\n    foo()\nNameError: name 'foo' is not defined",
    "npm install --save-dev typescript@5.4.2 @types/node",
    "kubectl get pods -n kube-system -o wide",
    "regex: ^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$",
    "func greet(_ name: String) -> String { \"Hello, \\(name)!\" }",
]

CHAT = [
    "hey are u coming tonight?",
    "lol that's hilarious",
    "omg i can't believe it's already friday",
    "running 10 min late, sorry!!",
    "can you send me the slides from this morning",
    "ok sounds good 👍",
    "brb",
    "wait what?? since when",
    "Thanks so much for your help yesterday, really appreciated it.",
    "did anyone else get the email from HR about the new policy",
    "yeah no worries, we can push it to next week",
    "ngl this song slaps",
    "who's bringing snacks for the meeting?",
    "k",
    "haha yes exactly my point",
    "I'm at the cafe on 5th, grabbed us a table by the window",
    "happy birthday!!! 🎉🎂 hope you have an amazing day",
    "pls call me when you land",
    "idk, maybe? let me check my calendar",
    "good morning everyone :) standup in 5",
    "that build is still failing on CI, looking into it now",
    "gg wp",
    "anyone know a good plumber in the area? our sink is leaking again",
    "sure thing, I'll ping you after lunch",
    "nooooooo not the season finale spoilers",
]

ADDRESSES = [
    "1600 Amphitheatre Parkway, Mountain View, CA 94043, USA",
    "221B Baker Street, London NW1 6XE, United Kingdom",
    "Unter den Linden 77, 10117 Berlin, Germany",
    "Apt. 4C, 350 W 42nd St, New York, NY 10036",
    "P.O. Box 1234, Anchorage, AK 99501",
    "12 rue de Rivoli, 75004 Paris, France",
    "Suite 300, 1 Infinite Loop, Cupertino, California",
    "Flat 2, 18 Princes Street, Edinburgh EH2 2AN",
    "Calle de Alcalá 45, 28014 Madrid, España",
    "Level 5, 100 George St, Sydney NSW 2000, Australia",
    "Shibuya 2-21-1, Shibuya-ku, Tokyo 150-0002, Japan",
    "Ship to: J. Smith, 742 Evergreen Terrace, Springfield",
]

NUMBERS_DATES = [
    "2024-03-15T12:30:00Z",
    "March 15, 2024 at 12:30 PM",
    "15/03/2024",
    "Call us at +1 (555) 123-4567 or 555.987.6543.",
    "The total is $1,299.99 including 8.25% sales tax.",
    "Pi is approximately 3.14159265358979.",
    "Temperature: -12.5°C (9.5°F)",
    "Order #A-100234 shipped on 01/02/23.",
    "1st, 2nd, 3rd, 4th, 21st, 22nd, 101st",
    "Population: 8,336,817 (2020 census)",
    "1e-12 is a very small number; 6.022e23 is Avogadro's.",
    "Version 2.13.0+cpu released 2025-11-02",
    "ISBN 978-3-16-148410-0",
    "Meeting moved from 9:00–10:30 to 14:00–15:30 CET.",
    "0x7FFFFFFF == 2147483647",
    "It costs €49,90 in Germany and £42.50 in the UK.",
    "Q3 FY2023 revenue grew 17% YoY to ¥3.2 trillion.",
    "Coordinates: 48.8584° N, 2.2945° E",
    "1/2 + 1/3 = 5/6",
    "100000000000000000000000000000",
    "Flight LH 401 departs 18:45, gate B22, seat 34A.",
    "The 1990s and the '80s",
]

HEADINGS = [
    "Chapter 1: Introduction",
    "Frequently Asked Questions",
    "Terms and Conditions",
    "Getting Started with Swift Package Manager",
    "Section 4.2.1 - Results and Discussion",
    "BREAKING NEWS",
    "Table of Contents",
    "Part III. The Return",
    "## Installation",
    "How We Built a Search Engine in 30 Days",
    "Appendix B: Glossary of Terms",
    "Top 10 Tips for Better Sleep",
    "Release Notes v3.0",
    "Privacy Policy (Last updated: January 2024)",
    "Abstract",
]

QUESTIONS = [
    "What is the capital of Australia?",
    "How do I get to the train station from here?",
    "Why is the sky blue?",
    "Can you recommend a good book about the history of mathematics?",
    "Is it safe to eat raw cookie dough?",
    "When does the store close on Sundays?",
    "Which programming language should I learn first?",
    "Where did I leave my keys?",
    "How does a transformer model process a sentence?",
    "What's the difference between weather and climate?",
    "Do you know whether the museum is free on Tuesdays?",
    "Could global warming be reversed in our lifetime?",
    "Who wrote Pride and Prejudice?",
    "How many bones are in the human body?",
    "Are electric cars really better for the environment?",
    "What time zone is Hawaii in?",
    "Should I stretch before or after running?",
    "Why does my code work on my machine but not in production?",
    "How can I improve my public speaking skills?",
    "What happens if I miss the deadline?",
]

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "A man is playing a guitar on stage.",
    "A woman is slicing tomatoes in the kitchen.",
    "Two children are playing soccer in the park.",
    "The cat sat on the mat.",
    "I think, therefore I am.",
    "It was the best of times, it was the worst of times.",
    "She sells sea shells by the sea shore.",
    "All models are wrong, but some are useful.",
    "Please remember to turn off the lights when you leave.",
    "The meeting has been rescheduled to next Tuesday.",
    "My favorite season is autumn because of the colors.",
    "He didn't know whether to laugh or cry.",
    "The train was delayed by a signal failure near the station.",
    "Sentence embeddings map text to dense vectors.",
    "Cats are independent; dogs are loyal.",
    "This sentence has a comma, a semicolon; and a colon: see?",
    "Don't count your chickens before they hatch.",
    "The results, however, were inconclusive.",
    "Water boils at 100 degrees Celsius at sea level.",
    "The library is closed for renovations until further notice.",
    "Our flight was overbooked, so we volunteered to take the next one.",
    "Machine learning models can inherit biases from their training data.",
    "The mountain village is only reachable by a narrow gravel road.",
    "Every morning she jogs five kilometers along the river.",
    "The recipe calls for two cups of flour and a pinch of salt.",
    "Unfortunately, the package was delivered to the wrong address.",
    "The orchestra tuned their instruments before the concert began.",
    "A bicycle leans against the fence outside the bakery.",
    "The server returned a 503 error during peak traffic.",
    "Please find attached the signed contract and the invoice.",
    "Her grandmother taught her how to knit scarves.",
    "The algorithm runs in O(n log n) time.",
    "We're out of milk again.",
    "The old lighthouse hasn't been used since 1962.",
    "Antidisestablishmentarianism is a famously long English word.",
    "Pneumonoultramicroscopicsilicovolcanoconiosis",
    "supercalifragilisticexpialidocious",
    "Hello",
    "Hello world",
    "hello world",
    "HELLO WORLD",
    "hElLo WoRlD",
    "a",
    "I",
    ".",
    "?!",
    "...",
    "--",
    "and",
]

PARAGRAPHS = [
    "We stayed at the cabin for a week. The lake was freezing in the morning but "
    "perfect by noon. In the evenings we cooked over the fire and watched the stars. "
    "I would go back in a heartbeat.",
    "To install the package, first make sure you have Python 3.10 or newer. Then run "
    "the install command in a virtual environment. If you see a permission error, do "
    "not use sudo; check your environment instead.",
    "The committee reviewed 142 applications this year. Of those, 37 were shortlisted "
    "and 12 received funding. Feedback will be sent to all applicants by the end of "
    "the month.",
    "Dear customer, thank you for your order. Unfortunately, one item is out of stock. "
    "We have shipped the rest of your order and will refund the missing item within "
    "5-7 business days.",
    "Photosynthesis converts light energy into chemical energy. Plants absorb carbon "
    "dioxide and water, and, using sunlight, produce glucose and oxygen. The process "
    "takes place mainly in the chloroplasts of leaf cells.",
    "My grandfather was a carpenter. He built the table we still eat at every Sunday. "
    "When I run my hand over the scratches, I remember the afternoons in his workshop, "
    "the smell of sawdust, and his terrible jokes.",
    "The first version of the app was slow and buggy. After rewriting the data layer "
    "and adding caching, page loads dropped from 3 seconds to under 300 milliseconds. "
    "Users noticed immediately.",
    "Step 1: Preheat the oven to 200°C. Step 2: Mix the dry ingredients. Step 3: Add "
    "the eggs and milk, then whisk until smooth. Step 4: Bake for 25 minutes.",
    "It rained all day. The streets emptied, the cafes filled up, and the city seemed "
    "to hold its breath. By evening, the clouds broke and the light turned gold.",
    "Q: Does the warranty cover water damage?\nA: No. The warranty covers manufacturing "
    "defects only. Accidental damage, including water damage, is not covered.",
    "Attention all passengers: the 17:05 service to Manchester Piccadilly will depart "
    "from platform 9 instead of platform 4. We apologise for any inconvenience.",
    "Embeddings are useful for search, clustering, and deduplication. Two texts with "
    "similar meaning end up close together in vector space, even if they share few "
    "words. Cosine similarity is the usual way to compare them.",
    "The patient presented with a mild fever, fatigue and a dry cough lasting four "
    "days. No shortness of breath was reported. Rest and fluids were advised, with a "
    "follow-up in one week.",
    "Our quarterly review highlighted three priorities: reduce churn, ship the mobile "
    "redesign, and hire two senior engineers. Progress on each will be tracked weekly.",
    "Once upon a time, in a kingdom by the sea, there lived a princess who could not "
    "sleep. Every night she counted the waves, and every morning she was a little "
    "wiser.",
]

MISC = [
    "Visit https://www.example.com/path/to/page?query=hello+world&lang=en#section-2 for details.",
    "http://localhost:8080/api/v1/users/123",
    "ftp://files.example.org/pub/README.txt",
    "Email me at jane.doe+newsletter@example.co.uk or support@company.io",
    "@alice_smith #MachineLearning #NLP",
    "C:\\Users\\Admin\\Documents\\report_final_v2.docx",
    "/usr/local/bin/python3.11",
    "e^(iπ) + 1 = 0",
    "∀x ∈ ℝ, x² ≥ 0",
    "∑_{i=1}^{n} i = n(n+1)/2",
    "√2 ≈ 1.41421, ∞ > 10^100, α + β = γ",
    "a ≤ b ≠ c ⇒ ¬(a = c)",
    "The ratio was 3:2 and the score 21–17.",
    "«Bonjour», dit-il — “c'est ça?”",
    "‘single’ and “double” curly quotes, plus ‹angle› quotes",
    "Price: 10€ / 12$ / 9£ / 1,500¥ / ₹800 / ₩12,000",
    "© 2024 Example Corp. All rights reserved. ™ ®",
    "Temperature range ±0.5 °C, tolerance ‰",
    "He said: \"It's not 'wrong', it's just... different.\"",
    "A/B testing, CI/CD, and/or TCP/IP",
    "state-of-the-art, well-known, up-to-date",
    "U.S.A. vs. U.K., e.g., i.e., etc.",
    "Mr. and Mrs. O'Neil's dog's toy",
    "NASA, FBI, HTML5, COVID-19, GPT-4o",
    "iPhone 15 Pro Max, PlayStation 5, Wi-Fi 6E",
    "The Ünïcödé Çhàrâctérs Tëst",
    "naïve café résumé coöperate façade jalapeño",
    "Ångström, Øresund, Łódź, Ďáblice, İstanbul",
    "straße STRASSE Straße",
    "Wellness-Hotel in Zürich für 2 Personen",
]

MULTILINGUAL = [
    ("cjk", "我爱自然语言处理。"),
    ("cjk", "今天天气很好，我们去公园散步吧！"),
    ("cjk_mixed", "The word 中文 means Chinese language."),
    ("japanese", "東京は日本の首都です。"),
    ("japanese_kana", "こんにちは、お元気ですか？カタカナもあります。"),
    ("japanese_halfwidth", "ｶﾀｶﾅ ﾃｽﾄ ＡＢＣ１２３"),
    ("korean", "안녕하세요. 만나서 반갑습니다."),
    ("korean_jamo", "한국어 텍스트와 자모 ㄱㄴㄷ"),
    ("arabic", "مرحبا بالعالم، كيف حالك اليوم؟"),
    ("arabic_digits", "السعر ٤٥٠ ريال"),
    ("hebrew", "שלום עולם, מה שלומך?"),
    ("rtl_mixed", "The Hebrew word שלום means peace."),
    ("devanagari", "नमस्ते, आप कैसे हैं?"),
    ("hindi", "भारत एक विशाल देश है।"),
    ("thai", "สวัสดีครับ ยินดีที่ได้รู้จัก"),
    ("cyrillic", "Привет, как дела? Москва — столица России."),
    ("cyrillic_caps", "ЗДРАВСТВУЙТЕ МИР"),
    ("greek", "Γειά σου Κόσμε! Η Αθήνα είναι όμορφη."),
    ("greek_final_sigma", "ΟΔΟΣ ΟΔΥΣΣΕΥΣ"),
    ("vietnamese", "Tiếng Việt có nhiều dấu thanh điệu."),
    ("turkish", "Türkçe: ığüşöç İĞÜŞÖÇ"),
    ("polish", "Zażółć gęślą jaźń"),
    ("french", "Où est la bibliothèque ? À côté de l'église."),
    ("german", "Die Größe der Bäume überrascht Besucher."),
    ("spanish", "¿Dónde está el baño? ¡Muchas gracias!"),
    ("portuguese", "Não sei se ação é a opção certa."),
    ("georgian", "გამარჯობა"),
    ("armenian", "Բարեւ Ձեզ"),
    ("ethiopic", "ሰላም ለዓለም"),
    ("tamil", "வணக்கம் உலகம்"),
    ("bengali", "আমি বাংলায় গান গাই"),
    ("mixed_scripts", "English, 中文, 日本語, 한국어, العربية, עברית, हिन्दी, ไทย, Русский, Ελληνικά"),
]


def edge_cases():
    e = []
    # empty and whitespace
    e.append("")
    e.append(" ")
    e.append("     ")
    e.append("\t")
    e.append("\n")
    e.append("\r\n")
    e.append(" \t \n \r ")
    e.append("tabs\tbetween\twords")
    e.append("line one\nline two\n\nline four")
    e.append("windows\r\nline\r\nendings")
    e.append("  leading and trailing spaces  ")
    e.append("multiple     internal     spaces")
    # unusual whitespace
    e.append("no\u00a0break\u00a0space")
    e.append("ideographic\u3000space")
    e.append("em\u2003space and thin\u2009space")
    e.append("line\u2028separator and paragraph\u2029separator")
    e.append("next\u0085line")
    e.append("vertical\u000btab and form\u000cfeed")
    # control characters
    e.append("null\u0000byte")
    e.append("\u0000")
    e.append("bell\u0007char")
    e.append("escape \u001b[31mred\u001b[0m text")
    e.append("\u0001\u0002\u0003 start of heading")
    e.append("delete\u007fchar")
    e.append("c1 control \u0080\u009f chars")
    # zero-width / format characters
    e.append("zero\u200bwidth\u200bspace")
    e.append("zero\u200cwidth\u200dnon joiner and joiner")
    e.append("\ufeffbyte order mark at start")
    e.append("word\u2060joiner")
    e.append("soft\u00adhyphen")
    e.append("left\u200eto\u200fright marks")
    e.append("\u202eoverride\u202c bidi")
    # replacement char, private use, noncharacters
    e.append("bad \ufffd bytes \ufffd\ufffd")
    e.append("\ufffd")
    e.append("private use \ue000\uf8ff")
    e.append("unassigned \u0378 codepoint")
    # emoji
    e.append("😀😃😄😁")
    e.append("I love pizza 🍕 and tacos 🌮!")
    e.append("family: 👨\u200d👩\u200d👧\u200d👦")
    e.append("rainbow flag 🏳\ufe0f\u200d🌈 and pirate flag 🏴\u200d☠\ufe0f")
    e.append("skin tones 👍🏻👍🏼👍🏽👍🏾👍🏿")
    e.append("flags 🇺🇸🇯🇵🇩🇪")
    e.append("keycap 1\ufe0f\u20e3 #\ufe0f\u20e3")
    e.append("text vs emoji style: ☺ ☺\ufe0f ❤ ❤\ufe0f")
    e.append("astral math 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝐁𝐨𝐥𝐝 𝟙𝟚𝟛")
    e.append("ancient 𐌰𐌱𐌲 and musical 𝄞")
    # accents NFC vs NFD
    nfc = "Crème brûlée, naïve résumé, São Paulo, Ñandú, Åland"
    e.append(unicodedata.normalize("NFC", nfc))
    e.append(unicodedata.normalize("NFD", nfc))
    e.append(unicodedata.normalize("NFC", "Ελληνικά: άέήίόύώ ΐΰ"))
    e.append(unicodedata.normalize("NFD", "Ελληνικά: άέήίόύώ ΐΰ"))
    e.append(unicodedata.normalize("NFD", "Tiếng Việt"))
    e.append("e\u0301 vs \u00e9")
    e.append("stacked combining a\u0300\u0301\u0302\u0303\u0304")
    e.append("\u0301 leading combining mark")
    e.append("compatibility: ﬁ ﬂ ﬃ ① ² ½ ™ Ⅻ")
    e.append("Ⓗⓔⓛⓛⓞ ＦＵＬＬＷＩＤＴＨ")
    e.append("Kelvin sign \u212a and Angstrom sign \u212b")
    # case
    e.append("THIS IS ALL CAPS AND IT IS VERY LOUD")
    e.append("MiXeD CaSe SeNtEnCe WiTh NuMbErS 123")
    e.append("camelCaseIdentifier PascalCaseIdentifier snake_case_identifier SCREAMING_SNAKE")
    # special tokens literally
    e.append("[CLS] [SEP] [MASK] [PAD] [UNK]")
    e.append("The capital of France is [MASK].")
    e.append("before[SEP]after[CLS]")
    e.append("[cls] [sep] [mask] lower case specials")
    e.append("[ MASK ] and [MASK ] and [[MASK]]")
    e.append("[UNK][UNK][UNK]")
    e.append("<s> </s> <pad> <unk> <mask> <|endoftext|>")
    e.append("##ing ## #hash ##")
    # long words
    e.append("a" * 100)
    e.append("a" * 101)
    e.append("x" * 300)
    e.append("ж" * 100)
    e.append("ж" * 101)
    e.append("Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch")
    e.append("https://example.com/" + "abcdefghij" * 12)
    e.append("0123456789" * 15)
    e.append("-" * 80)
    e.append("!?" * 60)
    e.append("aaaa" * 10 + " " + "bbbb" * 30)
    # repetition / punctuation
    e.append("hello hello hello hello hello hello hello hello")
    e.append("!!!!!!!!!!!!")
    e.append("¿¡‽⁇⁈ «» ‹› „“ ‚‘")
    e.append("•·‣⁃ ◦ bullets ¶ § † ‡")
    e.append("box drawing ┌─┐│└┘ and blocks ░▒▓█")
    # exact truncation boundaries: "a " * 254 -> 254 tokens + [CLS] [SEP] = 256
    e.append(" ".join(["a"] * 254))
    e.append(" ".join(["a"] * 255))
    e.append(" ".join(["hello"] * 400))
    return e


def long_text():
    """A ~5,000-character multi-paragraph text, cut to exactly 5,000 characters."""
    parts = [
        "The history of the printing press is, in many ways, the history of modern "
        "communication. Before movable type, books were copied by hand, a slow and "
        "costly process that kept written knowledge in the hands of a few. ",
        "When Johannes Gutenberg combined an oil-based ink, a screw press adapted "
        "from winemaking, and metal type cast in reusable molds around 1450, he "
        "made it possible to produce hundreds of identical copies in the time a "
        "scribe needed for one. ",
        "Within fifty years, presses operated in more than two hundred European "
        "cities, and an estimated twenty million volumes had been printed. Prices "
        "fell, literacy rose, and pamphlets carried new ideas across borders faster "
        "than any authority could suppress them. ",
        "Historians still debate how much credit a single invention deserves for "
        "the Reformation, the Scientific Revolution, or the rise of newspapers. "
        "What is clear is that standardized text changed how people argued: a "
        "reader in Venice and a reader in Antwerp could point to the same page, "
        "line, and word. ",
        "Errors spread just as efficiently as insights, of course. A misprinted "
        "table of logarithms or a corrupted passage of scripture could travel as "
        "far as the correct version, which is why careful editors, errata sheets, "
        "and later editions became part of the culture of print. ",
    ]
    out = []
    n = 0
    i = 0
    while n < 5000:
        p = parts[i % len(parts)]
        if i % len(parts) == 0 and i > 0:
            p = "\n\n" + p
        out.append(p)
        n += len(p)
        i += 1
    text = "".join(out)[:5000]
    assert len(text) == 5000
    return text


def build():
    texts = []
    texts += SEARCH_QUERIES
    texts += REVIEWS
    texts += NEWS
    texts += CODE
    texts += CHAT
    texts += ADDRESSES
    texts += NUMBERS_DATES
    texts += HEADINGS
    texts += QUESTIONS
    texts += SENTENCES
    texts += PARAGRAPHS
    texts += MISC
    texts += [t for _, t in MULTILINGUAL]
    texts += edge_cases()
    texts.append(long_text())
    return texts


def main():
    texts = build()
    assert len(texts) >= 300, len(texts)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "en.jsonl")
    with open(path, "w", encoding="ascii", newline="\n") as f:
        for t in texts:
            f.write(json.dumps({"text": t}, ensure_ascii=True) + "\n")
    print(f"wrote {path}: {len(texts)} lines")


if __name__ == "__main__":
    main()
