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


def _check_output_rank(pipeline: Dict[str, Any], graph: dict, pooling: str) -> None:
    """pooling "none" reads a graph that pools itself ([batch, hidden]); the others pool token
    vectors ([batch, sequence, hidden]). A mismatch would only show at the first embed call."""
    name = pipeline.get("output", graph["outputs"][0]["name"])
    shape = next(o.get("shape") for o in graph["outputs"] if o["name"] == name)
    if shape is None:
        return
    want = 2 if pooling == "none" else 3
    if len(shape) != want:
        what = "a pooled [batch, hidden]" if want == 2 else "a token-vector [batch, sequence, hidden]"
        raise ConvertError(f"pipeline output {name!r} has rank {len(shape)} but pooling {pooling!r} needs {what} output")


def check(pipeline: Dict[str, Any], graph: dict, blobs: Dict[str, bytes]) -> None:
    if pipeline.get("kind") in ("sparse-embedder", "reranker"):
        outs = {o["name"]: o for o in graph["outputs"]}
        name = pipeline.get("output", graph["outputs"][0]["name"])
        if name not in outs:
            raise ConvertError(f"pipeline output {name!r} is not a graph output ({', '.join(outs)})")
        shape = outs[name].get("shape")
        if shape is not None and len(shape) != 2:
            raise ConvertError(f"{pipeline['kind']} output {name!r} must be [batch, n], has rank {len(shape)}")
        if "tokenizer.json" not in blobs:
            raise ConvertError(f"a {pipeline['kind']} needs its tokenizer.json (pass --tokenizer)")
    if pipeline.get("kind") == "embedder":
        outs = [o["name"] for o in graph["outputs"]]
        if pipeline.get("output", outs[0]) not in outs:
            raise ConvertError(f"pipeline output {pipeline['output']!r} is not a graph output ({', '.join(outs)})")
        pooling = pipeline.get("pooling", "mean")
        if pooling not in ("mean", "cls", "max", "none"):
            raise ConvertError(f"pipeline pooling {pooling!r} must be mean, cls, max or none (the graph pools)")
        _check_output_rank(pipeline, graph, pooling)
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
