#!/usr/bin/env python3
"""Swiftlet vs onnxruntime on a BERT-family embedder, side by side on the same inputs.

    .venv/bin/python tools/bench.py [--threads 1 2] [--rounds 3] [--quick] [--markdown] [--json OUT]
    .venv/bin/python tools/bench.py --model models/multilingual-e5-small.swl \
        --onnx models/src/multilingual-e5-small/model-opset14.onnx      (default: all-MiniLM-L6-v2)
    .venv/bin/python tools/bench.py speed|ocr|static|tokenizers|serve|quant|e5|scale|families [ARGS]   (tools/bench_<name>.py, below)

Measures, for each thread count T (Swiftlet --threads T; onnxruntime intra_op=T,
inter_op=1, ORT_ENABLE_ALL, model-opset14.onnx):
  1. batch 1 x 128 tokens, median latency (raw graph, fixed synthetic ids)
  2. batch 32 x 128 tokens, median latency and sequences/s
  3. tools/bench/corpus-1000.jsonl end to end (texts -> normalized vectors, tokenization
     included): Swiftlet's embed pipeline (length-sorted batches of 32) vs onnxruntime fed
     the way fastembed feeds it (HF tokenizers, truncation 256, batches of 256 in input
     order padded to the longest, numpy mean pooling + L2 normalize)
  4. cold start: process start -> first vector on stdout, `swiftlet embed "hello world"`
     vs tools/bench/cold_ort.py (import onnxruntime + tokenizers, load, embed, print)
  5. peak RSS of the corpus-run processes of (3)

Every engine measurement is its own subprocess (tools/bench/ort_runner.py for
onnxruntime), so neither engine's thread pool can disturb the other. Rounds alternate
which engine goes first; each round reports the median of its timed runs, and the
table shows the median over rounds. Ratios are Swiftlet/ORT: for times and memory
below 1 means Swiftlet is better, for throughputs above 1 does.
"""
import argparse
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.path.join(REPO, "tools", "bench")
VENV_PY = os.path.join(REPO, ".venv", "bin", "python")


def die(msg):
    print(f"{os.path.basename(sys.argv[0])}: error: {msg}", file=sys.stderr)
    sys.exit(1)


def ensure_venv(modules=("numpy", "onnxruntime", "tokenizers")):
    """Re-run under the project venv when one of modules is not importable."""
    import importlib
    try:
        for name in modules:
            importlib.import_module(name)
    except ImportError as e:
        if os.path.exists(VENV_PY) and os.path.abspath(sys.executable) != os.path.abspath(VENV_PY) \
                and not os.environ.get("SWIFTLET_BENCH_REEXEC"):
            os.environ["SWIFTLET_BENCH_REEXEC"] = "1"
            os.execv(VENV_PY, [VENV_PY] + sys.argv)
        die(f"{e.name or e} is not importable from {sys.executable}; run tools/setup.sh "
            f"and use {os.path.relpath(VENV_PY)} {os.path.relpath(os.path.abspath(sys.argv[0]))}")


# ---------------------------------------------------------------------------
# subprocess helpers

class RunError(Exception):
    pass


def run_json(cmd, timeout=3600, env=None):
    """Run cmd (environment env, default ours), return (last JSON line of stdout, peak RSS
    in KiB of the process)."""
    rss_file = None
    full = cmd
    if os.path.exists("/usr/bin/time"):
        fd, rss_file = tempfile.mkstemp(prefix="bench-time-")
        os.close(fd)
        full = ["/usr/bin/time", "-v", "-o", rss_file] + cmd
    try:
        p = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
            raise RunError(f"timed out after {timeout}s: {shlex.join(cmd)}")
        if p.returncode != 0:
            raise RunError(f"exit {p.returncode}: {shlex.join(cmd)}\n{err.strip()}")
        rss = None
        if rss_file:
            with open(rss_file) as f:
                m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
                rss = int(m.group(1)) if m else None
    finally:
        if rss_file:
            os.unlink(rss_file)
    lines = [l for l in out.splitlines() if l.startswith("{")]
    if not lines:
        raise RunError(f"no JSON output from: {shlex.join(cmd)}\n{out}\n{err}")
    return json.loads(lines[-1]), rss


