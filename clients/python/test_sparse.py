"""The SPLADE sparse embedder through the C ABI: the golden (transformers + torch) index sets
and values (golden/splade-tiny), top-k, and errors."""
import numpy as np
import pytest

import swiftlet
from conftest import REPO, model

MAX_ABS_DIFF = 1e-4


@pytest.fixture(scope="session")
def splade_swl():
    return model("splade-tiny")


def golden_rows():
    d = REPO / "golden/splade-tiny"
    offsets, indices, values = (np.load(d / f) for f in ("offsets.npy", "indices.npy", "values.npy"))
    return [(indices[offsets[i]:offsets[i + 1]], values[offsets[i]:offsets[i + 1]]) for i in range(len(offsets) - 1)]


def test_sparse_vectors_match_torch(splade_swl, corpus):
    golden = golden_rows()
    with swiftlet.SparseEmbedder(splade_swl, threads=2) as e:
        assert e.dimension == 30522
        got = e.embed(corpus)
    assert len(got) == len(golden) == len(corpus)
    worst = 0.0
    for i, (g, (ix, vals)) in enumerate(zip(got, golden)):
        assert g.indices.dtype == np.uint32 and g.values.dtype == np.float32
        assert np.array_equal(g.indices, ix), f"text #{i}: index sets differ"
        worst = max(worst, float(np.abs(g.values.astype(np.float64) - vals).max(initial=0)))
    print(f"python sparse embed: {len(corpus)} texts, index sets identical, max |diff| {worst:.3g}")
    assert worst <= MAX_ABS_DIFF


def test_top_k_and_errors(splade_swl, embedder_swl):
    with swiftlet.SparseEmbedder(splade_swl, threads=1) as e:
        full = e.embed(["Swiftlet runs sparse embeddings on the CPU."])[0]
        top = e.embed(["Swiftlet runs sparse embeddings on the CPU."], top_k=3)[0]
        assert len(top.indices) == 3 and list(top.indices) == sorted(top.indices)
        assert sorted(top.values, reverse=True) == sorted(full.values, reverse=True)[:3]
        assert e.embed([]) == []
        with pytest.raises(ValueError):
            e.embed(["x"], top_k=0)
        with pytest.raises(swiftlet.SwiftletError) as err:
            e.embed([b"\xff"])
        assert err.value.name == "SWIFTLET_ERR_INVALID_UTF8"
    with pytest.raises(swiftlet.SwiftletError) as err:
        swiftlet.SparseEmbedder(embedder_swl)
    assert err.value.name == "SWIFTLET_ERR_INVALID_MODEL" and "not a sparse-embedder" in err.value.message
