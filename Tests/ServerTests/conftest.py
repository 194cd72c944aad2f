"""Fixtures for the `swiftlet serve` tests: the real release binary on a temporary Unix
socket and an ephemeral loopback port, with the converted models of tools/setup.sh.
Missing models or binary fail loudly (never skip)."""
import json
import os
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("SWIFTLET_BIN", REPO / ".build/release/swiftlet"))
MODELS = Path(os.environ.get("SWIFTLET_MODELS", REPO / "models"))
SAMPLES = Path(os.environ.get("SWIFTLET_OCR_SAMPLES", REPO.parent / "shared/ocr-samples"))

MINILM = MODELS / "all-MiniLM-L6-v2.swl"
E5 = MODELS / "multilingual-e5-small.swl"
OCR = {k: MODELS / f"ppocrv5-{k}.swl" for k in ("det", "rec", "cls")}


def require(*paths):
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        pytest.fail(f"missing {missing}: run `bash tools/setup.sh` and `swift build -c release`", pytrace=False)


class Server:
    """One `swiftlet serve` process; `stop()` sends SIGTERM and returns the exit code."""

    def __init__(self, *args, models=("minilm",), socket_path=None, listen=True, env=None):
        require(BIN, MINILM, E5, *OCR.values())
        self.tmp = tempfile.mkdtemp(prefix="swl-serve-")
        self.socket = socket_path or os.path.join(self.tmp, "run", "swiftlet.sock")
        cmd = [str(BIN), "serve", "--socket", self.socket, "--threads", "2"]
        if listen:
            cmd += ["--listen", "127.0.0.1:0"]
        for m in models:
            if m == "minilm":
                cmd += ["--model", f"all-MiniLM-L6-v2={MINILM}"]
            elif m == "e5":
                cmd += ["--model", f"multilingual-e5-small={E5}"]
            elif m == "ocr":
                cmd += ["--ocr", f"det={OCR['det']},rec={OCR['rec']},cls={OCR['cls']}"]
        cmd += list(args)
        self.stderr_path = os.path.join(self.tmp, "stderr.txt")
        self.stderr = open(self.stderr_path, "w")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.stderr, env={**os.environ, **(env or {})})
        self.port = None
        deadline = time.time() + 120
        while time.time() < deadline:
            text = open(self.stderr_path).read()
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", text)
            if m:
                self.port = int(m.group(1))
            if "listening on unix:" in text and (self.port or not listen):
                break
            if self.proc.poll() is not None:
                raise RuntimeError(f"swiftlet serve exited with {self.proc.returncode}:\n{text}")
            time.sleep(0.05)
        else:
            self.proc.kill()
            raise RuntimeError("swiftlet serve did not start within 120 s:\n" + open(self.stderr_path).read())
        self.uds = httpx.Client(transport=httpx.HTTPTransport(uds=self.socket), base_url="http://swiftlet", timeout=120)
        self.base_url = f"http://127.0.0.1:{self.port}" if self.port else None

    def tcp(self):
        return httpx.Client(base_url=self.base_url, timeout=120)

    def log(self):
        return open(self.stderr_path).read()

    def stop(self, timeout=60):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self.uds.close()
            self.stderr.close()


@pytest.fixture(scope="session")
def server():
    s = Server("--max-batch", "128", models=("minilm", "e5", "ocr"))
    yield s
    assert s.stop() == 0, s.log()


def cli_embed(model, texts, prefix=None):
    """Vectors from `swiftlet embed` (the reference the server must reproduce)."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for t in texts:
            f.write(json.dumps({"text": t}) + "\n")
    cmd = [str(BIN), "embed", "--model", str(model), "--jsonl", f.name, "--threads", "2"]
    if prefix:
        cmd += ["--prefix", prefix]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    os.unlink(f.name)
    return np.array([json.loads(l)["embedding"] for l in out.splitlines()], dtype=np.float32)


def decode_embed(resp):
    """The sidecar body: count × dim little-endian float32, checked against its headers."""
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == "application/octet-stream"
    assert resp.headers["x-protocol-version"] == "1"
    n, d = int(resp.headers["x-embedding-count"]), int(resp.headers["x-embedding-dim"])
    assert len(resp.content) == n * d * 4
    return np.frombuffer(resp.content, dtype="<f4").reshape(n, d)


def metric(client, name, **labels):
    """A sample's value from /metrics (0 when absent)."""
    from prometheus_client.parser import text_string_to_metric_families
    text = client.get("/metrics").text
    total = 0.0
    for fam in text_string_to_metric_families(text):
        for s in fam.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                total += s.value
    return total


TEXTS = [
    "The quick brown fox jumps over the lazy dog.",
    "Swiftlet runs sentence embeddings on the CPU.",
    "naïve café – déjà vu",
    "数据库连接失败，请稍后重试。",
    "short",
    "A considerably longer sentence that goes on for a while, so that batches hold texts of rather different lengths and padding matters.",
]
