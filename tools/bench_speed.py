#!/usr/bin/env python3
"""The speed table in one run: Swiftlet vs onnxruntime vs sentence-transformers (torch CPU),
OCR vs onnxruntime, the GEMM ceiling, and Swiftlet under several OPENBLAS_CORETYPE settings.

    .venv/bin/python tools/bench_speed.py [--quick] [--threads 1 2] [--rounds 1]
        [--coretype "unset Prescott Haswell SkylakeX"] [--markdown] [--json OUT]

Measures, at each thread count T (default 1 and 2), every engine measurement in its own
process (Swiftlet: `swiftlet bench`/`embed`/`run`; onnxruntime: tools/bench/ort_runner.py,
intra_op=T, ORT_ENABLE_ALL, the model-opset14.onnx export; sentence-transformers:
tools/bench/st_runner.py, torch.set_num_threads(T)):

  1. all-MiniLM-L6-v2 and multilingual-e5-small:
     - batch 1 x 128 and 32 x 128 tokens, median latency of the raw graph on fixed
       synthetic ids (torch: the HF model's forward under inference_mode);
     - tools/bench/corpus-1000.jsonl end to end, texts -> normalized vectors, sentences/s:
       Swiftlet = wall time of the whole `swiftlet embed --jsonl` process (model load and
       JSON output included: stricter than the others, and its first pass is no slower
       than later ones); onnxruntime fed the way fastembed feeds it (ort_runner corpus:
       batches of 256 in input order padded to the longest); `SentenceTransformer.encode
       (texts, batch_size=32)`; the latter two timed after a warmup on 32 texts;
     - a mixed-length set built here from the corpus (seeded: 200 texts, --mixed N, of
       11-1,500 characters, log-uniform lengths, written to a temp file), the same three ways.
  2. PP-OCRv5 det 1x3x640x640, rec 1x3x48x320 and 8x3x48x320 (tools/bench_ocr.py's cases
     and inputs): `swiftlet bench --input` vs onnxruntime on the same tensor.
  3. GEMM ceiling on 4384x384x384, 4384x1536x384, 4384x384x1536: every path of `swiftlet
     bench --gemm` and numpy's float32 matmul (its bundled OpenBLAS, OPENBLAS_NUM_THREADS=T).
  4. Parity beside the timings: max |diff| of Swiftlet's last_hidden_state (`swiftlet run`)
     vs onnxruntime's and torch's on the synthetic batches; of the normalized vectors vs
     onnxruntime's and sentence-transformers' on the corpora; of the OCR outputs vs
     onnxruntime's.
  5. Every Swiftlet measurement (and the GEMM ceiling) once per --coretype setting ("unset"
     removes OPENBLAS_CORETYPE from the environment), side by side in time; onnxruntime and
     torch run once, with the variable removed. The main table uses the first setting; a
     second table shows each setting and the spread max/min.

Bars (PASS/FAIL): Swiftlet's time <= 0.8x onnxruntime's in every cell; corpora <= 0.5x
sentence-transformers' time; Swiftlet's GEMM (the path it dispatches to) >= 80% of the
best OpenBLAS kernel seen (system OpenBLAS via swiftlet under every setting, and numpy's);
coretype spread <= 10% per row. All ratios are time ratios Swiftlet / other (below 1:
Swiftlet faster). The table shows medians over --rounds rounds, each round running every
engine once with a rotating order. Defaults aim at <= 30 minutes on 2 quiet cores (the
wall time per phase is printed at the end); --quick (64 corpus texts, 16 mixed, few runs,
coretypes "unset Prescott") is a smoke test of 5-7 minutes, not a result.
"""
import argparse
import glob
import importlib.metadata
import json
import math
import os
import random
import runpy
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TOOLS = os.path.dirname(os.path.abspath(__file__))
import bench  # noqa: E402  (tools/bench.py, next to this script: subprocess helpers, machine facts, formatting)
from bench import REPO, BENCH_DIR, RunError, die, fmt, interleave_runs, measure  # noqa: E402

EMBEDDERS = [  # (name, .swl, ONNX export, HF / sentence-transformers directory)
    ("all-MiniLM-L6-v2", "models/all-MiniLM-L6-v2.swl", "models/src/all-MiniLM-L6-v2/model-opset14.onnx",
     "models/src/all-MiniLM-L6-v2"),
    ("multilingual-e5-small", "models/multilingual-e5-small.swl",
     "models/src/multilingual-e5-small/model-opset14.onnx", "models/src/multilingual-e5-small"),
]
OCR_PREFIXES = ["ppocrv5"]
GEMM_SHAPES = ["4384x384x384", "4384x1536x384", "4384x384x1536"]
SYNTH_BATCHES = (1, 32)
SEQ = 128
MIXED_SEED = 20240611
BAR_ORT, BAR_ST, BAR_GEMM, BAR_SPREAD = 0.8, 0.5, 0.8, 1.10
RUNNER = os.path.join(BENCH_DIR, "ort_runner.py")
ST_RUNNER = os.path.join(BENCH_DIR, "st_runner.py")
NP_GEMM = os.path.join(BENCH_DIR, "np_gemm.py")
PY = sys.executable


