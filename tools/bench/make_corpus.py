#!/usr/bin/env python3
"""Generate tools/bench/corpus-1000.jsonl, the benchmark corpus for tools/bench.py.

    python3 tools/bench/make_corpus.py [--out FILE] [--n 1000] [--seed 20240611]

1,000 English texts of 3-120 words drawn from nine domains (news, product reviews,
questions, support tickets, code comments, recipes, legal, medical-ish, chat). Every
text is built from templates and word lists in this file with a seeded
random.Random, so the output is byte-identical on every run and Python version
(3.2+). The lengths follow a fixed mix: ~25% short (3-10 words), ~40% medium
(11-30), ~25% long (31-70), ~10% very long (71-120), so that padding-to-longest and
length-sorted batching both have something to do.
"""
import argparse
import json
import os
import random
import re

# ---------------------------------------------------------------------------
# word lists

CITIES = ["Lisbon", "Nairobi", "Osaka", "Denver", "Glasgow", "Porto Alegre", "Hanoi", "Tucson",
          "Rotterdam", "Winnipeg", "Adelaide", "Bilbao", "Kraków", "Accra", "Pune", "Halifax"]
COUNTRIES = ["Portugal", "Kenya", "Japan", "Canada", "Chile", "Norway", "Vietnam", "Ghana",
             "India", "Poland", "Mexico", "Australia", "Spain", "Scotland", "Brazil"]
ORGS = ["the city council", "the central bank", "the health ministry", "a regional utility",
        "the transport authority", "the national weather service", "a teachers' union",
        "the port authority", "the parliament's finance committee", "a coalition of farmers",
        "the state university", "an independent auditor", "the energy regulator"]
COMPANIES = ["Northwind Logistics", "Brightleaf Foods", "Kestrel Systems", "Harbor & Pine",
             "Quanta Retail", "Bluefield Energy", "Orbis Telecom", "Larkspur Health",
             "Ironwood Motors", "Cobalt Analytics", "Meridian Airlines", "Fernhill Bank"]
NEWS_TOPICS = ["housing costs", "a new tram line", "water rationing", "the minimum wage",
               "school closures", "wildfire prevention", "a data breach", "hospital waiting times",
               "electricity prices", "a bridge repair", "flood defenses", "public library funding",
               "a ban on single-use plastics", "rural broadband", "bus driver shortages"]