def run_rss_fallback(cmd, timeout=3600, env=None):
    """Like run_json but peak RSS from wait4() (used when /usr/bin/time is missing)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise RunError(f"exit {p.returncode}: {shlex.join(cmd)}\n{err.strip()}")
    lines = [l for l in out.splitlines() if l.startswith("{")]
    if not lines:
        raise RunError(f"no JSON output from: {shlex.join(cmd)}\n{out}\n{err}")
    return json.loads(lines[-1]), ru.ru_maxrss  # KiB on Linux


def measure(cmd, env=None):
    return run_json(cmd, env=env) if os.path.exists("/usr/bin/time") else run_rss_fallback(cmd, env=env)


def interleave_runs(engines, rounds, on_result=None):
    """Run each engine's measurement once per round, rotating which goes first.

    engines: list of (key, fn), fn() -> (result dict, peak RSS KiB). Returns {key: [(result,
    rss) per round]}; on_result(round, key, result) is called after each measurement."""
    out = {key: [] for key, _ in engines}
    for r in range(rounds):
        k = r % len(engines)
        for key, fn in engines[k:] + engines[:k]:
            res, rss = fn()
            out[key].append((res, rss))
            if on_result:
                on_result(r, key, res)
    return out


def swiftlet_embed(swiftlet, model, jsonl, threads, env=None):
    """`swiftlet embed --jsonl`: the vectors as a numpy array, one row per text."""
    import numpy as np
    out = subprocess.run([swiftlet, "embed", "--model", model, "--threads", str(threads), "--jsonl", jsonl],
                         capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise RunError(f"swiftlet embed failed: {out.stderr.strip()}")
    return np.array([json.loads(l)["embedding"] for l in out.stdout.splitlines() if l.startswith("{")])


def time_to_first_line(cmd, timeout=120):
    """Wall seconds from spawning cmd to its first stdout line (then waits for exit)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    dt = time.perf_counter() - t0
    rest, err = p.communicate(timeout=timeout)
    if p.returncode != 0 or not line.startswith("{"):
        raise RunError(f"exit {p.returncode}: {shlex.join(cmd)}\n{err.strip()}")
    n = len(json.loads(line)["embedding"])
    if n != 384:
        raise RunError(f"{shlex.join(cmd)} printed a {n}-dim vector, expected 384")
    return dt


# ---------------------------------------------------------------------------
# machine facts

def machine_facts(swiftlet):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    flags = ""
    try:
        with open("/proc/cpuinfo") as f:
            fl = next((l for l in f if l.startswith("flags")), "")
        flags = ",".join(x for x in ("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16") if f" {x}" in fl)
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short=12", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        commit += " (+ uncommitted changes)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown (not a git checkout)"
    import onnxruntime
    import tokenizers
    import numpy
    try:
        with open("/proc/loadavg") as f:
            load = f.read().split()[:3]
    except OSError:
        load = ["?"]
    built = time.strftime("%Y-%m-%d %H:%M", time.localtime(os.path.getmtime(swiftlet)))
    return {
        "cpu": cpu, "cpu_flags": flags, "cores": os.cpu_count(),
        "os": f"{platform.system()} {platform.release()} {platform.machine()}",
        "onnxruntime": onnxruntime.__version__, "tokenizers": tokenizers.__version__,
        "numpy": numpy.__version__, "python": platform.python_version(),
        "swiftlet_commit": commit, "swiftlet_binary": f"{os.path.relpath(swiftlet, REPO)} (built {built})",
        "loadavg_at_start": " ".join(load),
    }


# ---------------------------------------------------------------------------