def log(msg):
    print(f"  .. {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# options and inputs

def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 2)[2])
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="thread counts (default: 1 2)")
    ap.add_argument("--rounds", type=int, default=1, help="rounds per cell, engine order rotating (default 1)")
    ap.add_argument("--coretype", default=None,
                    help='OPENBLAS_CORETYPE settings for the Swiftlet runs, "unset" = removed (default: '
                         '"unset Prescott Haswell SkylakeX"; with --quick "unset Prescott")')
    ap.add_argument("--mixed", type=int, default=0, metavar="N",
                    help="texts in the mixed-length set (default 200; --quick 16)")
    ap.add_argument("--quick", action="store_true", help="few runs, corpus subsets: a smoke test of a few minutes")
    ap.add_argument("--markdown", action="store_true", help="print the tables as README-ready Markdown")
    ap.add_argument("--json", metavar="OUT", help="also write all raw numbers to OUT")
    ap.add_argument("--swiftlet", default=os.path.join(REPO, ".build", "release", "swiftlet"))
    ap.add_argument("--corpus", default=os.path.join(BENCH_DIR, "corpus-1000.jsonl"))
    a = ap.parse_args()
    if a.coretype is None:
        a.coretype = "unset Prescott" if a.quick else "unset Prescott Haswell SkylakeX"
    a.coretypes = a.coretype.split()
    if not a.coretypes:
        die("--coretype needs at least one setting")
    if a.rounds < 1 or any(t < 1 for t in a.threads):
        die("--rounds and --threads values must be >= 1")
    return a


def plan(a):
    """Runs and set sizes: the defaults, or the --quick smoke test."""
    if a.quick:
        p = {"runs_b1": 5, "runs_b32": 1, "warmup_b1": 1, "warmup_b32": 1, "corpus_n": 64, "mixed_n": 16,
             "ocr_runs": 3, "ocr_warmup": 1, "gemm_runs": 3}
    else:
        p = {"runs_b1": 20, "runs_b32": 5, "warmup_b1": 3, "warmup_b32": 1, "corpus_n": 0, "mixed_n": 200,
             "ocr_runs": 10, "ocr_warmup": 2, "gemm_runs": 10}
    if a.mixed:
        p["mixed_n"] = max(a.mixed, 2)
    return p


def check_inputs(a):
    """Every binary, model and package the run needs, or a message saying how to get it."""
    if not (os.path.isfile(a.swiftlet) and os.access(a.swiftlet, os.X_OK)):
        die(f"Swiftlet binary {a.swiftlet} not found; build it with: cd {REPO} && swift build -c release")
    for name, swl, onnx, hf in EMBEDDERS:
        for path, what in ((swl, "Swiftlet model"), (onnx, "ONNX model"), (os.path.join(hf, "tokenizer.json"),
                                                                           "tokenizer"),
                           (os.path.join(hf, "modules.json"), "sentence-transformers model")):
            if not os.path.isfile(os.path.join(REPO, path)):
                die(f"{what} {path} ({name}) not found; run tools/setup.sh to fetch and convert the models")
    try:
        import bench_ocr
        site = bench_ocr.onnx_site()
    except ImportError as e:
        die(f"{e.name} is not installed (OCR model package); run tools/setup.sh")
    for name, rel, _ in bench_ocr.model_cases(OCR_PREFIXES):
        for path in (os.path.join(site, rel), os.path.join(REPO, "models", name + ".swl")):
            if not os.path.isfile(path):
                die(f"OCR model {path} not found; run tools/setup.sh")
    if not os.path.isfile(a.corpus):
        die(f"corpus {a.corpus} not found; regenerate it with: python3 tools/bench/make_corpus.py")


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [l for l in f if l.strip()]


def write_jsonl(path, texts):
    with open(path, "w", encoding="utf-8") as f:
        for t in texts:
            f.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")
    return path


