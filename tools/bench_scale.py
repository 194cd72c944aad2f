#!/usr/bin/env python3
"""The scale-out recipes (examples/ray_backfill.py, spark_backfill.py) against one process, on
the same texts (`tools/bench.py scale`):

    .venv/bin/python tools/bench.py scale [--copies 2] [--model models/all-MiniLM-L6-v2.swl] [--markdown]

Rows: one Python process with swiftlet.Embedder at 2 threads (load, embed, write parquet);
Ray Data with 1 actor x 1 thread, 2 actors x 1 thread and 1 actor x 2 threads on a local
2-CPU cluster (time from building the dataset to the last parquet file, so actor start-up and
model load are in, cluster start-up is not); Spark local[2] with 2 one-thread Python workers
(session start-up not in). texts/s and the ratio to one process; peak RSS per worker.
The corpus is the golden corpora + tools/bench/corpus-1000.jsonl (2,582 texts) --copies times.
Runs in <repo>/.venv-scale (tools/make-scale-venv.sh), re-executing itself there.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "examples"))


def scale_python():
    return subprocess.run(["bash", os.path.join(REPO, "tools", "make-scale-venv.sh")], check=True,
                          capture_output=True, text=True).stdout.strip()


def run(cmd, env):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=3600)
    if p.returncode != 0:
        sys.exit(f"bench.py scale: error: {' '.join(cmd)} failed ({p.returncode}):\n{p.stderr[-3000:]}")
    return json.loads([l for l in p.stdout.splitlines() if l.startswith("{")][-1])


SINGLE = r"""
import json, resource, sys, time
import numpy as np, pyarrow as pa, pyarrow.json, pyarrow.parquet as pq
import swiftlet
model, src, out = sys.argv[1:4]
t = time.perf_counter()
table = pyarrow.json.read_json(src)
with swiftlet.Embedder(model, threads=2) as e:
    v = e.embed(table.column("text").to_pylist())
pq.write_table(table.append_column("embedding", pa.FixedSizeListArray.from_arrays(pa.array(v.reshape(-1)), v.shape[1])), out)
s = time.perf_counter() - t
print(json.dumps({"rows": table.num_rows, "seconds": s, "rows_per_s": table.num_rows / s,
                  "peak_rss_mib": [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]}))
"""


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default=os.path.join(REPO, "models", "all-MiniLM-L6-v2.swl"))
    ap.add_argument("--copies", type=int, default=2, help="times the corpus is repeated")
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument("--markdown", action="store_true")
    a = ap.parse_args(argv)
    py = scale_python()
    if os.path.abspath(sys.executable) != os.path.abspath(py) and not os.environ.get("SWIFTLET_SCALE_REEXEC"):
        os.environ["SWIFTLET_SCALE_REEXEC"] = "1"
        os.execv(py, [py, os.path.abspath(__file__)] + argv)
    from conftest import corpus_texts, write_jsonl

    if not os.path.exists(a.model):
        sys.exit(f"bench.py scale: error: {a.model} is missing (tools/setup.sh builds it)")
    env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0")
    lib_dir = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=REPO, capture_output=True,
                             text=True).stdout.strip()
    env.setdefault("SWIFTLET_LIB", os.path.join(lib_dir, "libswiftlet.so"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [os.path.join(REPO, "clients", "python"), env.get("PYTHONPATH")]))
    if not os.path.exists(env["SWIFTLET_LIB"]):
        sys.exit(f"bench.py scale: error: {env['SWIFTLET_LIB']} is missing (tools/build-lib.sh builds it)")
    version = subprocess.run([os.path.join(lib_dir, "swiftlet"), "--version"], capture_output=True, text=True).stdout.strip()

    texts = corpus_texts() * a.copies
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        src = write_jsonl(os.path.join(tmp, "texts.jsonl"), texts)
        single = run([sys.executable, "-c", SINGLE, a.model, src, os.path.join(tmp, "single.parquet")], env)
        rows.append(("one process, 2 threads", single, single["peak_rss_mib"]))
        for workers, threads in ((1, 1), (2, 1), (1, 2)):
            stats = tempfile.mkdtemp(dir=tmp)
            r = run([sys.executable, os.path.join(REPO, "examples", "ray_backfill.py"), "embed", "--model", a.model,
                     "--input", src, "--output", os.path.join(tmp, f"ray-{workers}-{threads}"), "--num-cpus", "2",
                     "--workers", str(workers), "--threads", str(threads), "--stats-dir", stats], env)
            rss = [json.load(open(os.path.join(stats, f)))["peak_rss_mib"] for f in os.listdir(stats)]
            rows.append((f"Ray Data, {workers} actor{'s' if workers > 1 else ''} x {threads} thread{'s' if threads > 1 else ''}", r, rss))
        if not a.no_spark:
            r = run([sys.executable, os.path.join(REPO, "examples", "spark_backfill.py"), "--model", a.model, "--input", src,
                     "--output", os.path.join(tmp, "spark"), "--master", "local[2]", "--threads", "1"], env)
            rows.append(("Spark local[2], 2 workers x 1 thread", r, []))

    print(f"# scale-out backfill: {len(texts)} texts ({a.copies} x the golden corpora + corpus-1000), model {a.model}")
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
    print(f"# cpu: {cpu}, {os.cpu_count()} cores")
    print("# " + "; ".join(version.splitlines()))
    print(f"# date {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average at end {os.getloadavg()}")
    base = single["rows_per_s"]
    print("| run | texts/s | × one process | seconds | peak RSS per worker (MiB) |")
    print("|---|--:|--:|--:|---|")
    for name, r, rss in rows:
        print(f"| {name} | {r['rows_per_s']:.1f} | {r['rows_per_s'] / base:.2f} | {r['seconds']:.1f} | "
              f"{', '.join(f'{x:.0f}' for x in rss) or '—'} |")


if __name__ == "__main__":
    main(sys.argv[1:])
