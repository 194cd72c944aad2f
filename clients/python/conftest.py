"""Paths for the Python client tests. Models come from tools/setup.sh; a missing one
fails the test with the command to run (it never skips).

The tests import `swiftlet` from this directory (the source tree) or, run from a copy
outside the tree by tools/test-wheel.sh, from the installed wheel; $SWIFTLET_REPO then
names the repository whose golden files and fixtures they read."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(os.environ.get("SWIFTLET_REPO") or Path(__file__).resolve().parents[2])
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
    env = dict(os.environ, PYTHONPATH=str(REPO / "tools"))  # the fixture uses the tools' .swl writer
    subprocess.run([sys.executable, str(REPO / "clients/fixtures/make_graph_swl.py"), str(out)], check=True, env=env)
    return str(out)


@pytest.fixture(scope="session")
def corpus():
    with open(REPO / "golden/corpus/en.jsonl", encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


@pytest.fixture(scope="session")
def golden_dir():
    return REPO / "golden/all-MiniLM-L6-v2"


@pytest.fixture(scope="session")
def ocr_models():
    """PP-OCRv4 det/rec + cls v2: the models of the RapidOCR reference runs."""
    return model("ppocrv4-det"), model("ppocrv4-rec"), model("ppocr-cls-v2")


@pytest.fixture(scope="session")
def ocr_samples():
    d = os.environ.get("SWIFTLET_OCR_SAMPLES", "")
    if not d or not Path(d).is_dir():
        pytest.fail(f"SWIFTLET_OCR_SAMPLES={d!r} is not a directory: point it at the ocr-samples images (.ci/run sets it)")
    return Path(d)


@pytest.fixture(scope="session")
def ocr_references():
    refs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((REPO / "golden/ocr/pipeline").glob("*.json"))]
    assert len(refs) >= 10, "expected the recorded RapidOCR runs in golden/ocr/pipeline"
    return refs


@pytest.fixture(scope="session")
def swiftlet_cli():
    p = Path(os.environ.get("SWIFTLET_CLI", REPO / ".build/release/swiftlet"))
    if not p.exists():
        pytest.fail(f"the swiftlet CLI {p} is missing: run `swift build -c release` (or set SWIFTLET_CLI)")
    return str(p)