def mixed_texts(sentences, n, seed=MIXED_SEED, shortest=11, longest=1500):
    """n texts of shortest..longest characters (log-uniform lengths, both ends included),
    each made of corpus sentences drawn with random.Random(seed) and cut to length."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        target = shortest if i == 0 else longest if i == 1 else \
            round(math.exp(rng.uniform(math.log(shortest), math.log(longest))))
        text = ""
        while len(text) < target:
            text = (text + " " + rng.choice(sentences)).strip()
        out.append(text[:target].rstrip() or text[:target])
    return out


def max_length(hf_dir):
    with open(os.path.join(REPO, hf_dir, "sentence_bert_config.json")) as f:
        return int(json.load(f)["max_seq_length"])


# ---------------------------------------------------------------------------
# environments and machine facts

def coretype_env(ct):
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    if ct != "unset":
        env["OPENBLAS_CORETYPE"] = ct
    return env


def lscpu_model():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        m = re.search(r"^Model name:\s*(.+)$", out, re.M)
        return m.group(1).strip() if m else None
    except OSError:
        return None


def swiftlet_probe(swiftlet, env):
    """cpu / isa / gemm as `swiftlet bench` reports them under env."""
    res, _ = measure([swiftlet, "bench", "--model", os.path.join(REPO, EMBEDDERS[0][1]), "--batch", "1", "--seq",
                      "8", "--threads", "1", "--runs", "1", "--warmup", "1"], env=env)
    gemm = res.get("gemm", "")
    m = re.search(r"OpenBLAS (\w+)", gemm)
    return {"cpu": res.get("cpu"), "isa": res.get("isa"), "gemm": gemm, "openblas_core": m.group(1) if m else "?",
            "openblas_below_cpu": "is below this CPU" in gemm}


def core_name(probe):
    return probe["openblas_core"] + ("*" if probe["openblas_below_cpu"] else "")


def versions():
    out = {}
    for pkg in ("onnxruntime", "torch", "sentence-transformers", "transformers", "tokenizers", "numpy"):
        try:
            out[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            out[pkg] = "missing"
    np_gemm = runpy.run_path(NP_GEMM)  # a script of tools/bench/, loaded for its openblas_info()
    out["numpy_openblas"], out["numpy_openblas_core"], _ = np_gemm["openblas_info"]()
    return out


def print_header(a, facts, probes, vers, p, n_corpus, n_mixed):
    command = shlex.join([os.path.relpath(PY, REPO) if PY.startswith(REPO) else PY,
                          os.path.relpath(os.path.abspath(__file__), REPO)] + sys.argv[1:])
    first = probes[a.coretypes[0]]
    print(f"# Swiftlet speed table{' (--quick: a smoke test, not a result)' if a.quick else ''}")
    print(f"#   command      : {command}")
    print(f"#   date         : {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load average at start "
          f"{facts['loadavg_at_start']}")
    print(f"#   cpu          : {lscpu_model() or facts['cpu']} ({facts['cores']} cores; {facts['cpu_flags']})")
    print(f"#   swiftlet     : commit {facts['swiftlet_commit']}, {facts['swiftlet_binary']}")
    print(f"#   swiftlet cpu : cpu {first['cpu']!r}, isa {first['isa']!r}")
    print(f"#   swiftlet gemm: {first['gemm']}")
    print("#   OpenBLAS core: " + ", ".join(f"OPENBLAS_CORETYPE={ct} -> {core_name(probes[ct])}" for ct in a.coretypes)
          + " (*: below this CPU, so Swiftlet's own tiles do the products OpenBLAS would)")
    print(f"#   versions     : onnxruntime {vers['onnxruntime']}, torch {vers['torch']}, sentence-transformers "
          f"{vers['sentence-transformers']}, transformers {vers['transformers']}, tokenizers {vers['tokenizers']}, "
          f"numpy {vers['numpy']} (OpenBLAS {vers['numpy_openblas']}, {vers['numpy_openblas_core']}), "
          f"python {facts['python']}")
    print(f"#   data         : {os.path.relpath(a.corpus, REPO)} ({n_corpus} texts"
          f"{', quick subset' if a.quick else ''}); mixed-length set of {n_mixed} texts, 11-1,500 characters "
          f"(seed {MIXED_SEED})")
    print(f"#   method       : {a.rounds} round(s) per cell, engine order rotating; synthetic batch 1: "
          f"{p['runs_b1']} runs, batch 32: {p['runs_b32']} runs, OCR: {p['ocr_runs']} runs (medians); corpora: "
          f"1 timed pass; GEMM: best of {p['gemm_runs']}", flush=True)


# ---------------------------------------------------------------------------
# one measurement each (fn() -> (result with "median_ms", peak RSS KiB or None))

def sw_synth(a, swl, batch, t, runs, warmup, env):
    return lambda: measure([a.swiftlet, "bench", "--model", swl, "--batch", str(batch), "--seq", str(SEQ),
                            "--threads", str(t), "--runs", str(runs), "--warmup", str(warmup)], env=env)


def ort_synth(onnx, batch, t, runs, warmup, env):
    return lambda: measure([PY, RUNNER, "synth", "--onnx", onnx, "--batch", str(batch), "--seq", str(SEQ),
                            "--threads", str(t), "--runs", str(runs), "--warmup", str(warmup)], env=env)


def st_synth(hf, batch, t, runs, warmup, env, save=""):
    return lambda: measure([PY, ST_RUNNER, "synth", "--hf-dir", hf, "--batch", str(batch), "--seq", str(SEQ),
                            "--threads", str(t), "--runs", str(runs), "--warmup", str(warmup), "--save", save],
                           env=env)


def sw_corpus(a, swl, jsonl, t, env, out_path):
    """Wall time of the whole `swiftlet embed --jsonl` process; vectors saved as .npy."""
    def run():
        import numpy as np
        t0 = time.perf_counter()
        p = subprocess.run([a.swiftlet, "embed", "--model", swl, "--threads", str(t), "--batch", "32",
                            "--jsonl", jsonl], capture_output=True, text=True, env=env)
        ms = (time.perf_counter() - t0) * 1000
        if p.returncode != 0:
            raise RunError(f"swiftlet embed failed: {p.stderr.strip()}")
        vectors = [json.loads(l)["embedding"] for l in p.stdout.splitlines() if l.startswith("{")]
        np.save(out_path, np.array(vectors, dtype=np.float32))
        return {"median_ms": ms, "min_ms": ms, "items": len(vectors)}, None
    return run


def ort_corpus(onnx, hf, jsonl, t, env, save):
    return lambda: measure([PY, RUNNER, "corpus", "--onnx", onnx, "--tokenizer", os.path.join(hf, "tokenizer.json"),
                            "--jsonl", jsonl, "--batch", "256", "--threads", str(t), "--runs", "1", "--warmup", "1",
                            "--warmup-limit", "32", "--max-length", str(max_length(hf)), "--save", save], env=env)


def st_corpus(hf, jsonl, t, env, save):
    return lambda: measure([PY, ST_RUNNER, "corpus", "--hf-dir", hf, "--jsonl", jsonl, "--batch", "32",
                            "--threads", str(t), "--runs", "1", "--warmup", "1", "--warmup-limit", "32",
                            "--save", save], env=env)


def sw_tensor(a, swl, x_file, t, runs, warmup, env):
    import bench_ocr

    def run():
        try:
            return bench_ocr.swiftlet_bench(a.swiftlet, swl, x_file, t, runs, warmup, env=env), None
        except subprocess.CalledProcessError as e:
            raise RunError(f"exit {e.returncode}: {shlex.join(e.cmd)}\n{(e.stderr or '').strip()}")
    return run


def ort_tensor(onnx, feeds, t, runs, warmup, env, save_dir=""):
    cmd = [PY, RUNNER, "tensor", "--onnx", onnx, "--threads", str(t), "--runs", str(runs), "--warmup", str(warmup)]
    for name, path in feeds.items():
        cmd += ["--input", f"{name}={path}"]
    return lambda: measure(cmd + (["--save-dir", save_dir] if save_dir else []), env=env)


def json_lines(cmd, env):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise RunError(f"exit {p.returncode}: {shlex.join(cmd)}\n{p.stderr.strip()}")
    return [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]


# ---------------------------------------------------------------------------
# cells: one table row, every engine interleaved

def run_cell(cell, engines, rounds):
    """Fill cell["ms"][engine] with the median over rounds of each engine's median_ms."""
    t0 = time.perf_counter()
    got = interleave_runs(engines, rounds, lambda r, key, res: log(
        f"{cell['label']} T={cell['threads']} round {r + 1}/{rounds} {key}: {res['median_ms']:.1f} ms"))
    cell["ms"] = {key: statistics.median(res["median_ms"] for res, _ in runs) for key, runs in got.items()}
    cell["rounds_ms"] = {key: [res["median_ms"] for res, _ in runs] for key, runs in got.items()}
    cell["reported"] = {key: {k: v for k, v in runs[-1][0].items() if k in ("cpu", "isa", "gemm")}
                        for key, runs in got.items() if key.startswith("swiftlet")}
    cell["wall_s"] = time.perf_counter() - t0
    return cell


