"""Header, table and targets of `tools/bench.py serve`."""

import os
import platform
import subprocess
import time

from ..paths import REPO

# The issue 13 §9 targets.
BAR_PYTHON, BAR_LATENCY, BAR_INPROC = 3.0, 1.2, 0.9


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def cpu_model():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def commit():
    try:
        c = subprocess.run(["git", "-C", REPO, "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True,
                           check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return c + (" (+ uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def header(command, binary, go_version, py_versions, a):
    built = time.strftime("%Y-%m-%d %H:%M", time.localtime(os.path.getmtime(binary)))
    lines = [
        f"# swiftlet serve under load{' (--quick: a smoke test, not a result)' if a.quick else ''}",
        f"#   command  : {command}",
        f"#   date     : {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load average at start {loadavg()} "
        f"({os.cpu_count()} cores)",
        f"#   cpu      : {cpu_model()}; {platform.system()} {platform.release()} {platform.machine()}",
        f"#   swiftlet : {binary} (built {built}); this tool at commit {commit()}",
        f"#   server   : swiftlet serve --socket S --listen 127.0.0.1:0 --model M --threads {a.threads} "
        f"--batch-window W --tenant-inflight {max(a.clients + [32])} --no-ocr (W per row)",
        f"#   model    : {a.model}",
        f"#   clients  : tools/bench/loadgen.go ({go_version}), closed loop, keep-alive, {a.seconds:g} s per cell "
        f"after one single-text warm-up request per client",
        f"#   texts    : {os.path.relpath(a.corpus, REPO)}, in order from the first, wrapping around",
    ]
    if py_versions:
        v = py_versions
        lines.append(f"#   python   : infinity-emb {v['infinity-emb']} (engine torch, batch size {a.infinity_batch}, "
                     f"torch.set_num_threads({a.threads})), torch {v['torch']}, sentence-transformers "
                     f"{v['sentence-transformers']}, transformers {v['transformers']}, fastapi {v['fastapi']}, "
                     f"uvicorn {v['uvicorn']}, python {v['python']}; model {a.hf_dir}")
    return "\n".join(lines)


def inproc_line(ref):
    return (f"# in-process (swiftlet bench, best of before/after the server runs): batch 1 on the median-length text "
            f"({ref['median_text_tokens']:.0f} tokens, repeated) {ref['b1_median_text_ms']:.1f} ms; batch 1 over the stream "
            f"of all {ref['texts']} texts one by one: p50 {ref['b1_stream_p50_ms']:.1f} ms, mean {ref['b1_mean_ms']:.1f} ms; batches of 32 over {ref['texts']} texts (length-sorted, mean "
            f"{ref['mean_tokens']:.0f} tokens) {ref['batched_texts_per_s']:.1f} texts/s, "
            f"{ref['batched_cpu_ms_per_text']:.1f} CPU ms/text")


def annotate(rows, ref):
    """Ratios and PASS/FAIL per row (in place)."""
    python = {(r["per"], r["clients"]): r["texts_per_s"] for r in rows if r["server"] == "infinity"}
    for r in rows:
        r["vs_inproc"] = r["texts_per_s"] / ref["batched_texts_per_s"]
        # The 1-client cell sends the texts in corpus order, so its p50 is compared with the
        # p50 of the same stream run in-process one text at a time (the repeated median text
        # runs with every cache warm: ~25% faster than any stream, server or not).
        r["p50_vs_b1"] = r["p50_ms"] / ref["b1_stream_p50_ms"] if r["per"] == 1 and r["clients"] == 1 else None
        py = python.get((r["per"], r["clients"]))
        r["vs_python"] = r["texts_per_s"] / py if py and r["server"] == "swiftlet" else None
        checks = []
        if r["server"] == "swiftlet":
            if r["per"] == 1 and r["clients"] == 64 and r["vs_python"] is not None:
                checks.append(f"≥{BAR_PYTHON:g}× python {'PASS' if r['vs_python'] >= BAR_PYTHON else 'FAIL'}")
            if r["p50_vs_b1"] is not None:
                checks.append(f"p50 ≤{BAR_LATENCY:g}× b1 {'PASS' if r['p50_vs_b1'] <= BAR_LATENCY else 'FAIL'}")
            if r["clients"] == 64:
                checks.append(f"≥{BAR_INPROC:g}× in-proc {'PASS' if r['vs_inproc'] >= BAR_INPROC else 'FAIL'}")
        if r["errors"]:
            checks.append(f"{r['errors']} errors")
        r["targets"] = "; ".join(checks)


HEAD = ("server", "api", "window", "texts/req", "clients", "requests", "texts/s", "p50 ms", "p99 ms", "srv CPU ms/text",
        "client CPU", "× in-proc", "p50 / b1", "× python", "targets")


def cells(r):
    ratio = lambda v: "" if v is None else f"{v:.2f}"
    return (r["server"], r["api"], "" if r["window"] is None else f"{r['window']:g} ms", str(r["per"]),
            str(r["clients"]), str(r["raw"]["requests"]), f"{r['texts_per_s']:.1f}", f"{r['p50_ms']:.1f}", f"{r['p99_ms']:.1f}",
            f"{r['server_cpu_ms_per_text']:.1f}", f"{r['client_cpu_pct']:.1f}%", ratio(r["vs_inproc"]),
            ratio(r["p50_vs_b1"]), ratio(r["vs_python"]), r["targets"])


def table(rows, markdown):
    body = [cells(r) for r in rows]
    if markdown:
        align = ["---" if i < 3 or i == len(HEAD) - 1 else "--:" for i in range(len(HEAD))]
        out = ["| " + " | ".join(HEAD) + " |", "|" + "|".join(align) + "|"]
        return "\n".join(out + ["| " + " | ".join(c) + " |" for c in body])
    widths = [max(len(x[i]) for x in body + [HEAD]) for i in range(len(HEAD))]
    fmt = lambda c: "  ".join(x.ljust(w) if i < 3 or i == len(c) - 1 else x.rjust(w)
                              for i, (x, w) in enumerate(zip(c, widths))).rstrip()
    return "\n".join([fmt(HEAD), "  ".join("-" * w for w in widths)] + [fmt(c) for c in body])


LEGEND = """\
× in-proc: texts/s over Swiftlet's in-process batched texts/s (batches of 32, length-sorted over all the texts);
p50 / b1: 1-client single-text p50 over the in-process batch-1 p50 on the same stream of texts;
× python: over the Python server's texts/s at the same texts/req and clients (its only API here is OpenAI /v1/embeddings over TCP).
requests: timed requests in the cell (p99 of fewer than 100 is their maximum);
srv CPU ms/text: server process CPU (all threads) during the timed part / texts answered; client CPU: loadgen's share of one core.
Targets (issue 13 §9): ≥3× python at 64 single-text clients; 1-client p50 ≤1.2× in-process batch 1; 64 clients ≥0.9× in-process batched."""
