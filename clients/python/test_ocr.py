"""OCR through the Python ctypes bindings: RapidOCR's reference runs, the three ways in
(path, encoded bytes, numpy pixels) against each other, the CLI's JSON, and errors."""
import ctypes
import subprocess
import threading

import numpy as np
import pytest
from PIL import Image

import swiftlet
from conftest import model
from swiftlet import SwiftletError

# The project's OCR contract (README): text identical, boxes within 2 px of RapidOCR.
MAX_BOX_DIFF = 2.0


def sample_of(ref):
    # Runs with the second preset are stored as "paddle-<image>".
    name = ref["image"]
    return name[len("paddle-"):] if ref["preset"] == "paddle" and name.startswith("paddle-") else name


def test_ocr_matches_rapidocr_references(ocr_models, ocr_samples, ocr_references):
    det, rec, cls = ocr_models
    engines = {p: swiftlet.OCR(det, rec, cls, threads=2, preset=p) for p in ("rapidocr", "paddle")}
    lines, worst = 0, 0.0
    try:
        for ref in ocr_references:
            path = ocr_samples / sample_of(ref)
            assert path.exists(), f"sample image {path} is missing"
            got = engines[ref["preset"]].run(str(path)).lines
            want = ref["lines"]
            assert [g.text for g in got] == [w["text"] for w in want], f"{ref['image']} ({ref['preset']})"
            for g, w in zip(got, want):
                diff = float(np.abs(np.array(g.box) - np.array(w["box"])).max())
                assert diff <= MAX_BOX_DIFF, f"{ref['image']} '{w['text']}': {g.box} vs {w['box']}"
                worst = max(worst, diff)
                lines += 1
    finally:
        for e in engines.values():
            e.close()
    print(f"python ocr: {len(ocr_references)} reference runs, {lines} lines, texts identical, worst box diff {worst} px")
    assert lines > 30


def test_path_bytes_and_pixels_agree(ocr_models, ocr_samples):
    png = ocr_samples / "ch_doc_server.png"   # RGBA with transparency
    with swiftlet.OCR(*ocr_models, threads=2) as ocr:
        by_path = ocr.run(str(png))
        assert by_path.lines, "no lines on ch_doc_server.png"
        by_bytes = ocr.run(png.read_bytes())
        rgba = np.asarray(Image.open(png).convert("RGBA"))
        by_rgba = ocr.run(rgba)
        by_bgra = ocr.run(np.ascontiguousarray(rgba[:, :, [2, 1, 0, 3]]), format="bgra")
        # A strided view: every row of a wider canvas.
        canvas = np.zeros((rgba.shape[0], rgba.shape[1] + 5, 4), dtype=np.uint8)
        canvas[:, :rgba.shape[1]] = rgba
        by_view = ocr.run(canvas[:, :rgba.shape[1]])

    def key(r):
        return [(np.array(l.box, dtype=np.float32).tobytes(), l.text, np.float32(l.score).tobytes()) for l in r.lines]

    for other in (by_bytes, by_rgba, by_bgra, by_view):
        assert key(other) == key(by_path)
        assert other.json.startswith('{"image":null,"lines":[')
        assert other.json.split(',"lines":', 1)[1] == by_path.json.split(',"lines":', 1)[1]
    assert by_path.json.startswith('{"image":' + '"' + str(png) + '"')


def test_json_equals_the_cli(ocr_models, ocr_samples, swiftlet_cli):
    det, rec, cls = ocr_models
    image = str(ocr_samples / "ch_en_num.jpg")
    with swiftlet.OCR(det, rec, cls, threads=2) as ocr:
        got = ocr.run(image).json
    cli = subprocess.run([swiftlet_cli, "ocr", "--det", det, "--rec", rec, "--cls", cls, "--threads", "2", image],
                         check=True, capture_output=True, text=True).stdout
    assert got == cli.rstrip("\n")


def test_one_handle_from_threads(ocr_models, ocr_samples):
    names = ["text_rec.jpg", "en_rec.jpg", "text_cls.jpg", "ch_doc_server.png"]
    with swiftlet.OCR(*ocr_models, threads=1) as ocr:
        alone = {n: ocr.run(str(ocr_samples / n)).json for n in names}
        got, errors = {}, []

        def work(n):
            try:
                got[n] = ocr.run(str(ocr_samples / n)).json
            except Exception as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n,)) for n in names]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    assert got == alone


