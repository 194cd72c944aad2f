"""The Hugging Face `CLIPModel` (config.json + model.safetensors) as ONE graph with two entry
points, built from standard ONNX ops:

  text tower   input_ids [batch, sequence] int64  -> text_features [batch, D]
  image tower  pixel_values [images, 3, S, S] float32 -> image_features [images, D]

The towers share no value, so a Session compiled for one output runs (and needs the input of)
that tower only (docs/FORMAT.md, "Graphs with several entry points"). The features are the
projections before L2 normalisation, i.e. `CLIPModel.get_text_features` /
`get_image_features`; the pipeline normalises.

Lowerings for ops Swiftlet does not have:
  * class token: Pad the [N, P, H] patch sequence with a zero row in front, then Add one
    [P+1, H] table whose row 0 is class_embedding + position 0 and whose rows 1.. are the
    patch positions: the same float32 sums torch computes (cat, then + positions).
  * EOS pooling (HF: the position of the largest id, argmax's first one): ids as float32
    (exact below 2^24), ReduceMax, Equal, and CumSum == 1 keeps the first hit; the one-hot
    row [B, 1, S] times the hidden states [B, S, H] picks that row.
  * quick_gelu: x * Sigmoid(1.702 x).
"""

import math
from typing import Dict, NamedTuple, Tuple

import numpy as np

from .errors import ConvertError
from .graph_builder import GraphBuilder
from .numbers import json_float

ACTIVATIONS = ("quick_gelu", "gelu")


class TowerConfig(NamedTuple):
    hidden: int
    heads: int
    layers: int
    eps: float
    act: str

    @property
    def head_dim(self) -> int:
        return self.hidden // self.heads


class CLIPConfig(NamedTuple):
    text: TowerConfig
    vision: TowerConfig
    projection_dim: int
    image_size: int
    patch_size: int
    max_positions: int
    vocab_size: int


def _tower(c: dict, what: str, cfg_path: str) -> TowerConfig:
    act = c.get("hidden_act", "quick_gelu")
    if act not in ACTIVATIONS:
        raise ConvertError(f"{cfg_path}: {what}.hidden_act {act!r} is not supported ({', '.join(ACTIVATIONS)})")
    H, heads = int(c["hidden_size"]), int(c["num_attention_heads"])
    if H % heads:
        raise ConvertError(f"{cfg_path}: {what}.hidden_size {H} is not divisible by num_attention_heads {heads}")
    return TowerConfig(H, heads, int(c["num_hidden_layers"]), float(c.get("layer_norm_eps", 1e-5)), act)


def clip_config(cfg: dict, cfg_path: str) -> CLIPConfig:
    t, v = cfg.get("text_config"), cfg.get("vision_config")
    if not isinstance(t, dict) or not isinstance(v, dict):
        raise ConvertError(f"{cfg_path}: a CLIPModel config needs text_config and vision_config objects")
    try:
        return CLIPConfig(_tower(t, "text_config", cfg_path), _tower(v, "vision_config", cfg_path),
                          int(cfg.get("projection_dim", 512)), int(v.get("image_size", 224)),
                          int(v.get("patch_size", 32)), int(t.get("max_position_embeddings", 77)),
                          int(t.get("vocab_size", 49408)))
    except KeyError as e:
        raise ConvertError(f"{cfg_path}: missing {e.args[0]!r} in text_config or vision_config")


