"""examples/ray_backfill.py on a local Ray cluster (2 CPUs, 2 one-thread actors) against
one process: every vector and every OCR line as one process gives them.

Run by tools/test-scale-out.sh in its venv (.venv-scale); needs SWIFTLET_MODELS,
SWIFTLET_OCR_SAMPLES and an importable `swiftlet` package.
"""
import glob
import json
import os
import subprocess
import sys

import numpy as np
import pyarrow.parquet as pq
import pytest

import swiftlet
from conftest import REPO, SAMPLES, compare_vectors, corpus_texts, model, write_jsonl

SCRIPT = os.path.join(REPO, "examples", "ray_backfill.py")


def run_backfill(args, tmp_path):
    stats = tmp_path / "stats"
    stats.mkdir()
    out = tmp_path / "out"
    cmd = [sys.executable, SCRIPT, *args, "--output", str(out), "--num-cpus", "2", "--stats-dir", str(stats)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, f"{' '.join(cmd)} failed:\n{p.stderr[-4000:]}"
    summary = json.loads([l for l in p.stdout.splitlines() if l.startswith("{")][-1])
    workers = [json.load(open(f)) for f in glob.glob(str(stats / "*.json"))]
    return pq.read_table(str(out)), summary, workers


def test_embed_backfill_equals_one_process(tmp_path):
    texts = corpus_texts()
    assert len(texts) >= 2500
    swl = model("all-MiniLM-L6-v2.swl")
    with swiftlet.Embedder(swl, threads=2) as e:
        expected = e.embed(texts)

    src = write_jsonl(tmp_path / "texts.jsonl", texts)
    table, summary, workers = run_backfill(["embed", "--model", swl, "--input", str(src), "--workers", "2",
                                            "--threads", "1", "--batch-size", "256"], tmp_path)
    assert summary["rows"] == len(texts)
    vectors = np.stack(table.column("embedding").to_numpy(zero_copy_only=False)).astype(np.float32)
    identical = compare_vectors(table.column("id").to_pylist(), table.column("text").to_pylist(), vectors, texts, expected)
    assert len(workers) == 2, f"expected 2 actors to report, got {workers}"
    rss = ", ".join(f"{w['peak_rss_mib']:.0f}" for w in workers)
    print(f"\nray backfill: {len(texts)} texts, {summary['rows_per_s']} texts/s with 2 actors x 1 thread, "
          f"{identical} bit-identical to one process, actors' peak RSS {rss} MiB")


def test_ocr_backfill_equals_one_process(tmp_path):
    images = sorted(p for p in glob.glob(os.path.join(SAMPLES, "*")) if p.lower().endswith((".png", ".jpg", ".jpeg")))
    if not images:
        pytest.fail(f"no sample images in {SAMPLES} (set SWIFTLET_OCR_SAMPLES)")
    det, rec = model("ppocrv5-det.swl"), model("ppocrv5-rec.swl")
    src = tmp_path / "images"
    src.mkdir()
    for p in images:
        os.symlink(p, src / os.path.basename(p))
    with swiftlet.OCR(det, rec, threads=2) as ocr:
        expected = {os.path.basename(p): json.loads(ocr.run_file(p).json)["lines"] for p in images}

    table, summary, _ = run_backfill(["ocr", "--det", det, "--rec", rec, "--input", str(src), "--workers", "2",
                                      "--threads", "1"], tmp_path)
    assert summary["rows"] == len(images)
    got = {os.path.basename(p): json.loads(j)["lines"]
           for p, j in zip(table.column("path").to_pylist(), table.column("lines").to_pylist())}
    assert sorted(got) == sorted(expected)
    for name in expected:
        assert got[name] == expected[name], f"{name}: lines differ from the single-process run"
