"""The Python ctypes bindings against the golden reference files and the library's errors."""
import json
import threading

import numpy as np
import pytest

import swiftlet
from swiftlet import SwiftletError

# The project's parity contract (README): per text, cosine >= 0.99999 and
# max |diff| <= 1e-4 against sentence-transformers; raw graph outputs within 1e-4 of
# onnxruntime; token ids identical to HF tokenizers.
MIN_COSINE = 0.99999
MAX_ABS_DIFF = 1e-4


def test_abi_version_matches_header():
    import re
    from conftest import REPO
    header = (REPO / "include/swiftlet.h").read_text()
    major = int(re.search(r"#define SWIFTLET_ABI_VERSION_MAJOR (\d+)", header).group(1))
    minor = int(re.search(r"#define SWIFTLET_ABI_VERSION_MINOR (\d+)", header).group(1))
    assert swiftlet.ABI_VERSION == (major << 16) | minor
    assert swiftlet.abi_version() == swiftlet.ABI_VERSION


def test_embeddings_match_golden(embedder_swl, corpus, golden_dir):
    golden = np.load(golden_dir / "embeddings.npy")
    with swiftlet.Embedder(embedder_swl, threads=2) as e:
        assert e.dimension == golden.shape[1]
        got = e.embed(corpus)
    assert got.shape == golden.shape and got.dtype == np.float32
    a, b = got.astype(np.float64), golden.astype(np.float64)
    cos = (a * b).sum(1) / np.sqrt((a * a).sum(1) * (b * b).sum(1))
    diff = np.abs(a - b).max(1)
    bad = [(i, cos[i], diff[i]) for i in range(len(corpus)) if cos[i] < MIN_COSINE or diff[i] > MAX_ABS_DIFF]
    print(f"python embed: {len(corpus)} texts, worst cosine {cos.min():.13f}, max |diff| {diff.max():.3g}")
    assert not bad, f"texts outside tolerance: {bad[:5]}"


def test_same_call_same_bits_and_threads(embedder_swl, corpus):
    texts = corpus[:24]
    with swiftlet.Embedder(embedder_swl, threads=1, batch_size=4) as e:
        slices = [texts[i:i + 6] for i in range(0, 24, 6)]
        expected = [e.embed(s) for s in slices]
        results, errors = {}, []

        def work(k):
            try:
                for _ in range(3):
                    results.setdefault(k, []).append(e.embed(slices[k]))
            except Exception as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        for k in range(4):
            for r in results[k]:
                assert np.array_equal(r, expected[k])


def test_embed_accepts_bytes_and_checks_utf8(embedder_swl):
    with swiftlet.Embedder(embedder_swl) as e:
        assert np.array_equal(e.embed([b"hello world"]), e.embed(["hello world"]))
        assert e.embed([]).shape == (0, e.dimension)
        with pytest.raises(SwiftletError) as err:
            e.embed(["fine", b"bad \xff byte"])
        assert err.value.name == "SWIFTLET_ERR_INVALID_UTF8"
        assert "texts[1] is not valid UTF-8 (byte 4 of 10 is 0xff)" in err.value.message
        with pytest.raises(SwiftletError) as err:
            e.embed(["x"], prefix="query")
        assert err.value.name == "SWIFTLET_ERR_INVALID_INPUT" and "no query prefix" in err.value.message


def test_embedder_errors(embedder_swl, graph_swl, tmp_path):
    with pytest.raises(SwiftletError) as err:
        swiftlet.Embedder(graph_swl)
    assert err.value.name == "SWIFTLET_ERR_INVALID_MODEL" and "not an embedder" in err.value.message
    with pytest.raises(SwiftletError) as err:
        swiftlet.Embedder(tmp_path / "missing.swl")
    assert err.value.name == "SWIFTLET_ERR_IO" and "missing.swl" in err.value.message
    with pytest.raises(SwiftletError) as err:
        swiftlet.Embedder(embedder_swl, threads=-3)
    assert err.value.name == "SWIFTLET_ERR_INVALID_ARGUMENT" and "options.threads is -3" in err.value.message
    e = swiftlet.Embedder(embedder_swl)
    handle = e._h
    e.close()
    # The raw handle after close: the library reports it, it does not crash.
    status = swiftlet._lib.swiftlet_embedder_close(handle)
    assert swiftlet._lib.swiftlet_status_name(status) == b"SWIFTLET_ERR_INVALID_HANDLE"
    assert b"has already been closed" in swiftlet._lib.swiftlet_last_error()


