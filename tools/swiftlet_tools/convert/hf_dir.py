"""The --hf-dir route: a Hugging Face BERT/RoBERTa/XLM-R checkpoint (config.json +
model.safetensors + sentence-transformers files) built into an encoder graph."""

import os
from typing import Dict, List, Tuple

import numpy as np

from ..files import read_json
from .bert_graph import build_encoder, checkpoint_prefix
from .bert_heads import head_of
from .errors import ConvertError, info
from .hf_config import encoder_config
from .safetensors import load_safetensors
from .st_pipeline import embedder_pipeline, head_pipeline


def convert_hf_dir(d: str, sources: List[str]) -> Tuple[dict, Dict[str, np.ndarray], dict, dict]:
    """Returns (graph, tensors, pipeline, extra provenance); appends the files read to `sources`."""
    if not os.path.isdir(d):
        raise ConvertError(f"--hf-dir: not a directory: {d}")
    cfg_path = os.path.join(d, "config.json")
    raw_cfg = read_json(cfg_path, "config.json")
    sources.append(cfg_path)
    if isinstance(raw_cfg, dict) and raw_cfg.get("model_type") == "clip":
        from .clip_hf import convert_clip
        return convert_clip(d, raw_cfg, cfg_path, sources)
    cfg = encoder_config(raw_cfg, cfg_path)

    st_path = os.path.join(d, "model.safetensors")
    if not os.path.isfile(st_path):
        raise ConvertError(f"{st_path} not found (only safetensors checkpoints are supported)")
    sources.append(st_path)
    w = load_safetensors(st_path)
    arch, head = head_of(raw_cfg)
    if arch is not None and cfg.model_type != "bert":
        raise ConvertError(f"{cfg_path}: {arch} is supported for model_type 'bert', not {cfg.model_type!r}")
    graph, tensors = build_encoder(cfg, w, checkpoint_prefix(w, st_path), st_path, head, arch or "")
    pipeline = head_pipeline(d, cfg, raw_cfg, arch, sources) if arch else embedder_pipeline(d, cfg, sources)

    dropped = sorted(k for k in w if k not in tensors and k + ".T" not in tensors)
    if dropped:
        info(f"checkpoint tensors not used by the graph: {', '.join(dropped)}")
    info(f"hf-dir: {cfg.model_type}{' ' + arch if arch else ''}, {cfg.layers} layers, hidden {cfg.hidden}, {cfg.heads} heads, "
         f"{len(graph['nodes'])} nodes, {len(tensors)} tensors")
    extra = {"model_type": cfg.model_type}
    if arch:
        extra["architecture"] = arch
    return graph, tensors, pipeline, extra