def sw_key(ct):
    return f"swiftlet@{ct}"


def max_abs_diff(x, y):
    import numpy as np
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.shape != y.shape:
        raise RunError(f"parity: shapes differ, {x.shape} vs {y.shape}")
    return float(np.abs(x - y).max())


def compare_dirs(sw_dir, ref_dir):
    """max |diff| over the outputs both directories hold (matched by file name, or the single one)."""
    import numpy as np
    sw = {os.path.basename(p): p for p in glob.glob(os.path.join(sw_dir, "*.npy"))}
    ref = {os.path.basename(p): p for p in glob.glob(os.path.join(ref_dir, "*.npy"))}
    pairs = [(sw[n], ref[n]) for n in ref if n in sw]
    if not pairs and len(sw) == 1 and len(ref) == 1:
        pairs = [(next(iter(sw.values())), next(iter(ref.values())))]
    if not pairs:
        raise RunError(f"parity: no common outputs in {sw_dir} ({sorted(sw)}) and {ref_dir} ({sorted(ref)})")
    return max(max_abs_diff(np.load(s), np.load(r)) for s, r in pairs)


def swiftlet_run(a, swl, feeds, out_dir, env):
    cmd = [a.swiftlet, "run", "--model", swl, "--threads", "1", "--output-dir", out_dir]
    for name, path in feeds.items():
        cmd += ["--input", f"{name}={path}"]
    json_lines(cmd, env)


