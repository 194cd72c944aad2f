"""The BERT-family encoder graph built from checkpoint tensors with standard ONNX ops
(opset 20 for Gelu), node names following torch's ONNX export."""

import math
from typing import Callable, Dict, Optional, Tuple

import numpy as np

from .errors import ConvertError
from .graph_builder import GraphBuilder
from .hf_config import EncoderConfig
from .numbers import json_float

CHECKPOINT_PREFIXES = ("", "bert.", "roberta.", "xlm_roberta.", "xlm-roberta.", "model.", "encoder_model.")
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def checkpoint_prefix(w: Dict[str, np.ndarray], st_path: str) -> str:
    for p in CHECKPOINT_PREFIXES:
        if p + "embeddings.word_embeddings.weight" in w:
            return p
    raise ConvertError(f"{st_path}: no embeddings.word_embeddings.weight (with any of the prefixes "
                       f"{', '.join(repr(p) for p in CHECKPOINT_PREFIXES[1:])})")


class _Encoder:
    """Adds checkpoint tensors on first use, so the tensor table follows the graph order."""

    def __init__(self, cfg: EncoderConfig, w: Dict[str, np.ndarray], prefix: str, st_path: str):
        self.cfg, self.w, self.prefix, self.st_path = cfg, w, prefix, st_path
        self.b = GraphBuilder()

    def W(self, key: str) -> str:
        """A checkpoint tensor under its own name; accepts gamma/beta for LayerNorm."""
        full = self.prefix + key
        if full not in self.w:
            alt = full.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
            if alt in self.w:
                full = alt
            else:
                raise ConvertError(f"{self.st_path}: missing tensor {full!r}")
        if full not in self.b.tensors:
            self.b.const(full, self.w[full].astype(np.float32))
        return full

    def WT(self, key: str) -> str:
        """A torch Linear weight [out, in], transposed to [in, out] for MatMul."""
        full = self.prefix + key
        if full not in self.w:
            raise ConvertError(f"{self.st_path}: missing tensor {full!r}")
        name = full + ".T"
        if name not in self.b.tensors:
            self.b.const(name, np.ascontiguousarray(self.w[full].astype(np.float32).T))
        return name

    def ln(self, x: str, key: str, name: str) -> str:
        return self.b.op("LayerNormalization", [x, self.W(key + ".weight"), self.W(key + ".bias")], name,
                         {"axis": {"i": -1}, "epsilon": {"f": json_float(self.cfg.eps)}})

    def linear(self, x: str, key: str, name: str) -> str:
        y = self.b.op("MatMul", [x, self.WT(key + ".weight")], name + "/MatMul")
        return self.b.op("Add", [y, self.W(key + ".bias")], name + "/Add")

    def shared_constants(self) -> None:
        b, cfg = self.b, self.cfg
        self.c_one_i = b.const("const.int64.1", np.array(1, dtype=np.int64))
        self.c_zero_i = b.const("const.int64.0", np.array(0, dtype=np.int64))
        self.c_axes_12 = b.const("const.axes.1_2", np.array([1, 2], dtype=np.int64))
        self.c_one_f = b.const("const.float.1", np.array(1.0, dtype=np.float32))
        self.c_min_f = b.const("const.float.min", np.array(np.finfo(np.float32).min, dtype=np.float32))
        self.c_scale = b.const("const.attention.scale", np.array(1.0 / math.sqrt(cfg.head_dim), dtype=np.float32))
        self.c_heads_shape = b.const("const.shape.heads", np.array([0, 0, cfg.heads, cfg.head_dim], dtype=np.int64))
        self.c_hidden_shape = b.const("const.shape.hidden", np.array([0, 0, cfg.hidden], dtype=np.int64))

    def positions(self) -> str:
        b = self.b
        if self.cfg.roberta_positions:
            c_pad = b.const("const.int64.pad", np.array(self.cfg.pad_id, dtype=np.int64))
            is_pad = b.op("Equal", ["input_ids", c_pad], "/embeddings/positions/Equal")
            is_pad_i = b.op("Cast", [is_pad], "/embeddings/positions/Cast", {"to": {"i": 7}})
            not_pad = b.op("Sub", [self.c_one_i, is_pad_i], "/embeddings/positions/Sub")
            csum = b.op("CumSum", [not_pad, self.c_one_i], "/embeddings/positions/CumSum")
            masked = b.op("Mul", [csum, not_pad], "/embeddings/positions/Mul")
            return b.op("Add", [masked, c_pad], "/embeddings/positions/Add")
        shape = b.op("Shape", ["input_ids"], "/embeddings/positions/Shape")
        seq = b.op("Gather", [shape, self.c_one_i], "/embeddings/positions/Gather", {"axis": {"i": 0}})
        return b.op("Range", [self.c_zero_i, seq, self.c_one_i], "/embeddings/positions/Range")

    def embeddings(self) -> str:
        b = self.b
        word = b.op("Gather", [self.W("embeddings.word_embeddings.weight"), "input_ids"],
                    "/embeddings/word_embeddings/Gather", {"axis": {"i": 0}})
        positions = self.positions()
        pos = b.op("Gather", [self.W("embeddings.position_embeddings.weight"), positions],
                   "/embeddings/position_embeddings/Gather", {"axis": {"i": 0}})
        typ = b.op("Gather", [self.W("embeddings.token_type_embeddings.weight"), "token_type_ids"],
                   "/embeddings/token_type_embeddings/Gather", {"axis": {"i": 0}})
        x = b.op("Add", [word, typ], "/embeddings/Add")
        x = b.op("Add", [x, pos], "/embeddings/Add_1")
        return self.ln(x, "embeddings.LayerNorm", "/embeddings/LayerNorm/LayerNormalization")

    def additive_mask(self) -> str:
        """[B,1,1,S]: 0 for tokens, float32 min for padding."""
        b = self.b
        m = b.op("Cast", ["attention_mask"], "/mask/Cast", {"to": {"i": 1}})
        m = b.op("Sub", [self.c_one_f, m], "/mask/Sub")
        m = b.op("Mul", [m, self.c_min_f], "/mask/Mul")
        return b.op("Unsqueeze", [m, self.c_axes_12], "/mask/Unsqueeze")

    def _heads(self, t: str, n: str, perm) -> str:
        t = self.b.op("Reshape", [t, self.c_heads_shape], f"{n}/Reshape")
        return self.b.op("Transpose", [t], f"{n}/Transpose", {"perm": {"ints": perm}})

    def self_attention(self, x: str, mask: str, p: str, n: str) -> str:
        b = self.b
        q = self.linear(x, p + "attention.self.query", f"{n}/attention/self/query")
        k = self.linear(x, p + "attention.self.key", f"{n}/attention/self/key")
        v = self.linear(x, p + "attention.self.value", f"{n}/attention/self/value")
        q = self._heads(q, f"{n}/attention/self/query", [0, 2, 1, 3])
        k = self._heads(k, f"{n}/attention/self/key", [0, 2, 3, 1])
        v = self._heads(v, f"{n}/attention/self/value", [0, 2, 1, 3])
        s = b.op("MatMul", [q, k], f"{n}/attention/self/scores/MatMul")
        s = b.op("Mul", [s, self.c_scale], f"{n}/attention/self/scores/Mul")
        s = b.op("Add", [s, mask], f"{n}/attention/self/scores/Add")
        s = b.op("Softmax", [s], f"{n}/attention/self/Softmax", {"axis": {"i": -1}})
        ctx = b.op("MatMul", [s, v], f"{n}/attention/self/context/MatMul")
        ctx = b.op("Transpose", [ctx], f"{n}/attention/self/context/Transpose", {"perm": {"ints": [0, 2, 1, 3]}})
        return b.op("Reshape", [ctx, self.c_hidden_shape], f"{n}/attention/self/context/Reshape")

    def layer(self, x: str, mask: str, i: int) -> str:
        b = self.b
        p = f"encoder.layer.{i}."
        n = f"/encoder/layer.{i}"
        ctx = self.self_attention(x, mask, p, n)
        a = self.linear(ctx, p + "attention.output.dense", f"{n}/attention/output/dense")
        a = b.op("Add", [a, x], f"{n}/attention/output/Add")
        a = self.ln(a, p + "attention.output.LayerNorm", f"{n}/attention/output/LayerNorm/LayerNormalization")
        h = self.linear(a, p + "intermediate.dense", f"{n}/intermediate/dense")
        h = b.op("Gelu", [h], f"{n}/intermediate/Gelu", {"approximate": {"s": "none"}})
        h = self.linear(h, p + "output.dense", f"{n}/output/dense")
        h = b.op("Add", [h, a], f"{n}/output/Add")
        return self.ln(h, p + "output.LayerNorm", f"{n}/output/LayerNorm/LayerNormalization")


