"""Paths for the Python client tests. Models come from tools/setup.sh; a missing one
fails the test with the command to run (it never skips)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))


def models_dir():
    return Path(os.environ.get("SWIFTLET_MODELS", REPO / "models"))


def model(name):
    p = models_dir() / f"{name}.swl"
    if not p.exists():
        pytest.fail(f"model {p} is missing: run `bash tools/setup.sh` (CI runs it through .ci/run)")
    return str(p)


@pytest.fixture(scope="session")
def embedder_swl():
    return model("all-MiniLM-L6-v2")


@pytest.fixture(scope="session")
def onnx_swl():
    return model("all-MiniLM-L6-v2-onnx14")


@pytest.fixture(scope="session")
def graph_swl(tmp_path_factory):
    out = tmp_path_factory.mktemp("fixtures") / "graph.swl"
    subprocess.run([sys.executable, str(REPO / "clients/fixtures/make_graph_swl.py"), str(out)], check=True)
    return str(out)


@pytest.fixture(scope="session")
def corpus():
    with open(REPO / "golden/corpus/en.jsonl", encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


@pytest.fixture(scope="session")
def golden_dir():
    return REPO / "golden/all-MiniLM-L6-v2"
