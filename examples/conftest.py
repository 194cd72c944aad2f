"""Shared by the scale-out recipe tests (examples/test_*_backfill.py, run by
tools/test-scale-out.sh): where the models, samples and corpora are, and the bar."""
import json
import os

import numpy as np
import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = os.environ.get("SWIFTLET_MODELS", os.path.join(REPO, "models"))
SAMPLES = os.environ.get("SWIFTLET_OCR_SAMPLES", os.path.join(REPO, "..", "shared", "ocr-samples"))
CORPORA = [os.path.join(REPO, "golden", "corpus", "en.jsonl"), os.path.join(REPO, "golden", "corpus", "multilingual.jsonl"),
           os.path.join(REPO, "tools", "bench", "corpus-1000.jsonl")]
# Equality with one process is the bar (same engine, same model; Swiftlet's vectors do not
# depend on batch-mates or thread count); this bound on top of the bit-identical count
# names the text if float summation order ever differs between the two.
MAX_ABS_DIFF = 1e-6


def model(name):
    path = os.path.join(MODELS, name)
    if not os.path.exists(path):
        pytest.fail(f"{path} is missing: run tools/setup.sh (SWIFTLET_MODELS={MODELS})")
    return path


def corpus_texts(paths=CORPORA):
    texts = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            # The golden corpora also hold {"repeat", "times"} rows (long-text generators): texts only.
            texts += [o["text"] for o in map(json.loads, filter(str.strip, f)) if "text" in o]
    # A few corpus texts carry lone surrogates (escaped in the JSON): not Unicode text, so no
    # parquet/Arrow string column can hold them; the tokenizer tests feed them to Swiftlet.
    return [t for t in texts if not any(0xD800 <= ord(c) <= 0xDFFF for c in t)]


def write_jsonl(path, texts):
    with open(path, "w", encoding="utf-8") as f:
        for i, t in enumerate(texts):
            f.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")
    return path


def compare_vectors(ids, texts_out, vectors, texts, expected):
    """Every input row exactly once, with its own text, and its vector equal to one
    process's. Returns how many are bit-identical."""
    assert sorted(ids) == list(range(len(texts))), "every input row exactly once"
    assert vectors.shape == expected.shape
    identical = 0
    for row, i in enumerate(ids):
        assert texts_out[row] == texts[i]
        diff = float(np.max(np.abs(vectors[row] - expected[i])))
        assert diff <= MAX_ABS_DIFF, f"text #{i} {texts[i][:40]!r}: max |diff| {diff}"
        identical += bool(np.array_equal(vectors[row], expected[i]))
    return identical
