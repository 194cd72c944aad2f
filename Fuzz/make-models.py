#!/usr/bin/env python3
"""Writes the tiny .swl files the fuzz targets start from, with the repository's one .swl
writer (tools/swiftlet_tools/swl/writer.py, standard library only):

    python3 Fuzz/make-models.py

Fuzz/Fixtures/models/ — loaded by the C ABI target (one of each handle kind): a raw graph,
an embedder with the WordPiece fixture as its tokenizer, and OCR det/rec/cls networks
small enough that a whole OCR call takes well under a millisecond; and one tokenizer-only
file per Fuzz/Fixtures/tokenizers/ file (run Fuzz/make-fixtures.py first), which the
tokenizer-encode target opens through the C ABI to feed it raw, possibly invalid, UTF-8.
Fuzz/Seeds/swl/ — extra graphs for the loader target: a conv stack, shape arithmetic,
an int8-encoded MatMul weight, attention-style MatMul/Softmax.
Weights are fixed small numbers, so the files are identical on every run.
"""
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
from swiftlet_tools.swl.writer import TensorEntry, write_swl  # noqa: E402

FIXTURES = os.path.join(HERE, "Fixtures", "models")
SEEDS = os.path.join(HERE, "Seeds", "swl")


def f32(name, shape, values):
    return TensorEntry(name, "float32", shape, struct.pack("<%df" % len(values), *values), name)


def i64(name, shape, values):
    return TensorEntry(name, "int64", shape, struct.pack("<%dq" % len(values), *values), name)


def vi(name, dtype, shape):
    return {"name": name, "dtype": dtype, "shape": shape}


def node(name, op, inputs, outputs, **attrs):
    return {"name": name, "op": op, "inputs": inputs, "outputs": outputs, "attrs": attrs}


def write(path, inputs, outputs, nodes, tensors, pipeline=None, blobs=None, opset=17):
    graph = {"opset": opset, "inputs": inputs, "outputs": outputs, "nodes": nodes}
    write_swl(path, graph, tensors, blobs or {}, pipeline or {"kind": "graph"}, {}, {"tool": "Fuzz/make-models.py"})


def ramp(n, scale=0.1):
    return [((i * 7) % 11 - 5) * scale for i in range(n)]


def graph_add(path):
    write(path, [vi("x", "float32", ["batch", 3])], [vi("y", "float32", ["batch", 3])],
          [node("add", "Add", ["x", "b"], ["y"])], [f32("b", [3], [1, 2, 3])])


def tokenizer_model(path, name):
    # A .swl carrying only a tokenizer, for swiftlet_tokenizer_open (raw bytes in, ids out).
    tok = open(os.path.join(HERE, "Fixtures", "tokenizers", name + ".json"), "rb").read()
    write(path, [vi("x", "float32", ["batch", 3])], [vi("y", "float32", ["batch", 3])],
          [node("add", "Add", ["x", "b"], ["y"])], [f32("b", [3], [1, 2, 3])], blobs={"tokenizer.json": tok})


def embedder(path):
    tok = open(os.path.join(HERE, "Fixtures", "tokenizers", "wordpiece.json"), "rb").read()
    vocab = len(json.loads(tok)["model"]["vocab"])
    dim = 8
    write(path,
          [vi("input_ids", "int64", ["batch", "seq"]), vi("attention_mask", "int64", ["batch", "seq"])],
          [vi("last_hidden_state", "float32", ["batch", "seq", dim])],
          [node("gather", "Gather", ["emb", "input_ids"], ["h"], axis={"i": 0}),
           node("cast", "Cast", ["attention_mask"], ["m"], to={"i": 1}),
           node("unsq", "Unsqueeze", ["m", "axes"], ["m3"]),
           node("mul", "Mul", ["h", "m3"], ["hm"]),
           node("ln", "LayerNormalization", ["hm", "gamma", "beta"], ["last_hidden_state"], axis={"i": -1}, epsilon={"f": 1e-5})],
          [f32("emb", [vocab, dim], ramp(vocab * dim)), i64("axes", [1], [-1]),
           f32("gamma", [dim], [1.0] * dim), f32("beta", [dim], [0.0] * dim)],
          pipeline={"kind": "embedder", "pooling": "mean", "normalize": True, "max_length": 16,
                    "output": "last_hidden_state", "query_prefix": "query: ", "passage_prefix": "passage: "},
          blobs={"tokenizer.json": tok})


