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
    if pipeline.get("kind") == "ocr-orientation":
        check_orientation(pipeline)


def check_orientation(p: Dict[str, Any]) -> None:
    """The page-orientation classifier's preprocessing, as Swiftlet's DocumentOrientation reads it."""
    def positive_int(k):
        v = p.get(k)
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            raise ConvertError(f"ocr-orientation pipeline needs {k} as a positive integer, got {v!r}")
        return v
    if positive_int("crop") > positive_int("resize_short"):
        raise ConvertError("ocr-orientation pipeline: crop is larger than resize_short")
    if p.get("interpolation", "lanczos4") != "lanczos4":
        raise ConvertError(f"ocr-orientation pipeline: interpolation {p['interpolation']!r} is not supported (lanczos4)")
    if p.get("channel_order", "bgr") not in ("bgr", "rgb"):
        raise ConvertError(f"ocr-orientation pipeline: channel_order {p['channel_order']!r} must be bgr or rgb")
    for k in ("mean", "std"):
        v = p.get(k)
        if not (isinstance(v, list) and len(v) == 3 and all(isinstance(x, (int, float)) for x in v)):
            raise ConvertError(f"ocr-orientation pipeline needs {k} as three numbers, got {v!r}")
    if any(x == 0 for x in p["std"]):
        raise ConvertError("ocr-orientation pipeline: std has a zero")