def synth_feeds(tmp, batch):
    """The ids of `swiftlet bench --batch B --seq 128` as .npy files, for `run` and ort_runner tensor."""
    import numpy as np
    from ort_runner import synth_ids
    ids = synth_ids(batch, SEQ)
    feeds = {}
    for name, value in (("input_ids", ids), ("attention_mask", np.ones_like(ids)),
                        ("token_type_ids", np.zeros_like(ids))):
        feeds[name] = os.path.join(tmp, f"{name}-{batch}.npy")
        np.save(feeds[name], value)
    return feeds


def embedder_cells(a, p, tmp, model, sets, base_env):
    """Synthetic batches, corpus and mixed set of one embedder at every thread count."""
    import numpy as np
    name, swl, onnx, hf = model[0], *(os.path.join(REPO, x) for x in model[1:])
    cells = []
    for b in SYNTH_BATCHES:  # parity first: same ids through Swiftlet (`run`), onnxruntime and torch
        feeds = synth_feeds(tmp, b)
        d_sw, d_ort = (os.path.join(tmp, f"{name}-b{b}-{k}") for k in ("sw", "ort"))
        swiftlet_run(a, swl, feeds, d_sw, coretype_env(a.coretypes[0]))
        ort_tensor(onnx, feeds, 1, 1, 0, base_env, d_ort)()
        parity = {"ort": compare_dirs(d_sw, d_ort)}
        runs, warmup = (p["runs_b1"], p["warmup_b1"]) if b == 1 else (p["runs_b32"], p["warmup_b32"])
        for t in a.threads:
            cell = {"group": name, "label": f"batch {b} × {SEQ} tokens, latency", "kind": "latency",
                    "threads": t, "items": b, "parity": dict(parity)}
            st_save = os.path.join(tmp, f"{name}-b{b}-st.npy")
            engines = [(sw_key(ct), sw_synth(a, swl, b, t, runs, warmup, coretype_env(ct))) for ct in a.coretypes]
            engines += [("ort", ort_synth(onnx, b, t, runs, warmup, base_env)),
                        ("st", st_synth(hf, b, t, runs, warmup, base_env, st_save))]
            cells.append(run_cell(cell, engines, a.rounds))
            cell["parity"]["st"] = compare_dirs(d_sw, _as_dir(st_save, tmp))
    for set_name, (jsonl, n) in sets.items():
        for t in a.threads:
            cell = {"group": name, "label": f"{set_name} ({n} texts), sentences/s", "kind": "corpus",
                    "threads": t, "items": n}
            saves = {k: os.path.join(tmp, f"{name}-{set_name[:6]}-{t}-{k}.npy") for k in ("ort", "st")}
            engines = [(sw_key(ct), sw_corpus(a, swl, jsonl, t, coretype_env(ct),
                                              os.path.join(tmp, f"{name}-{set_name[:6]}-{t}-sw-{ct}.npy")))
                       for ct in a.coretypes]
            engines += [("ort", ort_corpus(onnx, hf, jsonl, t, base_env, saves["ort"])),
                        ("st", st_corpus(hf, jsonl, t, base_env, saves["st"]))]
            run_cell(cell, engines, a.rounds)
            sw = np.load(os.path.join(tmp, f"{name}-{set_name[:6]}-{t}-sw-{a.coretypes[0]}.npy"))
            cell["parity"] = {k: max_abs_diff(sw, np.load(v)) for k, v in saves.items()}
            cells.append(cell)
    return cells


def _as_dir(npy_path, tmp):
    """A directory holding npy_path as its only output (compare_dirs matches single outputs)."""
    d = tempfile.mkdtemp(dir=tmp)
    shutil.copy(npy_path, os.path.join(d, "last_hidden_state.npy"))
    return d


