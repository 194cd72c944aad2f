"""The pipeline config: the route's defaults, a --pipeline file over them, then checks."""

from typing import Any, Dict, List, Optional

from ..files import read_json
from .errors import ConvertError, warn


def apply_override(pipeline: Dict[str, Any], path: Optional[str], sources: List[str]) -> None:
    if not path:
        return
    override = read_json(path, "pipeline file")
    if not isinstance(override, dict):
        raise ConvertError(f"{path}: expected a JSON object")
    pipeline.update(override)
    sources.append(path)


def check(pipeline: Dict[str, Any], graph: dict, blobs: Dict[str, bytes]) -> None:
    if pipeline.get("kind") == "embedder":
        outs = [o["name"] for o in graph["outputs"]]
        if pipeline.get("output", outs[0]) not in outs:
            raise ConvertError(f"pipeline output {pipeline['output']!r} is not a graph output ({', '.join(outs)})")
        if pipeline.get("pooling", "mean") not in ("mean", "cls", "max"):
            raise ConvertError(f"pipeline pooling {pipeline['pooling']!r} must be mean, cls or max")
        if "tokenizer.json" not in blobs:
            warn("embedder pipeline without a tokenizer (pass --tokenizer)")
    if pipeline.get("kind") == "static-embedder" and "tokenizer.json" not in blobs:
        raise ConvertError("a static-embedder needs its tokenizer.json")