NUMBERS = ["3", "12", "40", "150", "2,300", "18,000", "1.2 million", "4.5 billion", "7", "65", "9.8"]
PERCENTS = ["0.5", "1.8", "2.4", "3", "4.7", "6", "11", "15", "22", "37"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
PEOPLE = ["the mayor", "a spokesperson", "the prime minister", "local residents", "the chief executive",
          "an economist at the university", "union leaders", "the police commissioner",
          "opposition lawmakers", "the head of the agency", "shop owners", "emergency crews"]

PRODUCTS = ["wireless earbuds", "standing desk", "air fryer", "hiking boots", "mechanical keyboard",
            "robot vacuum", "e-reader", "coffee grinder", "backpack", "office chair", "phone case",
            "electric kettle", "yoga mat", "smart thermostat", "camping stove", "monitor", "blender",
            "rain jacket", "kids' scooter", "paperback novel", "board game", "water bottle"]
GOOD_ADJ = ["sturdy", "comfortable", "quiet", "well made", "easy to set up", "lightweight",
            "great value", "responsive", "beautifully designed", "reliable", "fast", "intuitive"]
BAD_ADJ = ["flimsy", "noisy", "overpriced", "confusing", "heavier than expected", "slow",
           "poorly stitched", "cheap-feeling", "unreliable", "too small", "hard to clean"]
PARTS = ["the battery", "the zipper", "the hinge", "the app", "the power cord", "the lid", "the strap",
         "the buttons", "the charging case", "the instructions", "the packaging", "the wheels", "the screen"]
DURATIONS = ["two days", "a week", "three weeks", "a month", "six weeks", "three months", "half a year",
             "a year", "two years"]

TECH = ["Python", "Docker", "Kubernetes", "PostgreSQL", "React", "Excel", "Git", "Linux", "SQL",
        "Rust", "a Raspberry Pi", "Wi-Fi", "Bluetooth", "VPN", "Chrome", "an iPhone", "Android",
        "Windows 11", "macOS", "a home router", "SSH", "Nginx", "pandas", "JavaScript"]
TASKS = ["reset my password", "merge two branches", "convert a string to a date", "speed up a slow query",
         "back up my photos", "remove duplicates from a list", "set up two-factor authentication",
         "free up disk space", "change the default printer", "export a report to PDF",
         "read a CSV file", "deploy a static website", "undo the last commit", "sort a dictionary by value",
         "connect to a remote server", "update the firmware", "fix a memory leak", "limit API requests"]
GENERAL_Q = ["is it safe to eat eggs past the date on the carton", "why is the sky blue",
             "how long does it take to learn to play the guitar", "what is the difference between a virus and bacteria",
             "can I take ibuprofen with coffee", "how do solar panels work at night",
             "what's a good age to start kids on chores", "how much should I tip a hairdresser",
             "why do cats knead blankets", "is renting cheaper than buying in the long run",
             "how do I get rid of fruit flies", "what time zone is used in Iceland",
             "how many cups are in a liter", "why does bread go stale", "what causes hiccups",
             "how do I politely decline a wedding invitation", "should I stretch before or after running"]

APPS = ["the mobile app", "the web dashboard", "the desktop client", "checkout", "the billing page",
        "the login screen", "the export feature", "the search bar", "email notifications", "the sync service"]
ERRORS = ["error 500", "a blank white screen", "'session expired'", "a spinning wheel forever",
          "'payment declined'", "error code E-1042", "'permission denied'", "a timeout", "duplicate charges",
          "'invalid token'", "an empty inbox", "garbled characters"]
ORDER_IDS = ["#48213", "#77102", "#10398", "#66541", "#23007", "#91844", "#55210", "#30876"]

CODE_THINGS = ["the cache", "this buffer", "the retry loop", "the parser", "the connection pool",
               "the tokenizer", "this lookup table", "the scheduler", "the config loader", "this index",
               "the worker thread", "the migration", "the rate limiter", "this callback", "the serializer"]
CODE_REASONS = ["the upstream API sometimes returns null", "profiling showed 40% of time here",
                "Windows paths use backslashes", "the lock must be held by the caller",
                "older clients still send the v1 format", "floating point sums are not associative",
                "the file may be truncated mid-write", "timestamps arrive in local time",
                "this runs on the hot path", "the list can be empty on first launch",
                "some servers ignore the keep-alive header", "the tests rely on deterministic order"]

INGREDIENTS = ["onions", "garlic", "butter", "olive oil", "flour", "brown sugar", "chickpeas",
               "cherry tomatoes", "spinach", "lemon juice", "coconut milk", "rice", "eggs", "ginger",
               "ground cumin", "smoked paprika", "mushrooms", "feta", "black beans", "honey", "oats"]
DISHES = ["banana bread", "chickpea curry", "lemon roast chicken", "vegetable soup", "pancakes",
          "mushroom risotto", "black bean tacos", "shakshuka", "oatmeal cookies", "fried rice",
          "tomato pasta", "granola", "lentil stew", "apple crumble"]
COOK_VERBS = ["Chop", "Dice", "Whisk", "Stir in", "Fold in", "Sauté", "Toast", "Simmer", "Roast", "Mix"]
TEMPS = ["180°C (350°F)", "200°C (400°F)", "160°C (320°F)", "medium heat", "low heat", "high heat"]
MINUTES = ["2", "5", "8", "10", "15", "20", "25", "30", "45", "60"]

PARTIES = ["the Tenant", "the Landlord", "the Supplier", "the Customer", "the Licensee", "the Licensor",
           "the Employer", "the Employee", "the Contractor", "the Company", "either party", "the Buyer"]
LEGAL_OBJECTS = ["the Premises", "the Software", "the Confidential Information", "the Deliverables",
                 "the Goods", "the Services", "the Security Deposit", "any Personal Data", "the Equipment"]
LEGAL_EVENTS = ["a material breach", "insolvency", "a change of control", "force majeure",
                "non-payment of fees", "termination of this Agreement", "expiry of the Term"]
DAYS_N = ["seven (7)", "ten (10)", "fourteen (14)", "thirty (30)", "sixty (60)", "ninety (90)"]

SYMPTOMS = ["a mild headache", "a dry cough", "lower back pain", "itchy eyes", "trouble sleeping",
            "a sore throat", "heartburn after meals", "dizziness when standing up", "a low fever",
            "tingling in my fingers", "a persistent rash", "joint stiffness in the morning", "fatigue"]
MEDS = ["ibuprofen", "paracetamol", "an antihistamine", "a nasal spray", "vitamin D", "antacids",
        "a prescribed inhaler", "melatonin", "a topical cream"]
BODY_ADVICE = ["drink plenty of fluids", "rest for a few days", "avoid heavy lifting",
               "keep a symptom diary", "take it with food", "limit caffeine in the afternoon",
               "apply a cold compress", "elevate the leg", "wear loose clothing"]

CHAT_SHORT = ["ok sounds good", "lol same", "omw, 5 min", "can't tonight sorry", "thanks so much!!",
              "wait what happened", "haha no way", "yep done", "call me when you're free",
              "did you see the game last night", "brb getting coffee", "that's hilarious",
              "miss you guys", "see you tomorrow then", "who's bringing snacks?", "ugh mondays",
              "good morning everyone", "sorry running late", "congrats on the new job!",
              "is the meeting still on?", "lmk if you need anything"]
FRIENDS = ["Sam", "Priya", "Jonas", "Maria", "Kenji", "Aisha", "Tom", "Lucía", "Dev", "Noor", "Ben", "Ola"]
PLACES = ["the park", "that taco place", "the gym", "my parents' house", "the airport", "the beach",
          "the new bar downtown", "the office", "the farmers' market", "the cinema"]


def pick(r, xs):
    return xs[r.randrange(len(xs))]


def pick2(r, xs):
    """Two different items of xs."""
    a = r.randrange(len(xs))
    b = r.randrange(len(xs) - 1)
    return xs[a], xs[b + (b >= a)]


def cap(s):
    return s[:1].upper() + s[1:]


# ---------------------------------------------------------------------------
# sentence templates: each function returns one sentence (or a short text for
# the "short" generators). Long texts chain several sentences of one domain.

def news(r):
    c, o, t, p = pick(r, CITIES), pick(r, ORGS), pick(r, NEWS_TOPICS), pick(r, PEOPLE)
    return pick(r, [
        f"Officials in {c} said on {pick(r, WEEKDAYS)} that {o} would review {t} after weeks of protests.",
        f"{cap(o)} approved a plan worth {pick(r, NUMBERS)} million dollars to address {t}.",
        f"Inflation in {pick(r, COUNTRIES)} rose to {pick(r, PERCENTS)} percent in {pick(r, MONTHS)}, the highest level in two years.",
        f"{cap(p)} warned that {t} could get worse before the end of the year.",
        f"About {pick(r, NUMBERS)} people were evacuated from low-lying areas of {c} as rivers kept rising.",
        f"Shares of {pick(r, COMPANIES)} fell {pick(r, PERCENTS)}% after the company cut its annual forecast.",
        f"Critics argue the proposal does little for families struggling with {t}.",
        f"The decision, announced late on {pick(r, WEEKDAYS)}, surprised many analysts.",
        f"{pick(r, COMPANIES)} said it would hire {pick(r, NUMBERS)} workers at a new site near {c}.",
        f"According to {o}, the changes will take effect in {pick(r, MONTHS)}.",
        f"Voters in {c} will decide on {t} in a referendum next spring.",
        f"Traffic was halted for several hours after a truck overturned on the main highway into {c}.",
    ])


def news_short(r):
    return pick(r, [f"{pick(r, COMPANIES)} shares fall {pick(r, PERCENTS)}%",
                    f"Flooding closes schools in {pick(r, CITIES)}",
                    f"{pick(r, CITIES)} votes on {pick(r, NEWS_TOPICS)}",
                    f"Heatwave expected across {pick(r, COUNTRIES)} this week",
                    f"Central bank holds rates steady"])


def review(r):
    pr, g, b, pa, d = pick(r, PRODUCTS), pick(r, GOOD_ADJ), pick(r, BAD_ADJ), pick(r, PARTS), pick(r, DURATIONS)
    return pick(r, [
        f"I've been using this {pr} for {d} and it is {g}.",
        f"Honestly the {pr} is {b}, and {pa} stopped working after {d}.",
        f"Five stars, {g} and {pick(r, GOOD_ADJ)}, would buy again.",
        f"The {pr} arrived quickly but {pa} was damaged in the box.",
        f"Customer service replaced {pa} without any questions, which I appreciated.",
        f"For the price it's {g}, though {pa} feels a bit {b}.",
        f"My kids love it and use it every day.",
        f"Returned it after {d} because it was {b}.",
        f"Compared to my old one this is much more {pick(r, ['comfortable', 'reliable', 'stylish', 'compact', 'powerful', 'durable'])}.",
        f"Don't believe the photos, the color is darker in person.",
        f"If you need something {g} for daily use, this is it.",
        f"Two stars: {pa} is {b} and the manual is useless.",
    ])


def review_short(r):
    return pick(r, [f"Great {pick(r, PRODUCTS)}, {pick(r, GOOD_ADJ)}.", f"Total waste of money.",
                    f"Works as described.", f"Too {pick(r, BAD_ADJ)} for me.", f"Love it!", f"Not bad for the price."])


def question(r):
    return pick(r, [
        f"How do I {pick(r, TASKS)} in {pick(r, TECH)}?",
        f"What's the fastest way to {pick(r, TASKS)} without losing data?",
        f"{cap(pick(r, GENERAL_Q))}?",
        f"Does anyone know {pick(r, GENERAL_Q)}?",
        f"I tried to {pick(r, TASKS)} using {pick(r, TECH)} but nothing happened, what am I missing?",
        f"Is there a way to {pick(r, TASKS)} automatically every night?",
        "Which is better for a beginner, {} or {}?".format(*pick2(r, TECH)),
        f"Can someone explain {pick(r, GENERAL_Q)} like I'm five?",
        f"I have read the documentation twice and still can't figure out how to {pick(r, TASKS)}.",
    ])


def question_short(r):
    return pick(r, [f"how to {pick(r, TASKS)}?", f"{pick(r, GENERAL_Q)}?", "{} vs {}?".format(*pick2(r, TECH)),
                    f"best {pick(r, PRODUCTS)} under 100 dollars?"])


def ticket(r):
    a, e, o = pick(r, APPS), pick(r, ERRORS), pick(r, ORDER_IDS)
    return pick(r, [
        f"Hi, since the last update {a} shows {e} whenever I try to log in.",
        f"My order {o} was charged twice and I still haven't received a confirmation email.",
        f"I've cleared the cache, reinstalled, and restarted my phone, but {a} still gives {e}.",
        f"This started on {pick(r, WEEKDAYS)} morning and is blocking our whole team.",
        f"Could you please refund order {o}? The item never arrived.",
        f"When I click export in {a}, I get {e} after about thirty seconds.",
        f"We are on the business plan and need this fixed before {pick(r, WEEKDAYS)}.",
        f"Steps to reproduce: open {a}, select any project, then press save.",
        f"Attached is a screenshot of {e}.",
        f"Please escalate, this is the third time I'm reporting it.",
        f"I'd like to cancel my subscription and delete my account.",
        f"Thanks for the quick reply yesterday, but the issue with {a} is back.",
    ])


def ticket_short(r):
    return pick(r, [f"{cap(pick(r, APPS))} not loading", f"Refund for order {pick(r, ORDER_IDS)}",
                    f"Getting {pick(r, ERRORS)} again", "Can't log in", "Account locked, please help"])


def code_comment(r):
    t, why = pick(r, CODE_THINGS), pick(r, CODE_REASONS)
    return pick(r, [
        f"// TODO: invalidate {t} when the user changes settings.",
        f"# Retry up to three times because {why}.",
        f"// NOTE: {t} is not thread-safe; {why}.",
        f"/* We copy {t} here instead of sharing it, since {why}. */",
        f"# FIXME: {t} leaks a file handle if the request is cancelled.",
        f"// Keep this in sync with {t} in the server code.",
        f"# Deprecated: use {t} directly; remove after the next release.",
        f"// Returns nil if {t} has not been initialized yet.",
        f"// HACK: sleep briefly because {why}.",
        f"# Sort by key first so that output is stable, because {why}.",
    ])


def code_short(r):
    return pick(r, ["// TODO: remove", "# noqa: E501", f"// flush {pick(r, CODE_THINGS)}", "# see issue 4821",
                    "// unreachable", f"# init {pick(r, CODE_THINGS)} lazily"])


def recipe(r):
    i1, i2 = pick2(r, INGREDIENTS)
    i3 = pick(r, INGREDIENTS)
    return pick(r, [
        f"Preheat the oven to {pick(r, TEMPS[:3])} and line a tray with baking paper.",
        f"{pick(r, COOK_VERBS)} the {i1} and {i2} over {pick(r, TEMPS[3:])} for {pick(r, MINUTES)} minutes.",
        f"Add the {i3} and season well with salt and pepper.",
        f"This {pick(r, DISHES)} keeps in the fridge for up to three days.",
        f"Let it rest for {pick(r, MINUTES)} minutes before slicing.",
        f"You can swap the {i1} for {i2} if that's what you have.",
        f"Serve warm with a squeeze of lemon and some fresh herbs.",
        f"In a large bowl, combine the {i1}, {i2}, and a pinch of salt.",
        f"Bake until golden, about {pick(r, MINUTES)} minutes, turning the tray halfway through.",
        f"My grandmother made {pick(r, DISHES)} every Sunday, and this is her version.",
    ])


def recipe_short(r):
    return pick(r, [f"Easy {pick(r, DISHES)}", f"{cap(pick(r, DISHES))} for two",
                    f"Vegan {pick(r, DISHES)} recipe", f"Add {pick(r, INGREDIENTS)} to taste."])


def legal(r):
    a, b = pick2(r, PARTIES)
    obj = pick(r, LEGAL_OBJECTS)
    return pick(r, [
        f"{cap(a)} shall not assign or transfer any rights under this Agreement without the prior written consent of {b}.",
        f"Either party may terminate this Agreement upon {pick(r, DAYS_N)} days' written notice in the event of {pick(r, LEGAL_EVENTS)}.",
        f"{cap(a)} shall keep {obj} strictly confidential and use it solely for the purposes of this Agreement.",
        f"Nothing in this clause limits liability for death or personal injury caused by negligence.",
        f"{cap(b)} shall return {obj} within {pick(r, DAYS_N)} days following {pick(r, LEGAL_EVENTS)}.",
        f"This Agreement shall be governed by and construed in accordance with the laws of {pick(r, COUNTRIES)}.",
        f"Any notice under this Agreement must be in writing and delivered by hand or by registered post.",
        f"{cap(a)} warrants that {obj} will conform in all material respects to the specification.",
        f"Fees are payable within {pick(r, DAYS_N)} days of the date of invoice.",
        f"If any provision is held invalid, the remaining provisions shall continue in full force and effect.",
    ])


def legal_short(r):
    return pick(r, ["Governing law.", "Termination for convenience", "Limitation of liability",
                    f"Return of {pick(r, LEGAL_OBJECTS)}", "Entire agreement clause"])


def medical(r):
    s, m, adv = pick(r, SYMPTOMS), pick(r, MEDS), pick(r, BODY_ADVICE)
    return pick(r, [
        f"I've had {s} for {pick(r, DURATIONS)} and it gets worse in the evening.",
        f"Is it okay to take {m} if I'm already on blood pressure medication?",
        f"The doctor suggested I {adv} and come back if it doesn't improve.",
        f"Common causes of {s} include stress, dehydration, and poor sleep.",
        f"Seek urgent care if {s} is accompanied by chest pain or shortness of breath.",
        "My son has {} and {}, should we see a pediatrician?".format(*pick2(r, SYMPTOMS)),
        f"Adults can usually take {m} every six to eight hours, but check the label.",
        f"Since starting {m} I've noticed {s}, is that a known side effect?",
        f"It is generally recommended to {adv} during recovery.",
        f"This information is not a substitute for professional medical advice.",
    ])


def medical_short(r):
    return pick(r, [f"{cap(pick(r, SYMPTOMS))} after running", f"{cap(pick(r, MEDS))} dosage for adults",
                    f"is {pick(r, SYMPTOMS)} serious?", "allergy or cold?"])


def chat(r):
    f, pl = pick(r, FRIENDS), pick(r, PLACES)
    return pick(r, [
        f"hey are we still meeting at {pl} later?",
        f"{f} said they can't make it, so it's just us",
        f"lol I just saw {f} at {pl}",
        f"can you grab milk on your way home",
        f"running like 10 min late, traffic is insane",
        f"did you finish the slides for {pick(r, WEEKDAYS)}?",
        f"omg the dog ate my sandwich again",
        f"let's do {pl} on {pick(r, WEEKDAYS)} instead, {f} is in",
        f"ok I booked the table for 7",
        f"tell {f} happy birthday from me!!",
        f"honestly I'm so tired I might skip {pl} tonight",
        f"send me the photos from {pl} when you get a chance",
    ])


def chat_short(r):
    return pick(r, CHAT_SHORT)


DOMAINS = [
    ("news", news, news_short, " "),
    ("review", review, review_short, " "),
    ("question", question, question_short, " "),
    ("ticket", ticket, ticket_short, " "),
    ("code", code_comment, code_short, "\n"),
    ("recipe", recipe, recipe_short, " "),
    ("legal", legal, legal_short, " "),
    ("medical", medical, medical_short, " "),
    ("chat", chat, chat_short, "\n"),
]

MIN_WORDS, MAX_WORDS = 3, 120


def target_length(r):
    u = r.random()
    if u < 0.25:
        return r.randint(3, 10)
    if u < 0.65:
        return r.randint(11, 30)
    if u < 0.90:
        return r.randint(31, 70)
    return r.randint(71, 120)


def words(s):
    return len(s.split())


def make_text(r):
    _, long_fn, short_fn, sep = pick(r, DOMAINS)
    target = target_length(r)
    if target <= 10:
        text = short_fn(r)
        if words(text) < MIN_WORDS:
            text = text + sep + long_fn(r)
    else:
        parts, n = [], 0
        while n < target:
            s = long_fn(r)
            parts.append(s)
            n += words(s)
        text = sep.join(parts)
    if words(text) > MAX_WORDS:
        # Cut at the word limit, keeping the domain's line structure.
        toks = re.split(r"(\s+)", text)
        out, n = [], 0
        for t in toks:
            if not t.strip():
                out.append(t)
                continue
            if n == MAX_WORDS:
                break
            out.append(t)
            n += 1
        text = "".join(out).rstrip()
        if text[-1] not in ".?!":
            text = text.rstrip(",;:") + "."
    return text


def generate(n, seed):
    r = random.Random(seed)
    seen, out = set(), []
    while len(out) < n:
        t = make_text(r)
        if t in seen:
            continue
        seen.add(t)
        out.append(t)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus-1000.jsonl"))
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20240611)
    a = ap.parse_args()
    texts = generate(a.n, a.seed)
    with open(a.out, "w", encoding="utf-8") as f:
        for t in texts:
            f.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")
    lens = sorted(words(t) for t in texts)
    print(f"wrote {len(texts)} texts to {a.out}; words min {lens[0]} median {lens[len(lens) // 2]} "
          f"max {lens[-1]} mean {sum(lens) / len(lens):.1f}")


if __name__ == "__main__":
    main()