def ocr_cells(a, p, tmp, base_env):
    import numpy as np
    import bench_ocr
    site = bench_ocr.onnx_site()
    rng = np.random.default_rng(0)  # the inputs of tools/bench_ocr.py --models ppocrv5
    cells = []
    for i, (name, rel, shape) in enumerate(bench_ocr.model_cases(OCR_PREFIXES)):
        x_file = os.path.join(tmp, f"ocr-{i}.npy")
        np.save(x_file, bench_ocr.case_input(rng, shape))
        swl, onnx = os.path.join(REPO, "models", name + ".swl"), os.path.join(site, rel)
        feeds = {bench_ocr.INPUT: x_file}
        d_sw, d_ort = os.path.join(tmp, f"ocr-{i}-sw"), os.path.join(tmp, f"ocr-{i}-ort")
        swiftlet_run(a, swl, feeds, d_sw, coretype_env(a.coretypes[0]))
        ort_tensor(onnx, feeds, 1, 1, 0, base_env, d_ort)()
        parity = {"ort": compare_dirs(d_sw, d_ort)}
        for t in a.threads:
            cell = {"group": "PP-OCRv5", "label": f"{name.split('-')[1]} {'×'.join(map(str, shape))}, latency",
                    "kind": "latency", "threads": t, "items": shape[0], "parity": dict(parity)}
            engines = [(sw_key(ct), sw_tensor(a, swl, x_file, t, p["ocr_runs"], p["ocr_warmup"], coretype_env(ct)))
                       for ct in a.coretypes]
            engines.append(("ort", ort_tensor(onnx, feeds, t, p["ocr_runs"], p["ocr_warmup"], base_env)))
            cells.append(run_cell(cell, engines, a.rounds))
    return cells


def gemm_rows(a, p):
    """Per shape and T: GFLOP/s of every Swiftlet path and OpenBLAS kernel under every setting."""
    rows = []
    for t in a.threads:
        for ct in a.coretypes:
            env = coretype_env(ct)
            np_env = {**env, "OPENBLAS_NUM_THREADS": str(t), "OMP_NUM_THREADS": str(t)}
            log(f"GEMM T={t} OPENBLAS_CORETYPE={ct}")
            found = [r for s in GEMM_SHAPES for r in json_lines(
                [a.swiftlet, "bench", "--gemm", s, "--threads", str(t), "--runs", str(p["gemm_runs"])], env)]
            found += json_lines([PY, NP_GEMM, "--gemm", *GEMM_SHAPES, "--runs", str(p["gemm_runs"])], np_env)
            for r in found:
                rows.append({"shape": f"{r['m']}x{r['n']}x{r['k']}", "threads": t, "coretype": ct,
                             "path": r["path"], "gflops": r["gflops"], "best_ms": r["best_ms"],
                             "openblas_version": r.get("openblas_version")})
    return rows


def timed_phase(phases, name, fn):
    t0 = time.perf_counter()
    out = fn()
    phases[name] = time.perf_counter() - t0
    log(f"{name}: {phases[name] / 60:.1f} min")
    return out


# ---------------------------------------------------------------------------
# tables

def render(head, rows, markdown, right=None):
    """A text or Markdown table; columns listed in right (default: all but the first) right-aligned."""
    right = set(range(1, len(head))) if right is None else set(right)
    lines = []
    if markdown:
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "|".join("--:" if i in right else "---" for i in range(len(head))) + "|")
        lines += ["| " + " | ".join(r) + " |" for r in rows]
    else:
        w = [max(len(x[i]) for x in rows + [head]) for i in range(len(head))]
        def line(r):
            return "  ".join(x.rjust(w[i]) if i in right else x.ljust(w[i]) for i, x in enumerate(r)).rstrip()
        lines += [line(head), "  ".join("-" * x for x in w)] + [line(r) for r in rows]
    return "\n".join(lines)


def bar(ratio, limit, higher_is_better=False):
    ok = ratio >= limit if higher_is_better else ratio <= limit
    return "PASS" if ok else "FAIL"


def value(cell, key):
    ms = cell["ms"].get(key)
    if ms is None:
        return "—"
    return fmt(cell["items"] * 1000 / ms, "/s") if cell["kind"] == "corpus" else fmt(ms, "ms")


def diff(v):
    return "—" if v is None else f"{v:.1e}"


def main_table(cells, primary, markdown):
    head = ["model", "case", "T", "Swiftlet", "onnxruntime", "ST/torch", "Sw/ORT", f"≤{BAR_ORT}",
            "Sw/ST", f"≤{BAR_ST}", "max|Δ| ORT", "max|Δ| ST"]
    rows = []
    for c in cells:
        sw, o, s = c["ms"][primary], c["ms"].get("ort"), c["ms"].get("st")
        r_ort, r_st = sw / o, (sw / s if s else None)
        c["ratios"] = {"ort": r_ort, "st": r_st}
        c["bars"] = {"ort": bar(r_ort, BAR_ORT)}
        if c["kind"] == "corpus":
            c["bars"]["st"] = bar(r_st, BAR_ST)
        rows.append([c["group"], c["label"], str(c["threads"]), value(c, primary), value(c, "ort"), value(c, "st"),
                     f"{r_ort:.2f}", c["bars"]["ort"], "—" if r_st is None else f"{r_st:.2f}",
                     c["bars"].get("st", "—"), diff(c["parity"].get("ort")), diff(c["parity"].get("st"))])
    return render(head, rows, markdown, right=range(2, len(head)))