class _Builder:
    def __init__(self, cfg: CLIPConfig, w: Dict[str, np.ndarray], st_path: str):
        self.cfg, self.w, self.st_path = cfg, w, st_path
        self.b = GraphBuilder()

    def has(self, key: str) -> bool:
        return key in self.w

    def raw(self, key: str) -> np.ndarray:
        if key not in self.w:
            raise ConvertError(f"{self.st_path}: missing tensor {key!r}")
        return self.w[key].astype(np.float32)

    def W(self, key: str) -> str:
        if key not in self.b.tensors:
            self.b.const(key, self.raw(key))
        return key

    def WT(self, key: str) -> str:
        name = key + ".T"
        if name not in self.b.tensors:
            self.b.const(name, np.ascontiguousarray(self.raw(key).T))
        return name

    def const(self, name: str, arr) -> str:
        return name if name in self.b.tensors else self.b.const(name, arr)

    def ln(self, x: str, key: str, name: str, eps: float) -> str:
        return self.b.op("LayerNormalization", [x, self.W(key + ".weight"), self.W(key + ".bias")], name,
                         {"axis": {"i": -1}, "epsilon": {"f": json_float(eps)}})

    def linear(self, x: str, key: str, name: str, bias: bool = True) -> str:
        y = self.b.op("MatMul", [x, self.WT(key + ".weight")], name + "/MatMul")
        return self.b.op("Add", [y, self.W(key + ".bias")], name + "/Add") if bias else y

    def activation(self, x: str, act: str, name: str) -> str:
        if act == "gelu":
            return self.b.op("Gelu", [x], name + "/Gelu", {"approximate": {"s": "none"}})
        k = self.const("const.float.quick_gelu", np.array(1.702, dtype=np.float32))
        s = self.b.op("Mul", [x, k], name + "/quick_gelu/Mul")
        s = self.b.op("Sigmoid", [s], name + "/quick_gelu/Sigmoid")
        return self.b.op("Mul", [x, s], name + "/quick_gelu/Mul_1")

    def attention(self, x: str, mask, p: str, n: str, tc: TowerConfig, tag: str) -> str:
        b = self.b
        heads_shape = self.const(f"const.{tag}.shape.heads", np.array([0, 0, tc.heads, tc.head_dim], dtype=np.int64))
        hidden_shape = self.const(f"const.{tag}.shape.hidden", np.array([0, 0, tc.hidden], dtype=np.int64))
        scale = self.const(f"const.{tag}.attention.scale", np.array(1.0 / math.sqrt(tc.head_dim), dtype=np.float32))

        def heads(t, nm, perm):
            t = b.op("Reshape", [t, heads_shape], f"{nm}/Reshape")
            return b.op("Transpose", [t], f"{nm}/Transpose", {"perm": {"ints": perm}})

        q = heads(self.linear(x, p + "self_attn.q_proj", f"{n}/self_attn/q_proj"), f"{n}/self_attn/q", [0, 2, 1, 3])
        k = heads(self.linear(x, p + "self_attn.k_proj", f"{n}/self_attn/k_proj"), f"{n}/self_attn/k", [0, 2, 3, 1])
        v = heads(self.linear(x, p + "self_attn.v_proj", f"{n}/self_attn/v_proj"), f"{n}/self_attn/v", [0, 2, 1, 3])
        s = b.op("MatMul", [q, k], f"{n}/self_attn/scores/MatMul")
        s = b.op("Mul", [s, scale], f"{n}/self_attn/scores/Mul")
        if mask is not None:
            s = b.op("Add", [s, mask], f"{n}/self_attn/scores/Add")
        s = b.op("Softmax", [s], f"{n}/self_attn/Softmax", {"axis": {"i": -1}})
        ctx = b.op("MatMul", [s, v], f"{n}/self_attn/context/MatMul")
        ctx = b.op("Transpose", [ctx], f"{n}/self_attn/context/Transpose", {"perm": {"ints": [0, 2, 1, 3]}})
        ctx = b.op("Reshape", [ctx, hidden_shape], f"{n}/self_attn/context/Reshape")
        return self.linear(ctx, p + "self_attn.out_proj", f"{n}/self_attn/out_proj")

    def layer(self, x: str, mask, prefix: str, i: int, tc: TowerConfig, tag: str) -> str:
        """Pre-LayerNorm: x + attn(ln1(x)), then + mlp(ln2(x))."""
        b = self.b
        p, n = f"{prefix}.encoder.layers.{i}.", f"/{prefix}/encoder/layers.{i}"
        h = self.ln(x, p + "layer_norm1", f"{n}/layer_norm1", tc.eps)
        x = b.op("Add", [x, self.attention(h, mask, p, n, tc, tag)], f"{n}/Add")
        h = self.ln(x, p + "layer_norm2", f"{n}/layer_norm2", tc.eps)
        h = self.linear(h, p + "mlp.fc1", f"{n}/mlp/fc1")
        h = self.activation(h, tc.act, f"{n}/mlp")
        h = self.linear(h, p + "mlp.fc2", f"{n}/mlp/fc2")
        return b.op("Add", [x, h], f"{n}/Add_1")

    # ------------------------------------------------------------------ text tower
    def text_tower(self) -> str:
        b, tc = self.b, self.cfg.text
        one = self.const("const.int64.1", np.array(1, dtype=np.int64))
        zero = self.const("const.int64.0", np.array(0, dtype=np.int64))
        tok = b.op("Gather", [self.W("text_model.embeddings.token_embedding.weight"), "input_ids"],
                   "/text_model/embeddings/token_embedding/Gather", {"axis": {"i": 0}})
        shape = b.op("Shape", ["input_ids"], "/text_model/positions/Shape")
        seq = b.op("Gather", [shape, one], "/text_model/positions/Gather", {"axis": {"i": 0}})
        positions = b.op("Range", [zero, seq, one], "/text_model/positions/Range")
        pos = b.op("Gather", [self.W("text_model.embeddings.position_embedding.weight"), positions],
                   "/text_model/embeddings/position_embedding/Gather", {"axis": {"i": 0}})
        x = b.op("Add", [tok, pos], "/text_model/embeddings/Add")

        # Causal mask [S, S]: float32 min above the diagonal (HF's value), 0 elsewhere.
        rows = b.op("Unsqueeze", [positions, self.const("const.axes.1", np.array([1], dtype=np.int64))],
                    "/text_model/mask/Unsqueeze_rows")
        cols = b.op("Unsqueeze", [positions, self.const("const.axes.0", np.array([0], dtype=np.int64))],
                    "/text_model/mask/Unsqueeze_cols")
        future = b.op("Greater", [cols, rows], "/text_model/mask/Greater")
        future = b.op("Cast", [future], "/text_model/mask/Cast", {"to": {"i": 1}})
        mask = b.op("Mul", [future, self.const("const.float.min", np.array(np.finfo(np.float32).min, dtype=np.float32))],
                    "/text_model/mask/Mul")

        for i in range(tc.layers):
            x = self.layer(x, mask, "text_model", i, tc, "text")
        x = self.ln(x, "text_model.final_layer_norm", "/text_model/final_layer_norm", tc.eps)

        # Pool at the first position of the largest id (the EOS, <|endoftext|> = 49407).
        ids = b.op("Cast", ["input_ids"], "/text_model/pool/Cast", {"to": {"i": 1}})
        top = b.op("ReduceMax", [ids, self.const("const.axes.1", np.array([1], dtype=np.int64))], "/text_model/pool/ReduceMax", {"keepdims": {"i": 1}})
        hit = b.op("Equal", [ids, top], "/text_model/pool/Equal")
        hit_f = b.op("Cast", [hit], "/text_model/pool/Cast_1", {"to": {"i": 1}})
        count = b.op("CumSum", [hit_f, one], "/text_model/pool/CumSum")
        first = b.op("Equal", [count, self.const("const.float.1", np.array(1.0, dtype=np.float32))],
                     "/text_model/pool/Equal_1")
        first = b.op("And", [first, hit], "/text_model/pool/And")
        onehot = b.op("Cast", [first], "/text_model/pool/Cast_2", {"to": {"i": 1}})
        onehot = b.op("Unsqueeze", [onehot, self.const("const.axes.1", np.array([1], dtype=np.int64))], "/text_model/pool/Unsqueeze")
        pooled = b.op("MatMul", [onehot, x], "/text_model/pool/MatMul")
        pooled = b.op("Reshape", [pooled, self.const("const.text.shape.pooled",
                                                     np.array([-1, tc.hidden], dtype=np.int64))],
                      "/text_model/pool/Reshape")
        out = self.linear(pooled, "text_projection", "/text_projection", bias=False)
        self.b.nodes[-1]["outputs"] = ["text_features"]
        return "text_features"

    # ------------------------------------------------------------------ image tower
    def vision_tower(self) -> str:
        b, vc, cfg = self.b, self.cfg.vision, self.cfg
        P = cfg.patch_size
        patch_w = self.raw("vision_model.embeddings.patch_embedding.weight")
        if patch_w.shape != (vc.hidden, 3, P, P):
            raise ConvertError(f"{self.st_path}: patch_embedding.weight is {patch_w.shape}, expected "
                               f"{(vc.hidden, 3, P, P)}")
        if self.has("vision_model.embeddings.patch_embedding.bias"):
            raise ConvertError(f"{self.st_path}: a patch embedding with a bias is not CLIP's layout")
        x = b.op("Conv", ["pixel_values", self.W("vision_model.embeddings.patch_embedding.weight")],
                 "/vision_model/embeddings/patch_embedding/Conv",
                 {"kernel_shape": {"ints": [P, P]}, "strides": {"ints": [P, P]},
                  "pads": {"ints": [0, 0, 0, 0]}, "dilations": {"ints": [1, 1]}, "group": {"i": 1}})
        x = b.op("Reshape", [x, self.const("const.vision.shape.patches", np.array([0, vc.hidden, -1], dtype=np.int64))],
                 "/vision_model/embeddings/Reshape")
        x = b.op("Transpose", [x], "/vision_model/embeddings/Transpose", {"perm": {"ints": [0, 2, 1]}})
        x = b.op("Pad", [x, self.const("const.vision.pads.class", np.array([0, 1, 0, 0, 0, 0], dtype=np.int64))],
                 "/vision_model/embeddings/Pad", {"mode": {"s": "constant"}})
        cls = self.raw("vision_model.embeddings.class_embedding")
        pos = self.raw("vision_model.embeddings.position_embedding.weight")
        n_pos = (cfg.image_size // P) ** 2 + 1
        if pos.shape != (n_pos, vc.hidden) or cls.shape != (vc.hidden,):
            raise ConvertError(f"{self.st_path}: vision position_embedding {pos.shape} / class_embedding {cls.shape} "
                               f"do not fit image_size {cfg.image_size}, patch_size {P}, hidden {vc.hidden}")
        table = pos.copy()
        table[0] = cls + pos[0]
        x = b.op("Add", [x, self.const("vision_model.embeddings.class_and_positions", table)],
                 "/vision_model/embeddings/Add")
        x = self.ln(x, "vision_model.pre_layrnorm", "/vision_model/pre_layrnorm", vc.eps)
        for i in range(vc.layers):
            x = self.layer(x, None, "vision_model", i, vc, "vision")
        x = b.op("Gather", [x, self.const("const.int64.0", np.array(0, dtype=np.int64))],
                 "/vision_model/class_token/Gather", {"axis": {"i": 1}})
        x = self.ln(x, "vision_model.post_layernorm", "/vision_model/post_layernorm", vc.eps)
        self.linear(x, "visual_projection", "/visual_projection", bias=False)
        self.b.nodes[-1]["outputs"] = ["image_features"]
        return "image_features"


def build_clip(cfg: CLIPConfig, w: Dict[str, np.ndarray], st_path: str) -> Tuple[dict, Dict[str, np.ndarray]]:
    e = _Builder(cfg, w, st_path)
    e.text_tower()
    e.vision_tower()
    D, S = cfg.projection_dim, cfg.image_size
    graph = {
        "opset": 20,  # Gelu (exact) is opset 20; the rest keeps its opset-13+ meaning
        "inputs": [{"name": "input_ids", "dtype": "int64", "shape": ["batch", "sequence"]},
                   {"name": "pixel_values", "dtype": "float32", "shape": ["images", 3, S, S]}],
        "outputs": [{"name": "text_features", "dtype": "float32", "shape": ["batch", D]},
                    {"name": "image_features", "dtype": "float32", "shape": ["images", D]}],
        "nodes": e.b.nodes,
    }
    return graph, e.b.tensors
