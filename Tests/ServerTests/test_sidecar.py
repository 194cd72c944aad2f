"""Sidecar protocol v1 over the Unix socket: health, digests, vectors = CLI, modes, OCR."""
import json
import os
import stat
import subprocess

import numpy as np

from conftest import BIN, E5, MINILM, OCR, SAMPLES, TEXTS, cli_embed, decode_embed, require


def test_socket_permissions(server):
    assert stat.S_IMODE(os.stat(os.path.dirname(server.socket)).st_mode) == 0o700
    st = os.stat(server.socket)
    assert stat.S_ISSOCK(st.st_mode)
    assert stat.S_IMODE(st.st_mode) == 0o600


def test_healthz_digest_matches_inspect(server):
    r = server.uds.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["protocol"] == 1 and body["version"]
    by_name = {m["name"]: m for m in body["models"]}
    for name, path in (("all-MiniLM-L6-v2", MINILM), ("multilingual-e5-small", E5)):
        out = subprocess.run([str(BIN), "inspect", str(path)], check=True, capture_output=True, text=True).stdout
        digest = next(l.split()[1] for l in out.splitlines() if l.startswith("sha256:"))
        assert by_name[name]["digest"] == digest
        assert by_name[name]["kind"] == "embedder" and by_name[name]["dim"] == 384
    assert by_name["ocr"]["kind"] == "ocr"


def test_embed_equals_cli(server):
    ref = cli_embed(MINILM, TEXTS)
    got = decode_embed(server.uds.post("/v1/embed", json={"texts": TEXTS}))
    assert got.shape == ref.shape
    assert np.abs(got - ref).max() <= 1e-6


def test_modes_on_e5(server):
    for mode in ("query", "passage"):
        ref = cli_embed(E5, TEXTS, prefix=mode)
        got = decode_embed(server.uds.post("/v1/embed", json={"model": "multilingual-e5-small", "texts": TEXTS, "mode": mode}))
        assert np.abs(got - ref).max() <= 1e-6, mode
    plain = decode_embed(server.uds.post("/v1/embed", json={"model": "multilingual-e5-small", "texts": TEXTS[:1], "mode": "none"}))
    query = decode_embed(server.uds.post("/v1/embed", json={"model": "multilingual-e5-small", "texts": TEXTS[:1], "mode": "query"}))
    assert np.abs(plain - query).max() > 1e-3  # the prefix changes the vector


def test_request_id_echoed_and_generated(server):
    r = server.uds.get("/healthz", headers={"X-Request-Id": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    r = server.uds.get("/healthz")
    assert len(r.headers["x-request-id"]) >= 16


def test_one_request_of_128_equals_128_single_requests(server):
    texts = [f"{TEXTS[i % len(TEXTS)]} #{i} " + "word " * (i % 37) for i in range(128)]
    together = decode_embed(server.uds.post("/v1/embed", json={"texts": texts}))
    alone = np.stack([decode_embed(server.uds.post("/v1/embed", json={"texts": [t]}))[0] for t in texts])
    assert np.abs(together - alone).max() <= 1e-5


def test_extract_equals_cli(server):
    require(SAMPLES)
    images = sorted(p for p in os.listdir(SAMPLES) if p.lower().endswith((".png", ".jpg", ".jpeg")))[:3]
    assert images, f"no images in {SAMPLES}"
    for name in images:
        path = os.path.join(SAMPLES, name)
        cli = json.loads(subprocess.run([str(BIN), "ocr", "--det", str(OCR["det"]), "--rec", str(OCR["rec"]), "--cls", str(OCR["cls"]),
                                         "--threads", "2", path], check=True, capture_output=True, text=True).stdout)
        ctype = "image/png" if name.lower().endswith(".png") else "image/jpeg"
        r = server.uds.post("/v1/extract", content=open(path, "rb").read(), headers={"Content-Type": ctype})
        assert r.status_code == 200, r.text
        got = r.json()
        assert got["width"] > 0 and got["height"] > 0
        assert [l["text"] for l in got["lines"]] == [l["text"] for l in cli["lines"]], name
        assert got["lines"] == cli["lines"], name
