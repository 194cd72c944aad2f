"""examples/spark_backfill.py in Spark local mode (local[2], one-thread Python workers)
against one process: every vector as one process gives it.

Run by tools/test-scale-out.sh in its venv (.venv-scale, with pyspark; Java 17 on the
machine); needs SWIFTLET_MODELS and an importable `swiftlet` package.
"""
import json
import os
import subprocess
import sys

import numpy as np
import pyarrow.parquet as pq

import swiftlet
from conftest import CORPORA, REPO, compare_vectors, corpus_texts, model, write_jsonl

SCRIPT = os.path.join(REPO, "examples", "spark_backfill.py")


def test_spark_backfill_equals_one_process(tmp_path):
    texts = corpus_texts(CORPORA[:1])  # the English golden corpus: Spark's start-up dominates anyway
    swl = model("all-MiniLM-L6-v2.swl")
    with swiftlet.Embedder(swl, threads=2) as e:
        expected = e.embed(texts)

    src = write_jsonl(tmp_path / "texts.jsonl", texts)
    out = tmp_path / "out"
    cmd = [sys.executable, SCRIPT, "--model", swl, "--input", str(src), "--output", str(out),
           "--master", "local[2]", "--threads", "1", "--batch-size", "64"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, f"{' '.join(cmd)} failed:\n{p.stderr[-4000:]}"
    summary = json.loads([l for l in p.stdout.splitlines() if l.startswith("{")][-1])
    assert summary["rows"] == len(texts)
    table = pq.read_table(str(out))
    vectors = np.stack(table.column("embedding").to_pylist()).astype(np.float32)
    identical = compare_vectors(table.column("id").to_pylist(), table.column("text").to_pylist(), vectors, texts, expected)
    print(f"\nspark backfill: {len(texts)} texts, {summary['rows_per_s']} texts/s in local[2], "
          f"{identical} bit-identical to one process")
