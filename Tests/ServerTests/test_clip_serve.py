"""CLIP on `swiftlet serve`: `POST /v1/embed` with a PNG/JPEG body gives the image vector, with
JSON texts naming a CLIP model the text-tower vectors, in one space. Compared with the golden
torch features the Swift parity tests use (golden/clip-tiny-random: transformers' CLIPModel with
RANDOMLY INITIALISED weights, fixed seed; tools/build_clip.py), L2-normalised as the model's
config asks: cosine >= 0.99999 and max |diff| <= 1e-4 (as CLIPParityTests.swift)."""
import json

import numpy as np
import pytest

from conftest import MODELS, REPO, SAMPLES, Server, decode_embed, require

CLIP = MODELS / "clip-tiny-random.swl"
GOLDEN = REPO / "golden/clip-tiny-random"
MIN_COSINE, MAX_DIFF = 0.99999, 1e-4


@pytest.fixture(scope="module")
def clip_server():
    require(CLIP)
    s = Server("--model", f"clip={CLIP}", models=("minilm",))
    yield s
    assert s.stop() == 0, s.log()


def normalized(m):
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def compare(got, want, what):
    assert got.shape == want.shape, what
    cos = (got * want).sum(1) / np.linalg.norm(got, axis=1) / np.linalg.norm(want, axis=1)
    d = np.abs(got - want).max(1)
    assert cos.min() >= MIN_COSINE and d.max() <= MAX_DIFF, f"{what}: worst cosine {cos.min()}, max |diff| {d.max()}"
    print(f"{what}: {len(got)} vectors, worst cosine {cos.min():.7f}, max |diff| {d.max():.3g}")


def golden_images(n):
    rows = json.load(open(GOLDEN / "images.json"))[:n]
    paths = [SAMPLES / r["path"] if r["source"] == "ocr-samples" else REPO / r["path"] for r in rows]
    require(*paths)
    return paths


def test_image_body_matches_torch(clip_server):
    paths = golden_images(8)
    want = normalized(np.load(GOLDEN / "image_features.npy")[:len(paths)])
    got = []
    for p in paths:
        kind = "image/png" if p.suffix == ".png" else "image/jpeg"
        r = clip_server.uds.post("/v1/embed?model=clip", content=p.read_bytes(), headers={"content-type": kind})
        v = decode_embed(r)
        assert v.shape[0] == 1
        got.append(v[0])
    compare(np.array(got), want, "/v1/embed image vs torch (random-weight CLIP)")


def test_texts_match_torch_in_the_same_space(clip_server):
    texts = [json.loads(l)["text"] for l in open(REPO / "golden/corpus/en.jsonl")][:16]
    want = normalized(np.load(GOLDEN / "text_features.npy")[:16])
    got = decode_embed(clip_server.uds.post("/v1/embed", json={"model": "clip", "texts": texts}))
    compare(got, want, "/v1/embed clip texts vs torch")


def test_clip_errors(clip_server):
    png = golden_images(1)[0].read_bytes()
    c = clip_server.uds

    def err(r, status, needle):
        assert r.status_code == status, r.text
        assert needle in r.json()["error"]["message"], r.text

    err(c.post("/v1/embed?model=all-MiniLM-L6-v2", content=png, headers={"content-type": "image/png"}), 400,
        "model 'all-MiniLM-L6-v2' is of kind 'embedder', not 'clip'")
    err(c.post("/v1/embed?model=nope", content=png, headers={"content-type": "image/png"}), 404, "'nope'")
    err(c.post("/v1/embed", content=b"\x89PNG\r\n\x1a\nbroken", headers={"content-type": "image/png"}), 422, "does not decode")
    err(c.post("/v1/embed", content=b"", headers={"content-type": "image/jpeg"}), 400, "empty image body")
    err(c.post("/v1/embed", json={"model": "clip", "texts": []}), 400, "`texts` cannot be empty")
    err(c.post("/v1/embed", json={"model": "clip", "texts": ["a"], "mode": "query"}), 400, "no query/passage prefixes")
    # OpenAI's /v1/embeddings stays dense-text only.
    r = c.post("/v1/embeddings", json={"model": "clip", "input": "a"})
    assert r.status_code == 400 and "is of kind 'clip', not 'embedder'" in r.json()["error"]["message"], r.text
    # Unnamed text requests still go to the dense embedder.
    assert decode_embed(c.post("/v1/embed", json={"texts": ["a"]})).shape == (1, 384)
    models = {m["name"]: m for m in c.get("/healthz").json()["models"]}
    assert models["clip"]["kind"] == "clip" and models["clip"]["dim"] > 0
