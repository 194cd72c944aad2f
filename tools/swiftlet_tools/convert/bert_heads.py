"""Task heads on top of the BERT encoder graph (bert_graph.build_encoder), chosen by the
checkpoint's `architectures`:

  BertForMaskedLM                -> SPLADE: the MLM head's logits, log(1 + relu(x)) times the
                                    attention mask, max over tokens: one [batch, vocab] vector
                                    per text (pipeline kind "sparse-embedder")
  BertForSequenceClassification  -> the pooler (tanh of a dense layer on [CLS]) and the
                                    classifier: [batch, num_labels] logits (kind "reranker")

Each head takes the encoder (for its builder, config and checkpoint) and the last hidden state,
adds its nodes, and returns the graph outputs it defines."""

from typing import List, Tuple

import numpy as np

from .errors import ConvertError
from .numbers import json_float

MLM = "BertForMaskedLM"
SEQUENCE_CLASSIFICATION = "BertForSequenceClassification"
HEADS = (MLM, SEQUENCE_CLASSIFICATION)


def _key(e, key: str) -> str:
    """A checkpoint tensor's name outside the encoder prefix (the heads sit beside `bert.`);
    accepts gamma/beta for LayerNorm as the encoder does."""
    for k in (key, key.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")):
        if k in e.w:
            return k
    raise ConvertError(f"{e.st_path}: missing tensor {key!r} (needed by the {e.head} head)")


def _raw(e, key: str) -> np.ndarray:
    return e.w[_key(e, key)].astype(np.float32)


def _const(e, name: str, arr: np.ndarray) -> str:
    return name if name in e.b.tensors else e.b.const(name, np.ascontiguousarray(arr))


def _tensor(e, key: str) -> str:
    """A checkpoint tensor under its own name (so the converter's unused-tensor report sees it)."""
    k = _key(e, key)
    return _const(e, k, e.w[k].astype(np.float32))


def _linear(e, x: str, key: str, name: str) -> str:
    wt = _const(e, _key(e, key + ".weight") + ".T", _raw(e, key + ".weight").T)
    y = e.b.op("MatMul", [x, wt], name + "/MatMul")
    return e.b.op("Add", [y, _tensor(e, key + ".bias")], name + "/Add")


def splade_head(e, x: str) -> List[Tuple[str, list]]:
    """BertOnlyMLMHead (dense -> gelu -> LayerNorm -> decoder tied to the word embeddings,
    plus cls.predictions.bias), then SPLADE's max over tokens of log1p(relu(logits)) * mask."""
    b = e.b
    h = _linear(e, x, "cls.predictions.transform.dense", "/cls/predictions/transform/dense")
    h = b.op("Gelu", [h], "/cls/predictions/transform/Gelu", {"approximate": {"s": "none"}})
    g = _tensor(e, "cls.predictions.transform.LayerNorm.weight")
    be = _tensor(e, "cls.predictions.transform.LayerNorm.bias")
    h = b.op("LayerNormalization", [h, g, be], "/cls/predictions/transform/LayerNorm/LayerNormalization",
             {"axis": {"i": -1}, "epsilon": {"f": json_float(e.cfg.eps)}})
    # Tied decoder: checkpoints saved with tie_word_embeddings omit cls.predictions.decoder.weight.
    if "cls.predictions.decoder.weight" in e.w:
        dec = _const(e, "cls.predictions.decoder.weight.T", _raw(e, "cls.predictions.decoder.weight").T)
    else:
        word = e.prefix + "embeddings.word_embeddings.weight"
        dec = _const(e, word + ".T", e.w[word].astype(np.float32).T)
    bias = _tensor(e, "cls.predictions.bias")
    logits = b.op("MatMul", [h, dec], "/cls/predictions/decoder/MatMul")
    logits = b.op("Add", [logits, bias], "/cls/predictions/decoder/Add")
    a = b.op("Relu", [logits], "/splade/Relu")
    a = b.op("Add", [a, e.c_one_f], "/splade/Add")
    a = b.op("Log", [a], "/splade/Log")
    m = b.op("Cast", ["attention_mask"], "/splade/mask/Cast", {"to": {"i": 1}})
    c_axis2 = b.const("const.axes.2", np.array([2], dtype=np.int64))
    m = b.op("Unsqueeze", [m, c_axis2], "/splade/mask/Unsqueeze")
    a = b.op("Mul", [a, m], "/splade/Mul")
    c_axis1 = b.const("const.axes.1", np.array([1], dtype=np.int64))
    b.nodes.append({"name": "/splade/ReduceMax", "op": "ReduceMax", "inputs": [a, c_axis1],
                    "outputs": ["sparse_vector"], "attrs": {"keepdims": {"i": 0}}})
    vocab = int(e.w[e.prefix + "embeddings.word_embeddings.weight"].shape[0])
    return [("sparse_vector", ["batch", vocab])]


def classification_head(e, x: str) -> List[Tuple[str, list]]:
    """BertPooler (dense + tanh on the first token) and the classifier: [batch, num_labels]."""
    b = e.b
    c_zero = e.c_zero_i
    cls = b.op("Gather", [x, c_zero], "/pooler/Gather", {"axis": {"i": 1}})
    p = _linear(e, cls, e.prefix + "pooler.dense", "/pooler/dense")
    p = b.op("Tanh", [p], "/pooler/activation/Tanh")
    _linear(e, p, "classifier", "/classifier")
    b.nodes[-1]["outputs"] = ["logits"]
    labels = int(_raw(e, "classifier.bias").shape[0])
    return [("logits", ["batch", labels])]


def head_of(raw_cfg: dict):
    """(architecture, head builder) for a config.json, or (None, None) for a bare encoder."""
    archs = [a for a in raw_cfg.get("architectures") or [] if a in HEADS]
    if not archs:
        return None, None
    return archs[0], (splade_head if archs[0] == MLM else classification_head)