def gemm_table(rows, a, reported_gemm, markdown):
    """Per shape and T: Swiftlet's dispatched path vs the best OpenBLAS kernel seen."""
    m = re.search(r"Swiftlet (avx512|avx2)", reported_gemm or "")
    own = f"swiftlet-{m.group(1)}" if m else None
    out, summary = [], []
    for t in a.threads:
        for shape in GEMM_SHAPES:
            rs = [r for r in rows if r["threads"] == t and r["shape"] == shape]
            best = {}
            for r in rs:
                best[r["path"]] = max(best.get(r["path"], 0), r["gflops"])
            sw_paths = {k: statistics.median(r["gflops"] for r in rs if r["path"] == k)
                        for k in best if k.startswith("swiftlet-")}
            sw_path = own if own in sw_paths else max(sw_paths, key=sw_paths.get)
            blas = {k: v for k, v in best.items() if "openblas" in k}
            top = max(blas, key=blas.get)
            ratio = sw_paths[sw_path] / blas[top]
            summary.append({"shape": shape, "threads": t, "swiftlet_path": sw_path, "swiftlet_gflops": sw_paths[sw_path],
                            "best_openblas": top, "best_openblas_gflops": blas[top], "ratio": ratio,
                            "bar": bar(ratio, BAR_GEMM, higher_is_better=True), "all_best_gflops": best})
            out.append([shape, str(t), f"{sw_paths[sw_path]:.0f} ({sw_path})",
                        " ".join(f"{k.removeprefix('swiftlet-')} {v:.0f}" for k, v in sorted(sw_paths.items())),
                        f"{blas[top]:.0f} ({top})",
                        " ".join(f"{k.replace('openblas-', '')} {v:.0f}" for k, v in sorted(blas.items())),
                        f"{ratio:.2f}", summary[-1]["bar"]])
    head = ["M×N×K", "T", "Swiftlet GFLOP/s", "Swiftlet paths", "best OpenBLAS", "all OpenBLAS kernels (numpy-…: numpy's)",
            "Sw/best", f"≥{BAR_GEMM}"]
    return render(head, out, markdown, right=[1, 2, 6]), summary


def coretype_table(cells, gemm_summary, gemm_rows_, a, probes, markdown):
    head = ["model", "case", "T"] + [f"{ct} ({core_name(probes[ct])})" for ct in a.coretypes] + \
        ["max/min", f"≤{BAR_SPREAD:.2f}"]
    rows, spreads = [], []
    for c in cells:
        vals = [c["ms"][sw_key(ct)] for ct in a.coretypes]
        spread = max(vals) / min(vals)
        c["coretype_spread"] = spread
        spreads.append(spread)
        rows.append([c["group"], c["label"], str(c["threads"])] + [value(c, sw_key(ct)) for ct in a.coretypes] +
                    [f"{spread:.2f}", bar(spread, BAR_SPREAD)])
    for g in gemm_summary:
        vals = [max(r["gflops"] for r in gemm_rows_ if r["threads"] == g["threads"] and r["shape"] == g["shape"]
                    and r["coretype"] == ct and r["path"] == g["swiftlet_path"]) for ct in a.coretypes]
        spread = max(vals) / min(vals)
        g["coretype_spread"] = spread
        spreads.append(spread)
        rows.append(["GEMM", f"{g['shape']} {g['swiftlet_path']}, GFLOP/s", str(g["threads"])] +
                    [f"{v:.0f}" for v in vals] + [f"{spread:.2f}", bar(spread, BAR_SPREAD)])
    return render(head, rows, markdown, right=range(2, len(head))), spreads


# ---------------------------------------------------------------------------