def ocr_det(path):
    # Dark pixels (about -1 after normalisation) become probability ~1: boxes around ink.
    write(path, [vi("x", "float32", ["batch", 3, "height", "width"])], [vi("y", "float32", ["batch", 1, "height", "width"])],
          [node("conv", "Conv", ["x", "w", "b"], ["z"], kernel_shape={"ints": [1, 1]}),
           node("sig", "Sigmoid", ["z"], ["y"])],
          [f32("w", [1, 3, 1, 1], [-2.0, -2.0, -2.0]), f32("b", [1], [0.0])], pipeline={"kind": "ocr-det"})


def ocr_rec(path):
    # [N,3,48,W] -> pool 48x8 -> 1x1 conv to 4 classes (blank, a, b, space) -> [N, W/8, 4].
    write(path, [vi("x", "float32", ["batch", 3, 48, "width"])], [vi("y", "float32", ["batch", "steps", 4])],
          [node("pool", "AveragePool", ["x"], ["p"], kernel_shape={"ints": [48, 8]}, strides={"ints": [48, 8]}),
           node("conv", "Conv", ["p", "w"], ["c"], kernel_shape={"ints": [1, 1]}),
           node("sq", "Squeeze", ["c", "axes"], ["s"]),
           node("tr", "Transpose", ["s"], ["t"], perm={"ints": [0, 2, 1]}),
           node("sm", "Softmax", ["t"], ["y"], axis={"i": -1})],
          [f32("w", [4, 3, 1, 1], [2, 2, 2, -3, 0, 0, 0, -3, 0, 0, 0, -1]), i64("axes", [1], [2])],
          pipeline={"kind": "ocr-rec", "dictionary": "dict.txt"}, blobs={"dict.txt": "a\nb\n".encode()})


def ocr_cls(path):
    write(path, [vi("x", "float32", ["batch", 3, 48, 192])], [vi("y", "float32", ["batch", 2])],
          [node("gap", "GlobalAveragePool", ["x"], ["g"]),
           node("fl", "Flatten", ["g"], ["f"], axis={"i": 1}),
           node("mm", "MatMul", ["f", "w"], ["z"]),
           node("sm", "Softmax", ["z"], ["y"], axis={"i": -1})],
          [f32("w", [3, 2], [1, -1, 0.5, -0.5, 2, -2])], pipeline={"kind": "ocr-cls"})


def conv_stack(path):
    write(path, [vi("x", "float32", [1, 2, "h", "w"])], [vi("y", "float32", [1, "n"])],
          [node("conv", "Conv", ["x", "w", "b"], ["c"], kernel_shape={"ints": [3, 3]}, pads={"ints": [1, 1, 1, 1]}, group={"i": 1}),
           node("relu", "Relu", ["c"], ["r"]),
           node("pool", "MaxPool", ["r"], ["p"], kernel_shape={"ints": [2, 2]}, strides={"ints": [2, 2]}),
           node("bn", "BatchNormalization", ["p", "s", "bb", "mean", "var"], ["q"], epsilon={"f": 1e-5}),
           node("up", "Resize", ["q", "", "scales"], ["u"], mode={"s": "nearest"}),
           node("fl", "Flatten", ["u"], ["y"], axis={"i": 1})],
          [f32("w", [4, 2, 3, 3], ramp(72)), f32("b", [4], [0.1, -0.1, 0.2, 0]), f32("s", [4], [1, 1, 1, 1]),
           f32("bb", [4], [0, 0, 0, 0]), f32("mean", [4], [0, 0.1, 0, 0]), f32("var", [4], [1, 1, 1, 1]),
           f32("scales", [4], [1, 1, 2, 2])])


