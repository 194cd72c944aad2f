"""The embedder pipeline config from a checkpoint's sentence-transformers files
(modules.json, pooling config, sentence_bert_config.json, config_sentence_transformers.json)."""

import os
from typing import Any, Dict, List, Optional

from ..files import read_json
from .errors import ConvertError, warn
from .hf_config import EncoderConfig

_POOLING_MODES = (("pooling_mode_mean_tokens", "mean"), ("pooling_mode_cls_token", "cls"),
                  ("pooling_mode_max_tokens", "max"))
_UNSUPPORTED_POOLING = ("pooling_mode_mean_sqrt_len_tokens", "pooling_mode_weightedmean_tokens",
                        "pooling_mode_lasttoken")


def _modules(d: str, sources: List[str]) -> list:
    path = os.path.join(d, "modules.json")
    if not os.path.isfile(path):
        return []
    sources.append(path)
    return read_json(path, "modules.json")


def _pooling(d: str, modules: list, sources: List[str]) -> str:
    pool_dir = None
    for mod in modules:
        if mod.get("type", "").endswith("models.Pooling"):
            pool_dir = mod.get("path") or "1_Pooling"
    pool_path = os.path.join(d, pool_dir or "1_Pooling", "config.json")
    if not os.path.isfile(pool_path):
        warn("no sentence-transformers pooling config; defaulting to pooling=mean, normalize=false")
        return "mean"
    pc = read_json(pool_path, "pooling config")
    sources.append(pool_path)
    modes = [mname for key, mname in _POOLING_MODES if pc.get(key)]
    unsupported = [k for k in _UNSUPPORTED_POOLING if pc.get(k)]
    if unsupported or len(modes) != 1:
        raise ConvertError(f"{pool_path}: unsupported pooling combination "
                           f"({', '.join(modes + unsupported) or 'none'}); need exactly one of mean/cls/max")
    return modes[0]


def _tokenizer_max_length(d: str, sources: List[str]) -> Optional[int]:
    tc_path = os.path.join(d, "tokenizer_config.json")
    if not os.path.isfile(tc_path):
        return None
    tc = read_json(tc_path, "tokenizer_config.json")
    sources.append(tc_path)
    v = tc.get("model_max_length")
    return int(v) if isinstance(v, (int, float)) and v < 1e9 else None


def _max_length(d: str, cfg: EncoderConfig, sources: List[str]) -> int:
    """sentence-transformers' max_seq_length, else the tokenizer's, clamped to the positions."""
    max_length = None
    sbc_path = os.path.join(d, "sentence_bert_config.json")
    if os.path.isfile(sbc_path):
        sbc = read_json(sbc_path, "sentence_bert_config.json")
        sources.append(sbc_path)
        if sbc.get("max_seq_length"):
            max_length = int(sbc["max_seq_length"])
    model_limit = cfg.max_positions
    if max_length is None:
        tok_max = _tokenizer_max_length(d, sources)
        max_length = min(tok_max, model_limit) if tok_max else model_limit
    if max_length > model_limit:
        warn(f"max_length {max_length} exceeds the model's {model_limit} positions; clamping")
        max_length = model_limit
    return max_length


def _prompts(d: str, pipeline: Dict[str, Any], sources: List[str]) -> None:
    """e5-style query/passage prefixes."""
    cst_path = os.path.join(d, "config_sentence_transformers.json")
    if not os.path.isfile(cst_path):
        return
    cst = read_json(cst_path, "config_sentence_transformers.json")
    sources.append(cst_path)
    prompts = cst.get("prompts") or {}
    if isinstance(prompts, dict):
        if prompts.get("query"):
            pipeline["query_prefix"] = prompts["query"]
        for key in ("passage", "document"):
            if prompts.get(key):
                pipeline["passage_prefix"] = prompts[key]
                break


def embedder_pipeline(d: str, cfg: EncoderConfig, sources: List[str]) -> Dict[str, Any]:
    pipeline: Dict[str, Any] = {"kind": "embedder"}
    modules = _modules(d, sources)
    pipeline["pooling"] = _pooling(d, modules, sources)
    pipeline["normalize"] = any(mod.get("type", "").endswith("models.Normalize") for mod in modules)
    pipeline["max_length"] = _max_length(d, cfg, sources)
    pipeline["output"] = "last_hidden_state"
    _prompts(d, pipeline, sources)
    return pipeline


def _sigmoid(raw_cfg: Dict[str, Any], labels: int) -> bool:
    """sentence-transformers' CrossEncoder activation: config.json's
    sentence_transformers.activation_fn (or the pre-v4 sbert_ce_default_activation_function);
    without one, Sigmoid for a single label, else Identity."""
    st = raw_cfg.get("sentence_transformers") or {}
    path = st.get("activation_fn") or raw_cfg.get("sbert_ce_default_activation_function")
    if path is None:
        return labels == 1
    if path.endswith(".Sigmoid"):
        return True
    if path.endswith(".Identity"):
        return False
    raise ConvertError(f"CrossEncoder activation {path!r} is not supported (Sigmoid or Identity)")


def head_pipeline(d: str, cfg: EncoderConfig, raw_cfg: Dict[str, Any], arch: str, sources: List[str]) -> Dict[str, Any]:
    """BertForMaskedLM: a SPLADE sparse embedder; BertForSequenceClassification: a reranker."""
    from .bert_heads import MLM
    max_length = _max_length(d, cfg, sources)
    if arch == MLM:
        return {"kind": "sparse-embedder", "max_length": max_length, "output": "sparse_vector"}
    labels = len(raw_cfg.get("id2label") or {}) or int(raw_cfg.get("num_labels", 2))
    if labels != 1:
        raise ConvertError(f"{arch} with {labels} labels: a reranker needs exactly one output logit (num_labels 1)")
    return {"kind": "reranker", "max_length": max_length, "output": "logits", "sigmoid": _sigmoid(raw_cfg, labels)}
