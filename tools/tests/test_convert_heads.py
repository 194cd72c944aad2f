"""The converter's task heads and pipeline checks (issue 18): which head an HF config picks,
the CrossEncoder activation, one-label rerankers only, and output ranks that match the
pipeline's pooling."""

import pytest

from swiftlet_tools.convert.bert_heads import MLM, SEQUENCE_CLASSIFICATION, classification_head, head_of, splade_head
from swiftlet_tools.convert.errors import ConvertError
from swiftlet_tools.convert.hf_config import encoder_config
from swiftlet_tools.convert.pipeline import check
from swiftlet_tools.convert.st_pipeline import _sigmoid, head_pipeline

BERT = {"model_type": "bert", "hidden_size": 8, "num_attention_heads": 2, "num_hidden_layers": 1}


def test_head_follows_architectures():
    assert head_of({"architectures": ["BertForMaskedLM"]}) == (MLM, splade_head)
    assert head_of({"architectures": ["BertForSequenceClassification"]}) == (SEQUENCE_CLASSIFICATION, classification_head)
    assert head_of({"architectures": ["BertModel"]}) == (None, None)
    assert head_of({}) == (None, None)


def test_cross_encoder_activation():
    assert _sigmoid({}, 1) is True  # sentence-transformers' default for one label
    assert _sigmoid({"sentence_transformers": {"activation_fn": "torch.nn.modules.activation.Sigmoid"}}, 1)
    assert not _sigmoid({"sentence_transformers": {"activation_fn": "torch.nn.modules.linear.Identity"}}, 1)
    assert not _sigmoid({"sbert_ce_default_activation_function": "torch.nn.modules.linear.Identity"}, 1)
    with pytest.raises(ConvertError, match="not supported"):
        _sigmoid({"sentence_transformers": {"activation_fn": "torch.nn.modules.activation.Tanh"}}, 1)


def test_reranker_needs_one_label(tmp_path):
    cfg = encoder_config(BERT, "config.json")
    raw = dict(BERT, id2label={"0": "a", "1": "b"})
    with pytest.raises(ConvertError, match="exactly one output logit"):
        head_pipeline(str(tmp_path), cfg, raw, SEQUENCE_CLASSIFICATION, [])
    p = head_pipeline(str(tmp_path), cfg, dict(BERT, id2label={"0": "LABEL_0"}), SEQUENCE_CLASSIFICATION, [])
    assert p == {"kind": "reranker", "max_length": 512, "output": "logits", "sigmoid": True}
    assert head_pipeline(str(tmp_path), cfg, BERT, MLM, [])["kind"] == "sparse-embedder"


def graph(shape):
    return {"outputs": [{"name": "y", "dtype": "float32", "shape": shape}]}


def test_pooling_none_needs_a_pooled_output():
    blobs = {"tokenizer.json": b"{}"}
    check({"kind": "embedder", "pooling": "none", "output": "y"}, graph(["b", 384]), blobs)
    with pytest.raises(ConvertError, match="needs a pooled"):
        check({"kind": "embedder", "pooling": "none", "output": "y"}, graph(["b", "s", 384]), blobs)
    with pytest.raises(ConvertError, match="token-vector"):
        check({"kind": "embedder", "pooling": "mean", "output": "y"}, graph(["b", 384]), blobs)
    with pytest.raises(ConvertError, match="must be mean, cls, max or none"):
        check({"kind": "embedder", "pooling": "sum", "output": "y"}, graph(["b", 384]), blobs)


def test_sparse_and_reranker_outputs_are_rank_two():
    blobs = {"tokenizer.json": b"{}"}
    check({"kind": "sparse-embedder", "output": "y"}, graph(["b", 30522]), blobs)
    with pytest.raises(ConvertError, match="must be \\[batch, n\\]"):
        check({"kind": "reranker", "output": "y"}, graph(["b", "s", 1]), blobs)
    with pytest.raises(ConvertError, match="needs its tokenizer"):
        check({"kind": "reranker", "output": "y"}, graph(["b", 1]), {})