def main():
    a = parse_args()
    bench.ensure_venv(("numpy", "onnxruntime", "tokenizers", "torch", "sentence_transformers", "threadpoolctl"))
    check_inputs(a)
    p = plan(a)
    base_env = coretype_env("unset")
    base_env.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"})
    tmp = tempfile.mkdtemp(prefix="swiftlet-speed-")
    t_start = time.time()
    results = {"quick": a.quick, "plan": p, "threads": a.threads, "coretypes": a.coretypes, "rounds": a.rounds}
    try:
        lines = read_lines(a.corpus)
        sentences = [json.loads(l)["text"] for l in lines]
        corpus_texts = sentences[:p["corpus_n"]] if p["corpus_n"] else sentences
        mixed = mixed_texts(sentences, p["mixed_n"])
        sets = {"corpus-1000.jsonl" if not a.quick else f"corpus-1000.jsonl[:{len(corpus_texts)}]":
                (write_jsonl(os.path.join(tmp, "corpus.jsonl"), corpus_texts), len(corpus_texts)),
                "mixed 11–1,500 chars": (write_jsonl(os.path.join(tmp, "mixed.jsonl"), mixed), len(mixed))}
        bin_mtime = os.stat(a.swiftlet).st_mtime_ns
        facts = bench.machine_facts(a.swiftlet)
        probes = {ct: swiftlet_probe(a.swiftlet, coretype_env(ct)) for ct in a.coretypes}
        vers = versions()
        results.update({"facts": facts, "lscpu_model": lscpu_model(), "swiftlet": probes, "versions": vers,
                        "mixed_lengths": [len(t) for t in mixed]})
        print_header(a, facts, probes, vers, p, len(corpus_texts), len(mixed))

        cells, phases = [], {}
        for model in EMBEDDERS:
            cells += timed_phase(phases, model[0], lambda: embedder_cells(a, p, tmp, model, sets, base_env))
        cells += timed_phase(phases, "PP-OCRv5", lambda: ocr_cells(a, p, tmp, base_env))
        g_rows = timed_phase(phases, "GEMM", lambda: gemm_rows(a, p))
        results["phase_wall_s"] = phases
    except RunError as e:
        die(str(e))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    primary = sw_key(a.coretypes[0])
    print()
    print(f"Swiftlet (OPENBLAS_CORETYPE {a.coretypes[0]}) vs onnxruntime vs sentence-transformers/torch; "
          f"ratios are time ratios (below 1: Swiftlet faster)")
    print(main_table(cells, primary, a.markdown))
    print()
    print("GEMM ceiling, GFLOP/s (best run; Swiftlet: median over the settings of the path it dispatches to; "
          "OpenBLAS: best over the settings)")
    g_text, g_summary = gemm_table(g_rows, a, probes[a.coretypes[0]]["gemm"], a.markdown)
    print(g_text)
    print()
    print("Swiftlet per OPENBLAS_CORETYPE setting (the OpenBLAS core Swiftlet reports in parentheses, *: below "
          "this CPU, Swiftlet's tiles used instead)")
    c_text, spreads = coretype_table(cells, g_summary, g_rows, a, probes, a.markdown)
    print(c_text)
    print()
    print_notes(a, cells, g_summary, spreads, bin_mtime, t_start, phases)
    results.update({"cells": cells, "gemm": g_rows, "gemm_summary": g_summary})
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
        print(f"raw numbers: {a.json}")


def print_notes(a, cells, g_summary, spreads, bin_mtime, t_start, phases):
    fails = sum(v == "FAIL" for c in cells for v in c["bars"].values()) + \
        sum(g["bar"] == "FAIL" for g in g_summary) + sum(s > BAR_SPREAD for s in spreads)
    total = sum(len(c["bars"]) for c in cells) + len(g_summary) + len(spreads)
    print(f"Bars: {total - fails}/{total} PASS. Swiftlet time ≤ {BAR_ORT}× onnxruntime's per cell; corpora ≤ "
          f"{BAR_ST}× sentence-transformers' time; GEMM ≥ {BAR_GEMM:.0%} of the best OpenBLAS kernel; "
          f"coretype spread ≤ {BAR_SPREAD - 1:.0%}.")
    print("Corpora: Swiftlet = the whole `swiftlet embed --jsonl` process (load and output included), length-sorted "
          "batches of 32; onnxruntime as fastembed feeds it (input order, batches of 256 padded to the longest); "
          "sentence-transformers encode(batch_size=32); all texts -> normalized vectors. Synthetic cells: raw graph "
          "(torch: HF forward). max|Δ|: Swiftlet vs the engine on the same input (synthetic: last_hidden_state; "
          "corpora: normalized vectors; OCR: model outputs).")
    if os.stat(a.swiftlet).st_mtime_ns != bin_mtime:
        print(f"WARNING: {a.swiftlet} was rebuilt during the run; Swiftlet numbers mix two builds.")
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print(f"Load average at end: {load} (on {os.cpu_count()} cores); wall time {(time.time() - t_start) / 60:.1f} min ("
          + ", ".join(f"{k} {v / 60:.1f}" for k, v in phases.items()) + ").")
    if a.quick:
        print("--quick: few runs, corpus subsets: a smoke test, not a result.")


if __name__ == "__main__":
    main()
