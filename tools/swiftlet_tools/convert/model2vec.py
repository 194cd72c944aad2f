"""The --model2vec route: a Model2Vec static model's lookup tables, no graph nodes.

Mirrors model2vec.StaticModel.encode: tokenize without special tokens (after cutting
the text to max_length * median-token-length characters, and truncating to max_length
tokens), drop the unk id, look rows up through `mapping` (if present), scale each row
by `weights[token id]` (if present), mean, L2-normalize (if config says so)."""

import os
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from ..files import read_json
from ..swl.arrays import swl_dtype
from .errors import ConvertError, info, warn
from .safetensors import load_safetensors


def tokenizer_unk_id(tok: dict) -> Optional[int]:
    """The id model2vec drops from every encoding (model2vec.model._get_unk_token_id).

    Unigram: the model's declared unk_id, whatever piece sits there; WordPiece/BPE/
    WordLevel: the id of the unk_token string, if it is in the vocabulary."""
    model = tok.get("model") or {}
    if model.get("type") == "Unigram":
        u = model.get("unk_id")
        return int(u) if u is not None else None
    unk = model.get("unk_token")
    if unk is None:
        return None
    vocab = model.get("vocab")
    if isinstance(vocab, dict) and unk in vocab:
        return int(vocab[unk])
    for t in tok.get("added_tokens") or []:
        if t.get("content") == unk:
            return int(t["id"])
    return None


def tokenizer_pieces(tok: dict) -> List[str]:
    """Every token string, for model2vec's median token length."""
    model = tok.get("model") or {}
    vocab = model.get("vocab")
    by_id: Dict[int, str] = {}
    if isinstance(vocab, list):  # Unigram: [[piece, score], ...]
        by_id = {i: e[0] for i, e in enumerate(vocab)}
    elif isinstance(vocab, dict):
        by_id = {int(i): t for t, i in vocab.items()}
    else:
        raise ConvertError("tokenizer.json model has no vocabulary")
    for t in tok.get("added_tokens") or []:
        by_id[int(t["id"])] = t["content"]
    return [by_id[i] for i in sorted(by_id)]


def _embeddings(w: Dict[str, np.ndarray], st_path: str) -> Tuple[str, np.ndarray]:
    name = "embeddings" if "embeddings" in w else "embedding.weight" if "embedding.weight" in w else None
    if name is None:
        raise ConvertError(f"{st_path}: no 'embeddings' tensor (has {', '.join(sorted(w))})")
    emb = w[name]
    if emb.ndim != 2 or emb.dtype not in (np.int8, np.float32):
        raise ConvertError(f"{st_path}: embeddings must be a 2-D int8 or float32 matrix, got {emb.dtype} {emb.shape} "
                           f"(model2vec computes float16 models in float16, which the engine does not reproduce)")
    return name, emb


def _mapping(w, emb: np.ndarray, n_tokens: int, st_path: str) -> Optional[np.ndarray]:
    """Token id -> embedding row, for vocabularies that share rows."""
    mapping = w.get("mapping")
    if mapping is None:
        if emb.shape[0] != n_tokens:
            raise ConvertError(f"{st_path}: {emb.shape[0]} embedding rows for {n_tokens} tokens and no mapping")
        return None
    mapping = np.ascontiguousarray(mapping.astype(np.int64))
    if mapping.shape != (n_tokens,):
        raise ConvertError(f"{st_path}: mapping has shape {mapping.shape}, expected ({n_tokens},) (one row per token)")
    if mapping.min() < 0 or mapping.max() >= emb.shape[0]:
        raise ConvertError(f"{st_path}: mapping values must lie in [0, {emb.shape[0]})")
    return mapping


def _weights(w, n_tokens: int, st_path: str) -> Optional[np.ndarray]:
    weights = w.get("weights")
    if weights is None:
        return None
    weights = np.ascontiguousarray(weights.astype(np.float32))
    if weights.shape != (n_tokens,):
        raise ConvertError(f"{st_path}: weights has shape {weights.shape}, expected ({n_tokens},)")
    return weights


def _read_sources(d: str, sources: List[str]) -> Tuple[dict, str, dict]:
    """(config, safetensors path, tokenizer.json) of the directory."""
    if not os.path.isdir(d):
        raise ConvertError(f"--model2vec: not a directory: {d}")
    cfg_path = os.path.join(d, "config.json")
    cfg = read_json(cfg_path, "config.json") if os.path.isfile(cfg_path) else {}
    if os.path.isfile(cfg_path):
        sources.append(cfg_path)
    st_path = os.path.join(d, "model.safetensors")
    if not os.path.isfile(st_path):
        raise ConvertError(f"{st_path} not found")
    sources.append(st_path)
    tok = read_json(os.path.join(d, "tokenizer.json"), "tokenizer.json")
    return cfg, st_path, tok


def convert_model2vec(d: str, sources: List[str]) -> Tuple[dict, Dict[str, np.ndarray], dict]:
    """A Model2Vec directory (config.json, model.safetensors, tokenizer.json) -> (graph, tensors, pipeline)."""
    cfg, st_path, tok = _read_sources(d, sources)
    w = load_safetensors(st_path)  # int8 stays int8: model2vec reads the raw values
    name, emb = _embeddings(w, st_path)
    pieces = tokenizer_pieces(tok)
    n_tokens = len(pieces)
    tensors: Dict[str, np.ndarray] = {"embeddings": emb}
    mapping = _mapping(w, emb, n_tokens, st_path)
    if mapping is not None:
        tensors["mapping"] = mapping
    weights = _weights(w, n_tokens, st_path)
    if weights is not None:
        tensors["weights"] = weights
    extra = sorted(set(w) - {name, "mapping", "weights"})
    if extra:
        warn(f"tensors not used by model2vec's encode: {', '.join(extra)}")

    max_length = cfg.get("max_length", 512)
    median_len = int(np.median([len(p) for p in pieces]))
    pipeline: Dict[str, Any] = {"kind": "static-embedder", "normalize": bool(cfg.get("normalize", False))}
    if max_length is not None:
        pipeline["max_length"] = int(max_length)
        pipeline["max_chars"] = int(max_length) * median_len
    unk = tokenizer_unk_id(tok)
    pipeline["skip_ids"] = [unk] if unk is not None else []
    graph = {"opset": 17, "inputs": [],
             "outputs": [{"name": k, "dtype": swl_dtype(v, k), "shape": [int(x) for x in v.shape]}
                         for k, v in tensors.items()],
             "nodes": []}
    info(f"model2vec: {emb.shape[0]} rows x {emb.shape[1]} ({emb.dtype}), {n_tokens} tokens, "
         f"mapping={'yes' if mapping is not None else 'no'}, weights={'yes' if weights is not None else 'no'}, "
         f"skip ids {pipeline['skip_ids']}, median token length {median_len}")
    return graph, tensors, pipeline