def build_encoder(cfg: EncoderConfig, w: Dict[str, np.ndarray], prefix: str, st_path: str,
                  head: Optional[Callable] = None, head_name: str = "") -> Tuple[dict, Dict[str, np.ndarray]]:
    """Returns (graph, tensors); the output is last_hidden_state [batch, sequence, hidden], or
    with `head` (bert_heads.py) the outputs the head defines."""
    e = _Encoder(cfg, w, prefix, st_path)
    e.head = head_name
    e.shared_constants()
    x = e.embeddings()
    mask = e.additive_mask()
    for i in range(cfg.layers):
        x = e.layer(x, mask, i)
    e.b.nodes[-1]["outputs"] = ["last_hidden_state"]  # name the final value after the graph output
    outputs = [("last_hidden_state", ["batch", "sequence", cfg.hidden])]
    if head is not None:
        outputs = head(e, "last_hidden_state")
    graph = {
        "opset": 20,  # Gelu is an opset-20 op; everything else is opset <= 17 semantics-compatible
        "inputs": [{"name": nm, "dtype": "int64", "shape": ["batch", "sequence"]} for nm in INPUTS],
        "outputs": [{"name": nm, "dtype": "float32", "shape": shape} for nm, shape in outputs],
        "nodes": e.b.nodes,
    }
    return graph, e.b.tensors
