#!/usr/bin/env python3
"""Embedding (or OCR) backfill on Ray Data with Swiftlet: one model load per actor.

    python examples/ray_backfill.py embed --model models/all-MiniLM-L6-v2.swl \
        --input corpus.jsonl --output vectors/ [--workers 2] [--threads 1] [--batch-size 256]
    python examples/ray_backfill.py ocr --det models/ppocrv5-det.swl --rec models/ppocrv5-rec.swl \
        --input scans/ --output lines/ [--workers 2] [--threads 1]

Input: JSON lines with a "text" field, or parquet with a "text" column (embed); a directory
of PNG/JPEG files (ocr). Output: parquet files in --output. Embed rows keep every input
column and gain "embedding" (fixed_size_list<float32>[dim], which pandas, pyarrow, DuckDB
and Spark read as an array of floats); OCR rows are "path" and "lines" (the JSON the
`swiftlet ocr` CLI prints for one image).

Ray's actor pool gives each of --workers actors --threads CPUs; the actor loads the .swl
once and runs Swiftlet with that many threads, so a node never runs more compute threads
than it has CPUs. On a running cluster pass --address (e.g. "auto" on a cluster node, or
ray://head:10001): every node needs the swiftlet Python package and the model file at the
same path. Without --address a local cluster with --num-cpus CPUs is started.
"""
import argparse
import json
import os
import resource
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.dataset
import ray

import swiftlet


class SwiftletEmbedder:
    """A Ray Data actor: one Embedder for the actor's lifetime, batches of texts in."""

    def __init__(self, model, threads, stats_dir=None):
        self.embedder = swiftlet.Embedder(model, threads=threads)
        self.stats_dir = stats_dir

    def __call__(self, batch: pa.Table) -> pa.Table:
        texts = batch.column("text").to_pylist()
        vectors = np.ascontiguousarray(self.embedder.embed(texts), dtype=np.float32)
        dim = vectors.shape[1] if vectors.ndim == 2 else 0
        column = pa.FixedSizeListArray.from_arrays(pa.array(vectors.reshape(-1)), dim)
        _record_peak_rss(self.stats_dir)
        return batch.append_column("embedding", column)


class SwiftletOCR:
    """A Ray Data actor running the OCR pipeline on encoded images."""

    def __init__(self, det, rec, cls, threads, stats_dir=None):
        self.ocr = swiftlet.OCR(det, rec, cls=cls, threads=threads)
        self.stats_dir = stats_dir

    def __call__(self, batch: pa.Table) -> pa.Table:
        lines = [self.ocr.run_encoded(data).json for data in batch.column("bytes").to_pylist()]
        _record_peak_rss(self.stats_dir)
        return pa.table({"path": batch.column("path"), "lines": pa.array(lines, pa.string())})


def _record_peak_rss(stats_dir):
    """Each actor leaves its peak RSS where the driver can read it (optional)."""
    if stats_dir:
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with open(os.path.join(stats_dir, f"worker-{os.getpid()}.json"), "w") as f:
            json.dump({"pid": os.getpid(), "peak_rss_mib": peak_mib}, f)


# Reading and writing parquet/JSON is light next to the model, and the actors hold every CPU
# they asked for: with CPU-requiring I/O tasks a node whose CPUs all went to actors (as on a
# 2-CPU machine with 2 one-thread actors) would wait forever for a free CPU to read on.
IO_ARGS = {"num_cpus": 0}


def read_texts(path):
    if os.path.isdir(path) or path.endswith(".parquet"):
        return ray.data.read_parquet(path, **IO_ARGS)
    return ray.data.read_json(path, **IO_ARGS)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("task", choices=("embed", "ocr"))
    ap.add_argument("--model", help="embedder .swl (embed)")
    ap.add_argument("--det", help="detector .swl (ocr)")
    ap.add_argument("--rec", help="recognizer .swl (ocr)")
    ap.add_argument("--cls", help="text-line orientation classifier .swl (ocr, optional)")
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True, help="directory for the parquet files")
    ap.add_argument("--workers", type=int, default=2, help="actors (each loads the model once)")
    ap.add_argument("--threads", type=int, default=1, help="CPUs and Swiftlet threads per actor")
    ap.add_argument("--batch-size", type=int, default=256, help="rows per map_batches call")
    ap.add_argument("--address", help="Ray cluster to join; default: start a local one")
    ap.add_argument("--num-cpus", type=int, help="CPUs of the local cluster (default: all)")
    ap.add_argument("--stats-dir", help="actors write their peak RSS here")
    a = ap.parse_args(argv)
    if a.task == "embed" and not a.model:
        ap.error("embed needs --model")
    if a.task == "ocr" and not (a.det and a.rec):
        ap.error("ocr needs --det and --rec")
    for p in filter(None, (a.model, a.det, a.rec, a.cls, a.input)):
        if not os.path.exists(p):
            ap.error(f"{p} does not exist")

    if a.address:
        ray.init(address=a.address)
    else:
        ray.init(num_cpus=a.num_cpus, include_dashboard=False)
    ray.data.DataContext.get_current().enable_progress_bars = sys.stderr.isatty()

    start = time.perf_counter()
    if a.task == "embed":
        ds = read_texts(a.input).map_batches(
            SwiftletEmbedder, fn_constructor_kwargs={"model": os.path.abspath(a.model), "threads": a.threads,
                                                     "stats_dir": a.stats_dir},
            batch_format="pyarrow", batch_size=a.batch_size, compute=ray.data.ActorPoolStrategy(size=a.workers),
            num_cpus=a.threads)
    else:
        ds = ray.data.read_binary_files(a.input, include_paths=True, **IO_ARGS).map_batches(
            SwiftletOCR, fn_constructor_kwargs={"det": os.path.abspath(a.det), "rec": os.path.abspath(a.rec),
                                                "cls": a.cls and os.path.abspath(a.cls), "threads": a.threads,
                                                "stats_dir": a.stats_dir},
            batch_format="pyarrow", batch_size=min(a.batch_size, 8), compute=ray.data.ActorPoolStrategy(size=a.workers),
            num_cpus=a.threads)
    ds.write_parquet(a.output, ray_remote_args=IO_ARGS)
    seconds = time.perf_counter() - start
    rows = pyarrow.dataset.dataset(a.output, format="parquet").count_rows()
    print(json.dumps({"task": a.task, "rows": rows, "seconds": round(seconds, 3),
                      "rows_per_s": round(rows / seconds, 2), "workers": a.workers, "threads": a.threads}))


if __name__ == "__main__":
    main()