def test_ocr_errors(ocr_models, ocr_samples, embedder_swl):
    det, rec, cls = ocr_models
    with pytest.raises(SwiftletError, match="not an OCR detection model") as e:
        swiftlet.OCR(embedder_swl, rec)
    assert e.value.name == "SWIFTLET_ERR_INVALID_MODEL"
    with pytest.raises(SwiftletError, match="not an OCR recognition model"):
        swiftlet.OCR(det, det)
    with pytest.raises(SwiftletError, match=r"options.box_thresh is 1.5"):
        swiftlet.OCR(det, rec, box_thresh=1.5)
    with pytest.raises(SwiftletError, match="SWIFTLET_ERR_IO"):
        swiftlet.OCR(det, rec, cls="/nonexistent/cls.swl")
    ocr = swiftlet.OCR(det, rec)
    with pytest.raises(SwiftletError, match="not a PNG or JPEG image") as e:
        ocr.run(b"not an image at all")
    assert e.value.name == "SWIFTLET_ERR_INVALID_INPUT"
    with pytest.raises(SwiftletError, match="SWIFTLET_ERR_IO"):
        ocr.run(str(ocr_samples / "no-such-image.png"))
    with pytest.raises(ValueError, match="needs 4 channels"):
        ocr.run(np.zeros((4, 4, 3), dtype=np.uint8), format="rgba")
    with pytest.raises(SwiftletError, match="both sides must be at least 1 pixel"):
        ocr.run(np.zeros((0, 4, 3), dtype=np.uint8))
    assert ocr.run(np.full((8, 8), 255, dtype=np.uint8)).lines == []
    # A closed handle, used again through the raw call (the class forgets its handle on close).
    h = ocr._h
    ocr.close()
    out = ctypes.c_void_p()
    status = swiftlet._lib.swiftlet_ocr_run_file(h, str(ocr_samples / "short.png").encode(), ctypes.byref(out))
    assert swiftlet._lib.swiftlet_status_name(status) == b"SWIFTLET_ERR_INVALID_HANDLE"
    assert b"has been closed" in swiftlet._lib.swiftlet_last_error()
    assert not out.value


def test_embed_with_prefix(embedder_swl):
    texts = ["Hello world", "Swiftlet runs on the CPU"]
    with swiftlet.Embedder(embedder_swl, threads=1) as e:
        a = e.embed_with_prefix(texts, "search_query: ")
        b = e.embed(["search_query: " + t for t in texts])
        assert a.tobytes() == b.tobytes()
        assert e.embed_with_prefix(texts, "").tobytes() == e.embed(texts).tobytes()
        with pytest.raises(SwiftletError, match="prefix is not valid UTF-8"):
            e.embed_with_prefix(texts, b"\xff")


def test_orientation_equals_the_cli(ocr_models, ocr_samples, swiftlet_cli, tmp_path):
    """A page turned a quarter turn counter-clockwise (np.rot90) reads upright again; the
    turn and the JSON are those of `swiftlet ocr --orientation`."""
    det, rec, cls = ocr_models
    ori = model("doc-orientation")
    rgb = np.asarray(Image.open(ocr_samples / "ch_en_num.jpg").convert("RGB"))
    turned = tmp_path / "turned.png"
    Image.fromarray(np.rot90(rgb)).save(turned)
    with swiftlet.OCR(det, rec, cls, threads=2, orientation=ori) as ocr:
        got = ocr.run(str(turned))
        upright = ocr.run(rgb)
    with swiftlet.OCR(det, rec, cls, threads=2) as plain:
        assert plain.run(rgb).orientation is None
    assert upright.orientation == 0
    assert got.orientation == 270
    assert [l.text for l in got.lines] == [l.text for l in upright.lines]
    cli = subprocess.run([swiftlet_cli, "ocr", "--det", det, "--rec", rec, "--cls", cls, "--orientation",
                          "--orientation-model", ori, "--threads", "2", str(turned)],
                         check=True, capture_output=True, text=True).stdout
    assert got.json == cli.rstrip("\n")
    with pytest.raises(SwiftletError) as err:
        swiftlet.OCR(det, rec, orientation=det)
    assert err.value.name == "SWIFTLET_ERR_INVALID_MODEL"