def shapes(path):
    # Shape arithmetic as exports write it: Shape/Gather/Concat/Reshape/Expand/Range/Where.
    write(path, [vi("x", "float32", ["batch", "seq"])], [vi("y", "float32", ["batch", "seq", 2]), vi("r", "int64", ["seq"])],
          [node("shape", "Shape", ["x"], ["sh"]),
           node("g1", "Gather", ["sh", "one"], ["seq"], axis={"i": 0}),
           node("range", "Range", ["zero", "seq", "one"], ["r"]),
           node("cat", "Concat", ["sh", "two"], ["sh3"], axis={"i": 0}),
           node("uns", "Unsqueeze", ["x", "axes"], ["x3"]),
           node("exp", "Expand", ["x3", "sh3"], ["e"]),
           node("cmp", "Greater", ["e", "zerof"], ["mask"]),
           node("where", "Where", ["mask", "e", "negf"], ["w"]),
           node("red", "ReduceSum", ["w", "axes"], ["rs"], keepdims={"i": 1}),
           node("add", "Add", ["w", "rs"], ["y"])],
          [i64("one", [1], [1]), i64("zero", [], [0]), i64("two", [1], [2]), i64("axes", [1], [-1]),
           f32("zerof", [], [0.0]), f32("negf", [], [-1.0])])


def attention(path):
    d = 4
    write(path, [vi("x", "float32", ["batch", "seq", d])], [vi("y", "float32", ["batch", "seq", d])],
          [node("q", "MatMul", ["x", "wq"], ["q"]),
           node("kt", "Transpose", ["x"], ["kt"], perm={"ints": [0, 2, 1]}),
           node("s", "MatMul", ["q", "kt"], ["s"]),
           node("sc", "Div", ["s", "scale"], ["ss"]),
           node("sm", "Softmax", ["ss"], ["p"], axis={"i": -1}),
           node("o", "MatMul", ["p", "x"], ["o"]),
           node("bias", "Add", ["o", "bq"], ["ob"]),
           node("gelu_in", "Div", ["ob", "sqrt2"], ["g1"]),
           node("erf", "Erf", ["g1"], ["g2"]),
           node("plus", "Add", ["g2", "onef"], ["g3"]),
           node("mulx", "Mul", ["ob", "g3"], ["g4"]),
           node("half", "Mul", ["g4", "halff"], ["g5"]),
           node("res", "Add", ["g5", "x"], ["y"])],
          [f32("wq", [d, d], ramp(d * d)), f32("scale", [], [2.0]), f32("bq", [d], [0.1] * d),
           f32("sqrt2", [], [1.4142135]), f32("onef", [], [1.0]), f32("halff", [], [0.5])])


def int8_matmul(path):
    k, n = 32, 3
    raw = bytes(((i * 37) % 255) - 127 & 0xFF for i in range(k * n))
    w = TensorEntry("w", "float32", [k, n], raw, "w", encoding={"type": "int8", "axis": 1},
                    scales=struct.pack("<3f", 0.01, 0.02, 0.03))
    write(path, [vi("x", "float32", ["batch", k])], [vi("y", "float32", ["batch", n])],
          [node("mm", "MatMul", ["x", "w"], ["m"]), node("add", "Add", ["m", "b"], ["y"])],
          [w, f32("b", [n], [0.5, -0.5, 0.0])])


if __name__ == "__main__":
    os.makedirs(FIXTURES, exist_ok=True)
    os.makedirs(SEEDS, exist_ok=True)
    for make, name in [(graph_add, "graph-add"), (embedder, "embedder"), (ocr_det, "ocr-det"),
                       (ocr_rec, "ocr-rec"), (ocr_cls, "ocr-cls")]:
        make(os.path.join(FIXTURES, name + ".swl"))
    for name in ["wordpiece", "unigram-precompiled", "bpe", "bytelevel-bpe", "metaspace-bpe"]:
        tokenizer_model(os.path.join(FIXTURES, "tokenizer-%s.swl" % name), name)
    for make, name in [(conv_stack, "conv-stack"), (shapes, "shapes"), (attention, "attention"), (int8_matmul, "int8-matmul")]:
        make(os.path.join(SEEDS, name + ".swl"))
    for d in (FIXTURES, SEEDS):
        for f in sorted(os.listdir(d)):
            print(os.path.join(d, f), os.path.getsize(os.path.join(d, f)))