def fmt(v, unit):
    if v is None:
        return "n/a"
    if unit == "ms":
        return f"{v:.1f} ms" if v < 1000 else f"{v / 1000:.2f} s"
    if unit == "s":
        return f"{v * 1000:.0f} ms" if v < 10 else f"{v:.1f} s"
    if unit == "MiB":
        return f"{v:.0f} MiB"
    if unit == "/s":
        return f"{v:.1f}/s" if v < 100 else f"{v:.0f}/s"
    return f"{v:g}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 2)[2])
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="thread counts (default: 1 2)")
    ap.add_argument("--runs", type=int, default=0,
                    help="timed runs per round for batch 1 (default 20; batch 32 uses runs/4, min 3)")
    ap.add_argument("--rounds", type=int, default=0, help="interleaved rounds per measurement (default 3)")
    ap.add_argument("--cold-runs", type=int, default=0, help="cold-start runs per engine (default 7)")
    ap.add_argument("--quick", action="store_true",
                    help="1 round, fewer runs, first 256 corpus texts only: a smoke test, not a result")
    ap.add_argument("--markdown", action="store_true", help="print the table as README-ready Markdown")
    ap.add_argument("--json", metavar="OUT", help="also write all raw numbers to OUT")
    ap.add_argument("--swiftlet", default=os.path.join(REPO, ".build", "release", "swiftlet"))
    ap.add_argument("--model", default=os.path.join(REPO, "models", "all-MiniLM-L6-v2.swl"))
    ap.add_argument("--onnx", default=os.path.join(REPO, "models", "src", "all-MiniLM-L6-v2", "model-opset14.onnx"))
    ap.add_argument("--corpus", default=os.path.join(BENCH_DIR, "corpus-1000.jsonl"))
    a = ap.parse_args()
    ensure_venv()

    rounds = a.rounds or (1 if a.quick else 3)
    runs1 = a.runs or (8 if a.quick else 20)
    runs32 = max(3, runs1 // 4) if not a.quick else 2
    cold_runs = a.cold_runs or (3 if a.quick else 7)
    if a.quick:
        cold_runs = max(cold_runs, 3)
    elif cold_runs < 5:
        die("--cold-runs must be at least 5 (use --quick for a smoke test)")
    if any(t < 1 for t in a.threads):
        die("--threads values must be >= 1")

    tokenizer = os.path.join(os.path.dirname(a.onnx), "tokenizer.json")
    if not os.path.isfile(a.swiftlet) or not os.access(a.swiftlet, os.X_OK):
        die(f"Swiftlet binary {a.swiftlet} not found; build it with: cd {REPO} && swift build -c release")
    for path, what in ((a.model, "Swiftlet model"), (a.onnx, "ONNX model"), (tokenizer, "tokenizer.json")):
        if not os.path.isfile(path):
            die(f"{what} {path} not found; run tools/setup.sh to fetch and convert the models")
    if not os.path.isfile(a.corpus):
        die(f"corpus {a.corpus} not found; regenerate it with: python3 tools/bench/make_corpus.py")
    runner = os.path.join(BENCH_DIR, "ort_runner.py")
    cold_py = os.path.join(BENCH_DIR, "cold_ort.py")
    py = sys.executable

    tmpdir = tempfile.mkdtemp(prefix="swiftlet-bench-")
    corpus = a.corpus
    with open(corpus, encoding="utf-8") as f:
        lines = [l for l in f if l.strip()]
    if a.quick:
        corpus = os.path.join(tmpdir, "corpus-quick.jsonl")
        lines = lines[:256]
        with open(corpus, "w", encoding="utf-8") as f:
            f.writelines(lines)
    n_texts = len(lines)

    bin_mtime = os.stat(a.swiftlet).st_mtime_ns
    facts = machine_facts(a.swiftlet)
    command = shlex.join([os.path.relpath(py, REPO) if py.startswith(REPO) else py,
                          os.path.relpath(os.path.abspath(__file__), REPO)] + sys.argv[1:])
    print(f"# Swiftlet vs onnxruntime: {os.path.basename(a.model).rsplit('.', 1)[0]}")
    print(f"#   command      : {command}")
    print(f"#   date         : {time.strftime('%Y-%m-%d %H:%M:%S %Z')}")
    print(f"#   cpu          : {facts['cpu']} ({facts['cores']} cores; {facts['cpu_flags']})")
    print(f"#   os           : {facts['os']}, load average at start {facts['loadavg_at_start']}")
    print(f"#   swiftlet     : commit {facts['swiftlet_commit']}, {facts['swiftlet_binary']}")
    print(f"#   onnxruntime  : {facts['onnxruntime']} (tokenizers {facts['tokenizers']}, numpy {facts['numpy']}, "
          f"python {facts['python']})")
    print(f"#   models       : {os.path.relpath(a.model, REPO)} vs {os.path.relpath(a.onnx, REPO)}")
    print(f"#   corpus       : {os.path.relpath(a.corpus, REPO)} ({n_texts} texts{', quick subset' if a.quick else ''})")
    print(f"#   method       : {rounds} interleaved round(s); batch 1: {runs1} runs/round, batch 32: {runs32} "
          f"runs/round, corpus: 1 pass/round after warmup; cold start: {cold_runs} runs; values are medians",
          flush=True)

    results = {"facts": facts, "command": command, "threads": {}, "quick": a.quick,
               "rounds": rounds, "corpus_texts": n_texts}

    def log(msg):
        print(f"  .. {msg}", file=sys.stderr, flush=True)

    def interleave(name, sw_cmd, ort_cmd):
        got = interleave_runs([("swiftlet", lambda: measure(sw_cmd)), ("ort", lambda: measure(ort_cmd))], rounds,
                              lambda r, eng, res: log(f"{name} round {r + 1}/{rounds} {eng}: {res['median_ms']:.1f} ms"))
        sw, sw_rss = [x for x, _ in got["swiftlet"]], [x for _, x in got["swiftlet"]]
        ort, ort_rss = [x for x, _ in got["ort"]], [x for _, x in got["ort"]]
        return {
            "swiftlet_ms": statistics.median(x["median_ms"] for x in sw),
            "ort_ms": statistics.median(x["median_ms"] for x in ort),
            "swiftlet_rounds_ms": [x["median_ms"] for x in sw], "ort_rounds_ms": [x["median_ms"] for x in ort],
            "swiftlet_rss_kib": statistics.median(sw_rss) if None not in sw_rss else None,
            "ort_rss_kib": statistics.median(ort_rss) if None not in ort_rss else None,
        }

    try:
        # Parity: the two corpus pipelines must produce the same vectors, or the timings mean nothing.
        k = min(64, n_texts)
        sub = os.path.join(tmpdir, "parity.jsonl")
        with open(sub, "w", encoding="utf-8") as f:
            f.writelines(lines[:k])
        ref = os.path.join(tmpdir, "parity.npy")
        measure([py, runner, "corpus", "--onnx", a.onnx, "--tokenizer", tokenizer, "--jsonl", sub,
                 "--threads", "1", "--runs", "1", "--warmup", "0", "--save", ref])
        import numpy as np
        sv = swiftlet_embed(a.swiftlet, a.model, sub, 1)
        ov = np.load(ref)
        if sv.shape != ov.shape:
            raise RunError(f"parity: swiftlet gave {sv.shape}, onnxruntime {ov.shape}")
        cos = float((sv * ov).sum(axis=1).min())
        results["parity_min_cosine"] = cos
        print(f"#   parity       : min cosine Swiftlet vs ORT pipeline over the first {k} corpus texts = {cos:.6f}",
              flush=True)
        if cos < 0.999:
            print("bench.py: warning: the two pipelines disagree; timings compare different work", file=sys.stderr)

        for t in a.threads:
            T = str(t)
            res = {}
            log(f"threads={t}: batch 1 x 128")
            res["b1"] = interleave(f"T={t} b1x128",
                                   [a.swiftlet, "bench", "--model", a.model, "--batch", "1", "--seq", "128",
                                    "--threads", T, "--runs", str(runs1), "--warmup", "3"],
                                   [py, runner, "synth", "--onnx", a.onnx, "--batch", "1", "--seq", "128",
                                    "--threads", T, "--runs", str(runs1), "--warmup", "3"])
            log(f"threads={t}: batch 32 x 128")
            res["b32"] = interleave(f"T={t} b32x128",
                                    [a.swiftlet, "bench", "--model", a.model, "--batch", "32", "--seq", "128",
                                     "--threads", T, "--runs", str(runs32), "--warmup", "1"],
                                    [py, runner, "synth", "--onnx", a.onnx, "--batch", "32", "--seq", "128",
                                     "--threads", T, "--runs", str(runs32), "--warmup", "1"])
            log(f"threads={t}: corpus ({n_texts} texts)")
            # One timed pass per round. Swiftlet warms up with a full pass (its minimum warmup);
            # onnxruntime warms up on the first 32 texts (session, arena, thread pool, tokenizer
            # all initialized): a full ORT pass costs minutes at 1 thread and would warm nothing more.
            res["corpus"] = interleave(f"T={t} corpus",
                                       [a.swiftlet, "bench", "--model", a.model, "--jsonl", corpus, "--batch", "32",
                                        "--threads", T, "--runs", "1", "--warmup", "1"],
                                       [py, runner, "corpus", "--onnx", a.onnx, "--tokenizer", tokenizer,
                                        "--jsonl", corpus, "--batch", "256", "--threads", T, "--runs", "1",
                                        "--warmup", "1", "--warmup-limit", "32"])
            log(f"threads={t}: cold start x{cold_runs}")
            sw_cold, ort_cold = [], []
            sw_cmd = [a.swiftlet, "embed", "--model", a.model, "--threads", T, "hello world"]
            ort_cmd = [py, cold_py, a.onnx, tokenizer, T, "hello world"]
            time_to_first_line(sw_cmd)  # page cache warm for both; not counted
            time_to_first_line(ort_cmd)
            for i in range(cold_runs):
                pair = [(sw_cold, sw_cmd), (ort_cold, ort_cmd)]
                for acc, cmd in (pair if i % 2 == 0 else pair[::-1]):
                    acc.append(time_to_first_line(cmd))
            res["cold"] = {"swiftlet_s": statistics.median(sw_cold), "ort_s": statistics.median(ort_cold),
                           "swiftlet_runs_s": sw_cold, "ort_runs_s": ort_cold}
            results["threads"][t] = res
    except RunError as e:
        die(str(e))
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)

    # ------------------------------------------------------------------ table
    rows = []  # (metric, threads, swiftlet, ort, ratio, better)
    for t, r in results["threads"].items():
        b1, b32, c, cold = r["b1"], r["b32"], r["corpus"], r["cold"]
        rows.append(("batch 1 × 128 tokens, latency", t, fmt(b1["swiftlet_ms"], "ms"), fmt(b1["ort_ms"], "ms"),
                     b1["swiftlet_ms"] / b1["ort_ms"], "lower"))
        rows.append(("batch 32 × 128 tokens, latency", t, fmt(b32["swiftlet_ms"], "ms"), fmt(b32["ort_ms"], "ms"),
                     b32["swiftlet_ms"] / b32["ort_ms"], "lower"))
        sw_tp, ort_tp = 32000 / b32["swiftlet_ms"], 32000 / b32["ort_ms"]
        rows.append(("batch 32 × 128 tokens, sequences/s", t, fmt(sw_tp, "/s"), fmt(ort_tp, "/s"),
                     sw_tp / ort_tp, "higher"))
        sw_cs, ort_cs = n_texts * 1000 / c["swiftlet_ms"], n_texts * 1000 / c["ort_ms"]
        r["corpus"]["swiftlet_per_s"], r["corpus"]["ort_per_s"] = sw_cs, ort_cs
        rows.append((f"{n_texts}-text corpus, sentences/s", t, fmt(sw_cs, "/s"), fmt(ort_cs, "/s"),
                     sw_cs / ort_cs, "higher"))
        rows.append(("cold start to first vector", t, fmt(cold["swiftlet_s"], "s"), fmt(cold["ort_s"], "s"),
                     cold["swiftlet_s"] / cold["ort_s"], "lower"))
        if c["swiftlet_rss_kib"] and c["ort_rss_kib"]:
            rows.append(("peak RSS, corpus run", t, fmt(c["swiftlet_rss_kib"] / 1024, "MiB"),
                         fmt(c["ort_rss_kib"] / 1024, "MiB"), c["swiftlet_rss_kib"] / c["ort_rss_kib"], "lower"))
    bin_now = os.stat(a.swiftlet).st_mtime_ns if os.path.exists(a.swiftlet) else None
    if bin_now != bin_mtime:
        results["warning"] = "swiftlet binary was rebuilt during the run; results mix two builds"
        print(f"bench.py: warning: {a.swiftlet} was rebuilt during the run; Swiftlet numbers mix two builds",
              file=sys.stderr)
    results["table"] = [dict(zip(("metric", "threads", "swiftlet", "onnxruntime", "ratio", "better"), row))
                        for row in rows]

    print()
    head = ("Metric", "Threads", "Swiftlet", "onnxruntime", "Swiftlet/ORT")
    cells = [(m, str(t), s, o, f"{ratio:.2f} ({better} is better)") for m, t, s, o, ratio, better in rows]
    if a.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join(["---", "--:", "--:", "--:", "--:"]) + "|")
        for c in cells:
            print("| " + " | ".join(c) + " |")
    else:
        widths = [max(len(x[i]) for x in cells + [head]) for i in range(5)]
        print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(head, widths))))
        print("  ".join("-" * w for w in widths))
        for c in cells:
            print("  ".join(x.ljust(w) if i == 0 else x.rjust(w) for i, (x, w) in enumerate(zip(c, widths))))
    print()
    print(f"Swiftlet/ORT: for latency, cold start and RSS below 1 means Swiftlet is better; for throughput "
          f"above 1 does.")
    print(f"Corpus: Swiftlet sorts by length and batches 32; onnxruntime follows fastembed (256 per batch in input "
          f"order, padded to the longest); both include tokenization, pooling and normalization.")
    print(f"Cold start: process spawn to first vector line on stdout, files in page cache; onnxruntime side is "
          f"tools/bench/cold_ort.py. RSS: whole process (the Python interpreter counts for onnxruntime).")
    if results.get("warning"):
        print(f"WARNING: {results['warning']}.")
    try:
        with open("/proc/loadavg") as f:
            print(f"Load average at end: {' '.join(f.read().split()[:3])} (on {os.cpu_count()} cores).")
    except OSError:
        pass
    if a.quick:
        print("--quick: one round, few runs, first 256 corpus texts: a smoke test, not a result.")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
        print(f"raw numbers: {a.json}")


# The other benchmarks are subcommands of this entry point; no subcommand runs the one above.
SUBCOMMANDS = {"speed": "bench_speed.py", "ocr": "bench_ocr.py", "static": "bench_static.py",
               "tokenizers": "bench_tokenizers.py", "serve": "bench_serve.py", "quant": "bench_quant.py",
               "e5": "bench_e5.py", "scale": "bench_scale.py", "families": "bench_families.py"}


def run_subcommand(argv):
    """Runs tools/bench_<name>.py as its own script would run; False when argv names none."""
    if not argv or argv[0] not in SUBCOMMANDS:
        return False
    import runpy
    path = os.path.join(REPO, "tools", SUBCOMMANDS[argv[0]])
    sys.argv = [path] + argv[1:]
    runpy.run_path(path, run_name="__main__")
    return True


if __name__ == "__main__":
    if not run_subcommand(sys.argv[1:]):
        main()