def test_tokenizer_matches_golden(embedder_swl, corpus, golden_dir):
    with open(golden_dir / "tokens.jsonl", encoding="utf-8") as f:
        golden = [json.loads(line)["ids"] for line in f if line.strip()]
    with swiftlet.Tokenizer(embedder_swl) as t:
        for i, text in enumerate(corpus):
            ids, mask = t.encode(text)
            assert ids.tolist() == golden[i], f"text {i}"
            assert mask.tolist() == [1] * len(ids)
        ids, _ = t.encode(corpus[413], max_length=None)
        assert len(ids) == 999
        bare, _ = t.encode(corpus[0], add_special_tokens=False)
        assert bare.tolist() == golden[0][1:-1]


def test_decode_matches_hf_tokenizers(embedder_swl, corpus, golden_dir):
    from conftest import models_dir
    hf_path = models_dir() / "src/all-MiniLM-L6-v2/tokenizer.json"
    if not hf_path.exists():
        pytest.fail(f"{hf_path} is missing: run `bash tools/setup.sh`")
    from tokenizers import Tokenizer as HFTokenizer
    hf = HFTokenizer.from_file(str(hf_path))
    with open(golden_dir / "tokens.jsonl", encoding="utf-8") as f:
        golden = [json.loads(line)["ids"] for line in f if line.strip()]
    mismatches = []
    with swiftlet.Tokenizer(embedder_swl) as t:
        for i, ids in enumerate(golden):
            for skip in (True, False):
                ours, ref = t.decode(ids, skip_special_tokens=skip), hf.decode(ids, skip_special_tokens=skip)
                if ours != ref:
                    mismatches.append((i, skip, ours, ref))
    assert not mismatches, f"{len(mismatches)} decodes differ from HF, first: {mismatches[:3]}"


def test_session_matches_onnxruntime(onnx_swl, golden_dir):
    raw = golden_dir / "raw"
    feeds = {n: np.load(raw / f"{n}.npy") for n in ("input_ids", "attention_mask", "token_type_ids")}
    ref = np.load(raw / "last_hidden_state.npy")
    with swiftlet.Session(onnx_swl, threads=2) as s:
        assert [i[0] for i in s.inputs] == ["input_ids", "attention_mask", "token_type_ids"]
        assert s.inputs[0][1] == np.int64 and s.inputs[0][2] == [None, None]
        assert s.outputs == [("last_hidden_state", np.dtype(np.float32), [None, None, 384])]
        out = s.run(feeds)["last_hidden_state"]
        assert out.shape == ref.shape
        valid = feeds["attention_mask"].astype(bool)
        worst = np.abs(out[valid] - ref[valid]).max()
        print(f"python session: max |diff| {worst:.3g}")
        assert worst <= MAX_ABS_DIFF
        bad = dict(feeds)
        bad["input_ids"] = feeds["input_ids"].astype(np.int32)
        with pytest.raises(SwiftletError) as err:
            s.run(bad)
        assert err.value.name == "SWIFTLET_ERR_INVALID_INPUT" and "must be int64, got int32" in err.value.message


def test_session_graph_and_errors(graph_swl):
    with swiftlet.Session(graph_swl) as s:
        x = np.arange(6, dtype=np.float32).reshape(2, 3)
        bias = s.run({"x": np.zeros((1, 3), np.float32)})["y"][0]
        np.testing.assert_array_equal(s.run({"x": x}, outputs=["y"])["y"], x + bias)
        with pytest.raises(SwiftletError) as err:
            s.run({"x": x}, outputs=["nope"])
        assert "no graph output named 'nope'" in err.value.message
        with pytest.raises(SwiftletError) as err:
            s.run({})
        assert "missing input 'x'" in err.value.message
    with pytest.raises(SwiftletError) as err:
        swiftlet.Tokenizer(graph_swl)
    assert err.value.name == "SWIFTLET_ERR_INVALID_MODEL" and "no tokenizer.json" in err.value.message
