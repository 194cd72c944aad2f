"""Encoded weights through the one .swl writer and back: the header rows of docs/FORMAT.md
("Quantized and float16 weights"), alignment, the reader's checks and decoded values."""

import json
import struct

import numpy as np
import pytest

from swiftlet_tools.swl.arrays import tensor_entries
from swiftlet_tools.swl.layout import SwlError
from swiftlet_tools.swl.quantize import decode, encode
from swiftlet_tools.swl.reader import read_swl_header, verify_swl
from swiftlet_tools.swl.tensors import load_tensors
from swiftlet_tools.swl.writer import TensorEntry, write_swl

GRAPH = {"opset": 17, "inputs": [{"name": "x", "dtype": "float32", "shape": ["batch", 64]}],
         "outputs": [{"name": "y", "dtype": "float32", "shape": ["batch", 96]}],
         "nodes": [{"name": "mm", "op": "MatMul", "inputs": ["x", "w_int8"], "outputs": ["y"], "attrs": {}}]}


def weights():
    rng = np.random.default_rng(7)
    return {k: rng.standard_normal((64, 96)).astype(np.float32) for k in ("a", "b", "c", "d")}


@pytest.fixture
def written(tmp_path):
    w = weights()
    bias = np.arange(5, dtype=np.float32)
    tensors = {
        "bias": bias,
        "w_int8": encode(w["a"], "int8", 1),
        "w_q8": encode(w["b"], "q8_0", 0),
        "w_q4": encode(w["c"], "q4_0", 0),
        "w_f16": encode(w["d"], "float16"),
    }
    tensors["w_q4_alias"] = tensors["w_q4"]
    path = str(tmp_path / "m.swl")
    entries = tensor_entries(tensors)
    write_swl(path, GRAPH, entries, {"blob": b"xyz"}, {"kind": "graph"}, {}, {"quantize": "mixed"})
    return path, tensors, entries, w


def rows(path):
    header, _, _ = read_swl_header(path)
    return {r["name"]: r for r in header["tensors"]}


def test_header_rows(written):
    path, tensors, _, _ = written
    r = rows(path)
    assert r["bias"] == {"name": "bias", "dtype": "float32", "shape": [5], "offset": r["bias"]["offset"], "length": 20}
    i8 = r["w_int8"]
    assert list(i8) == ["name", "dtype", "shape", "offset", "length", "encoding"]
    assert i8["dtype"] == "float32" and i8["shape"] == [64, 96] and i8["length"] == 64 * 96
    assert i8["encoding"]["type"] == "int8" and i8["encoding"]["axis"] == 1
    assert i8["encoding"]["scales"]["length"] == 4 * 96
    assert r["w_q8"]["encoding"] == {"type": "q8_0", "axis": 0}
    assert r["w_q8"]["length"] == 96 * (64 // 32) * 34
    assert r["w_q4"]["encoding"] == {"type": "q4_0", "axis": 0}
    assert r["w_q4"]["length"] == 96 * (64 // 32) * 18
    assert r["w_f16"]["encoding"] == {"type": "float16"} and r["w_f16"]["length"] == 64 * 96 * 2
    offsets = [x["offset"] for x in r.values()] + [i8["encoding"]["scales"]["offset"]]
    assert all(o % 64 == 0 for o in offsets)
    # an alias shares the bytes
    assert (r["w_q4_alias"]["offset"], r["w_q4_alias"]["encoding"]) == (r["w_q4"]["offset"], r["w_q4"]["encoding"])
    # scales do not overlap the int8 data
    assert i8["encoding"]["scales"]["offset"] >= i8["offset"] + i8["length"]


def test_bytes_on_disk(written):
    path, tensors, entries, _ = written
    assert verify_swl(path, ((e.name, e.data, e.scales) for e in entries), {"blob": b"xyz"}) == []
    raw = open(path, "rb").read()
    i8 = rows(path)["w_int8"]
    s = i8["encoding"]["scales"]
    assert raw[s["offset"]:s["offset"] + s["length"]] == tensors["w_int8"].scales
    assert raw[i8["offset"]:i8["offset"] + i8["length"]] == tensors["w_int8"].data


def test_load_tensors_decodes(written):
    path, tensors, _, w = written
    got = load_tensors(path)
    assert got["bias"].tolist() == [0, 1, 2, 3, 4]
    for name, src in (("w_int8", "a"), ("w_q8", "b"), ("w_q4", "c"), ("w_f16", "d")):
        e = tensors[name]
        assert np.array_equal(got[name], decode(e.shape, e.encoding, e.data, e.scales))
        assert got[name].shape == (64, 96)
        assert np.abs(got[name] - w[src]).max() < 0.15 * np.abs(w[src]).max()
    assert np.array_equal(got["w_q4_alias"], got["w_q4"])


def rewrite_header(path, edit):
    """Applies edit(header) and writes the header back in place (same length, padded)."""
    raw = bytearray(open(path, "rb").read())
    hlen = struct.unpack("<Q", raw[8:16])[0]
    header = json.loads(raw[16:16 + hlen])
    edit(header)
    new = json.dumps(header, separators=(",", ":")).encode()
    assert len(new) <= hlen
    raw[16:16 + hlen] = new + b" " * (hlen - len(new))
    open(path, "wb").write(bytes(raw))


@pytest.mark.parametrize("edit,problem", [
    (lambda r: r["w_q4"].update(length=r["w_q4"]["length"] - 18), "length"),
    (lambda r: r["w_q8"]["encoding"].update(axis=2), "axis"),
    (lambda r: r["w_q8"]["encoding"].update(type="q5_0"), "unknown encoding"),
    (lambda r: r["w_int8"]["encoding"].pop("scales"), "scales"),
    (lambda r: r["w_int8"]["encoding"]["scales"].update(length=8), "scales length"),
    (lambda r: r["w_int8"]["encoding"]["scales"].update(offset=r["w_int8"]["encoding"]["scales"]["offset"] + 4),
     "aligned"),
    (lambda r: r["w_q8"].update(shape=[40, 96]), "multiple of 32"),
    (lambda r: r["w_f16"].update(dtype="float16"), "logical dtype float32"),
])
def test_reader_finds_broken_encodings(written, edit, problem):
    path = written[0]
    rewrite_header(path, lambda h: edit({r["name"]: r for r in h["tensors"]}))
    problems = verify_swl(path)
    assert any(problem in p for p in problems), problems


def test_writer_refuses_inconsistent_entries(tmp_path):
    e = encode(np.ones((32, 32), dtype=np.float32), "q4_0", 0)
    bad = TensorEntry("w", "float32", (32, 32), e.data[:-1], "w", e.encoding)
    with pytest.raises(SwlError, match="length"):
        write_swl(str(tmp_path / "x.swl"), GRAPH, [bad], {}, {"kind": "graph"}, {}, {})
    orphan = TensorEntry("s", "float32", (2,), bytes(8), "s", None, bytes(8))
    with pytest.raises(SwlError, match="scales without an encoding"):
        write_swl(str(tmp_path / "y.swl"), GRAPH, [orphan], {}, {"kind": "graph"}, {}, {})
