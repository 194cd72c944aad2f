"""The pipeline of an ONNX export from the Hugging Face directory it was exported from
(`--onnx model.onnx --config-dir DIR`): config.json's architecture picks the pipeline kind as
it does for --hf-dir, so an exported cross-encoder becomes the same `reranker` (max_length from
the sentence-transformers/tokenizer files, sigmoid from sentence-transformers' activation_fn)
without a hand-written --pipeline file. The graph itself is the ONNX file's; DIR's weights are
not read."""

import os
from typing import Any, Dict, List, Tuple

from ..files import read_json
from .bert_heads import SEQUENCE_CLASSIFICATION
from .errors import ConvertError
from .hf_config import encoder_config
from .st_pipeline import head_pipeline

CLASSIFIER_SUFFIX = "ForSequenceClassification"


def _classifier(raw: dict) -> str:
    return next((a for a in raw.get("architectures") or [] if a.endswith(CLASSIFIER_SUFFIX)), "")


def _logits_output(pipeline: Dict[str, Any], graph: dict, path: str) -> str:
    """The reranker reads `logits`; an export that named its one output otherwise is read there."""
    outs = [o["name"] for o in graph["outputs"]]
    if pipeline["output"] in outs:
        return pipeline["output"]
    if len(outs) == 1:
        return outs[0]
    raise ConvertError(f"{path}: no output named {pipeline['output']!r} and more than one output "
                       f"({', '.join(outs)}); name the scores output in a --pipeline file (\"output\")")


def onnx_dir_pipeline(d: str, graph: dict, onnx_path: str, sources: List[str]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """(pipeline, extra provenance) for the ONNX graph `graph` exported from directory `d`."""
    if not os.path.isdir(d):
        raise ConvertError(f"--config-dir: not a directory: {d}")
    cfg_path = os.path.join(d, "config.json")
    raw = read_json(cfg_path, "config.json")
    if not isinstance(raw, dict):
        raise ConvertError(f"{cfg_path}: expected a JSON object")
    sources.append(cfg_path)
    if raw.get("model_type") == "clip":
        raise ConvertError(f"{cfg_path} is a CLIPModel: pass the text tower as --onnx and the image tower as "
                           f"--onnx-vision")
    arch = _classifier(raw)
    if not arch:
        archs = ", ".join(raw.get("architectures") or []) or "none"
        raise ConvertError(f"{cfg_path}: architectures {archs}: --config-dir makes a reranker from a "
                           f"*{CLASSIFIER_SUFFIX} export; for other ONNX models pass --tokenizer and --pipeline "
                           f"(tools/pipelines/*.json), or convert the checkpoint with --hf-dir")
    cfg = encoder_config(raw, cfg_path)
    pipeline = head_pipeline(d, cfg, raw, SEQUENCE_CLASSIFICATION, sources)
    pipeline["output"] = _logits_output(pipeline, graph, onnx_path)
    return pipeline, {"model_type": cfg.model_type, "architecture": arch}
