"""`python -m swiftlet embed|tokenize|ocr` against the `swiftlet` CLI: the same bytes on
stdout, the same exit statuses."""
import json
import os
import subprocess
import sys
from pathlib import Path

import swiftlet
from conftest import REPO, model


def py_cli(*args, stdin=None):
    env = dict(os.environ, PYTHONPATH=str(Path(swiftlet.__file__).resolve().parents[1]))
    return subprocess.run([sys.executable, "-m", "swiftlet", *args], env=env, capture_output=True, text=True,
                          input=stdin)


def swift_cli(cli, *args):
    return subprocess.run([cli, *args], check=True, capture_output=True, text=True).stdout


def write_jsonl(path, texts):
    path.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8")
    return str(path)


def test_embed_equals_the_cli(swiftlet_cli, embedder_swl, corpus, tmp_path):
    jsonl = write_jsonl(tmp_path / "texts.jsonl", corpus[:64])
    for extra in ([], ["--prefix", "search_query: "]):
        args = ["embed", "--model", embedder_swl, "--threads", "2", "--batch", "16", *extra, "--jsonl", jsonl,
                "an argument text"]
        got = py_cli(*args)
        assert got.returncode == 0, got.stderr
        want = swift_cli(swiftlet_cli, *args)
        assert got.stdout.count("\n") == 65
        assert got.stdout == want


def test_tokenize_equals_the_cli(swiftlet_cli, corpus, tmp_path):
    rows = [json.loads(line) for line in (REPO / "golden/corpus/multilingual.jsonl").open(encoding="utf-8")
            if line.strip()]
    # Not the long-text recipe row, nor texts with lone surrogates (not Unicode; the CLI rejects them).
    multilingual = [r["text"] for r in rows if "text" in r and not any(0xD800 <= ord(c) < 0xE000 for c in r["text"])]
    assert len(multilingual) > 1000
    args = ["tokenize", "--model", model("all-MiniLM-L6-v2"), "--jsonl", write_jsonl(tmp_path / "en.jsonl", corpus)]
    got = py_cli(*args)
    assert got.returncode == 0, got.stderr
    assert got.stdout.count("\n") == len(corpus)
    assert got.stdout == swift_cli(swiftlet_cli, *args)
    # Unigram (e5): the CLI shows an unknown piece as the text it covers, which the C ABI
    # does not expose (no offsets); the package shows the vocabulary's "<unk>". All else equal.
    args = ["tokenize", "--model", model("multilingual-e5-small"),
            "--jsonl", write_jsonl(tmp_path / "multilingual.jsonl", multilingual)]
    got = py_cli(*args)
    assert got.returncode == 0, got.stderr
    ours = [json.loads(line) for line in got.stdout.split("\n")[:-1]]
    theirs = [json.loads(line) for line in swift_cli(swiftlet_cli, *args).split("\n")[:-1]]
    assert len(ours) == len(theirs) == len(multilingual)
    unknown = 0
    for o, t in zip(ours, theirs):
        assert o["ids"] == t["ids"]
        for i, a, b in zip(o["ids"], o["tokens"], t["tokens"]):
            unknown += i == 3
            assert a == b or (i == 3 and a == "<unk>"), (a, b)
    assert unknown > 0   # the corpus does exercise the difference


def test_ocr_equals_the_cli(swiftlet_cli, ocr_models, ocr_samples):
    det, rec, cls = ocr_models
    images = [str(ocr_samples / "ch_en_num.jpg"), str(ocr_samples / "short.png")]
    for extra in (["--cls", cls], ["--no-cls", "--preset", "paddle"]):
        args = ["ocr", "--det", det, "--rec", rec, *extra, "--threads", "2", *images]
        got = py_cli(*args)
        assert got.returncode == 0, got.stderr
        assert got.stdout == swift_cli(swiftlet_cli, *args)
        assert [json.loads(line)["image"] for line in got.stdout.split("\n")[:-1]] == images


def test_exit_statuses(embedder_swl, tmp_path):
    usage = py_cli("embed", "--batch", "0", "text")
    assert usage.returncode == 64 and "usage:" in usage.stderr and "'0' is not a positive integer" in usage.stderr
    assert py_cli("frobnicate").returncode == 64
    missing = py_cli("embed", "--model", str(tmp_path / "missing.swl"), "text")
    assert missing.returncode == 1
    assert missing.stderr.startswith("swiftlet: error: SWIFTLET_ERR_IO") and "missing.swl" in missing.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n\n[1, 2]\n', encoding="utf-8")
    got = py_cli("embed", "--model", embedder_swl, "--jsonl", str(bad))
    assert got.returncode == 1 and f"swiftlet: error: {bad}:3: not a JSON object" in got.stderr
    stdin = py_cli("tokenize", "--model", embedder_swl, "--jsonl", "-", stdin='{"text": "Hello world"}\n')
    assert stdin.stdout == '{"ids":[101,7592,2088,102],"tokens":["[CLS]","hello","world","[SEP]"]}\n'
