"""CLIP through the Python ctypes bindings against the torch golden of
Tests/SwiftletParityTests/CLIPParityTests.swift (golden/clip-tiny-random: torch CLIPModel
with RANDOM weights, fixed seed, tools/build_clip.py; the golden holds unnormalised
features, normalised here as the model's pipeline does), the three image forms against
each other, and errors."""
import json

import numpy as np
import pytest
from PIL import Image

import swiftlet
from conftest import REPO, model
from swiftlet import SwiftletError

# CLIPParityTests' contract, per vector.
MIN_COSINE = 0.99999
MAX_ABS_DIFF = 1e-4
GOLDEN = REPO / "golden/clip-tiny-random"


@pytest.fixture(scope="session")
def clip_swl():
    return model("clip-tiny-random")


def normalized(rows):
    rows = rows.astype(np.float64)
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)


def assert_close(got, want, what):
    assert got.shape == want.shape, what
    for i, (g, w) in enumerate(zip(got.astype(np.float64), want)):
        cos = float(g @ w / (np.linalg.norm(g) * np.linalg.norm(w)))
        diff = float(np.abs(g - w).max())
        assert cos >= MIN_COSINE and diff <= MAX_ABS_DIFF, f"{what} #{i}: cosine {cos}, max |diff| {diff}"


def golden_images(ocr_samples):
    rows = json.loads((GOLDEN / "images.json").read_text(encoding="utf-8"))
    return [ocr_samples / r["path"] if r["source"] == "ocr-samples" else REPO / r["path"] for r in rows]


def test_text_vectors_match_torch(clip_swl, corpus):
    want = normalized(np.load(GOLDEN / "text_features.npy"))
    # The golden's texts start with golden/corpus/en.jsonl (make_golden.py).
    texts = corpus[:64]
    with swiftlet.ImageEmbedder(clip_swl, threads=2) as e:
        assert e.dimension == want.shape[1]
        got = e.embed_texts(texts)
        assert got.dtype == np.float32
        assert e.embed_texts([]).shape == (0, e.dimension)
    assert_close(got, want[:len(texts)], "text")


def test_image_vectors_match_torch(clip_swl, ocr_samples):
    paths = golden_images(ocr_samples)
    want = normalized(np.load(GOLDEN / "image_features.npy"))
    assert len(paths) == want.shape[0]
    with swiftlet.ImageEmbedder(clip_swl, threads=2) as e:
        got = np.stack([e.embed_image(str(p)) for p in paths])
    assert_close(got, want, "image")


def test_path_bytes_and_pixels_agree(clip_swl, ocr_samples):
    png = ocr_samples / "ch_doc_server.png"
    with swiftlet.ImageEmbedder(clip_swl, threads=2) as e:
        by_path = e.embed_image(png)
        by_bytes = e.embed_image(png.read_bytes())
        rgba = np.asarray(Image.open(png).convert("RGBA"))
        by_rgba = e.embed_image(rgba)
        by_bgra = e.embed_image(np.ascontiguousarray(rgba[:, :, [2, 1, 0, 3]]), format="bgra")
        canvas = np.zeros((rgba.shape[0], rgba.shape[1] + 5, 4), dtype=np.uint8)
        canvas[:, :rgba.shape[1]] = rgba
        by_view = e.embed_image(canvas[:, :rgba.shape[1]])
    for other in (by_bytes, by_rgba, by_bgra, by_view):
        assert other.tobytes() == by_path.tobytes()


def test_image_embedder_errors(clip_swl, embedder_swl, ocr_samples):
    with pytest.raises(SwiftletError) as err:
        swiftlet.ImageEmbedder(embedder_swl)
    assert err.value.name == "SWIFTLET_ERR_INVALID_MODEL" and "not 'clip'" in err.value.message
    with pytest.raises(SwiftletError) as err:
        swiftlet.Embedder(clip_swl)
    assert err.value.name == "SWIFTLET_ERR_INVALID_MODEL"
    with swiftlet.ImageEmbedder(clip_swl, threads=1) as e:
        with pytest.raises(SwiftletError) as err:
            e.embed_image(b"")
        assert err.value.name == "SWIFTLET_ERR_INVALID_ARGUMENT" and "byte_count is 0" in err.value.message
        with pytest.raises(SwiftletError) as err:
            e.embed_image(b"not an image")
        assert err.value.name == "SWIFTLET_ERR_INVALID_INPUT"
        with pytest.raises(SwiftletError) as err:
            e.embed_image(str(ocr_samples / "no-such-file.png"))
        assert err.value.name == "SWIFTLET_ERR_IO"
        with pytest.raises(SwiftletError) as err:
            e.embed_image(np.zeros((0, 4, 3), dtype=np.uint8))
        assert err.value.name == "SWIFTLET_ERR_INVALID_ARGUMENT"
        with pytest.raises(ValueError):
            e.embed_image(np.zeros((4, 4, 3), dtype=np.float32))
