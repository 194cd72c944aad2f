"""The cross-encoder through the C ABI against transformers + torch
(golden/cross-encoder-random-minilm; the model's weights are RANDOMLY INITIALISED)."""
import json

import numpy as np
import pytest

import swiftlet
from conftest import REPO, model

MAX_ABS_DIFF = 1e-4


@pytest.fixture(scope="session")
def reranker_swl():
    return model("cross-encoder-random-minilm")


def test_random_weight_cross_encoder_matches_torch(reranker_swl):
    with open(REPO / "golden/cross-encoder-random-minilm/cases.jsonl", encoding="utf-8") as f:
        cases = [json.loads(line) for line in f if line.strip()]
    worst = 0.0
    with swiftlet.Reranker(reranker_swl, threads=2) as r:
        for c in cases:
            got = r.score(c["query"], c["documents"])
            worst = max(worst, float(np.abs(got.astype(np.float64) - np.array(c["scores"])).max()))
            assert [x.index for x in r.rerank(c["query"], c["documents"])] == c["ranking"]
            logits = r.score(c["query"], c["documents"], raw=True)
            assert np.abs(logits.astype(np.float64) - np.array(c["logits"])).max() <= MAX_ABS_DIFF
    print(f"python rerank: {len(cases)} cases, rankings identical, max |diff| {worst:.3g}")
    assert worst <= MAX_ABS_DIFF


def test_reranker_errors(reranker_swl, embedder_swl):
    with swiftlet.Reranker(reranker_swl, threads=1) as r:
        assert r.score("q", []).shape == (0,)
        with pytest.raises(swiftlet.SwiftletError) as err:
            r.score("q", [b"\xff"])
        assert err.value.name == "SWIFTLET_ERR_INVALID_UTF8"
    with pytest.raises(swiftlet.SwiftletError) as err:
        swiftlet.Reranker(embedder_swl)
    assert err.value.name == "SWIFTLET_ERR_INVALID_MODEL" and "not a reranker" in err.value.message
