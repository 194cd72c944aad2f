"""The --onnx route for CLIP's two towers exported separately:

    convert.py --onnx TEXT.onnx --onnx-vision VISION.onnx --config-dir DIR --out clip.swl

Each file goes through the ordinary ONNX route (onnx_route.py); the two graphs then become one
with the entry points the --hf-dir route builds (input_ids -> text_features, pixel_values ->
image_features: docs/FORMAT.md, "Graphs with several entry points"), so ImageEmbedder, the
CLI and the C ABI take either file alike. The `clip` pipeline (context length, image
preprocessing) comes from DIR's config.json and preprocessor_config.json, as for --hf-dir;
DIR's weights are not read.

What a tower file may look like: the text tower reads int64 `input_ids` [batch, sequence]
(and optionally `attention_mask`), the image tower one float32 [images, 3, S, S] input; each
has one float32 [n, D] output that is the projected embedding before normalisation (e.g.
transformers' CLIPTextModelWithProjection `text_embeds` / CLIPVisionModelWithProjection
`image_embeds`). Other outputs (last_hidden_state, ...) are dropped with the nodes only they
need."""

import os
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from ..files import read_json
from .clip_graph import clip_config
from .clip_hf import clip_pipeline
from .errors import ConvertError, info
from .graph_merge import Part, merged, prefixed, pruned
from .onnx_route import convert_onnx

TEXT_NAMES = ("text_embeds", "text_features")
IMAGE_NAMES = ("image_embeds", "image_features")
MASK_DTYPES = {"int64": np.int64, "int32": np.int32, "float32": np.float32, "bool": np.bool_}


def _embedding_output(part: Part, path: str, names: Tuple[str, ...], what: str) -> dict:
    outs = part.graph["outputs"]
    named = [o for o in outs if o["name"] in names]
    if named:
        return named[0]
    pooled = [o for o in outs if o["dtype"] == "float32" and o.get("shape") is not None and len(o["shape"]) == 2]
    if len(pooled) == 1:
        return pooled[0]
    listed = ", ".join(f"{o['name']} {o['dtype']} {o.get('shape')}" for o in outs)
    raise ConvertError(f"{path}: cannot tell which output is the {what} tower's projected embedding (need one "
                       f"float32 [n, dim] output, or one named {' or '.join(names)}); outputs: {listed}")


def _projection_dim(row: dict, path: str) -> Optional[int]:
    d = row["shape"][-1] if row.get("shape") else None
    if row.get("shape") is not None and len(row["shape"]) != 2:
        raise ConvertError(f"{path}: output {row['name']!r} has shape {row['shape']}, expected [n, dim]")
    return d if isinstance(d, int) else None


def _text_inputs(part: Part, path: str) -> Tuple[dict, Optional[dict]]:
    """(the ids input, the attention_mask input or None)."""
    ins = part.graph["inputs"]
    mask = next((r for r in ins if r["name"] == "attention_mask"), None)
    ids = [r for r in ins if r["name"] == "input_ids"] or [r for r in ins if r is not mask and r["dtype"] == "int64"]
    others = [r["name"] for r in ins if r is not mask and (not ids or r is not ids[0])]
    if len(ids) != 1 or others:
        raise ConvertError(f"{path}: the text tower must read input_ids (int64 [batch, sequence]) and at most an "
                           f"attention_mask; its inputs are {', '.join(r['name'] for r in ins)}")
    if ids[0]["dtype"] != "int64" or len(ids[0]["shape"]) != 2:
        raise ConvertError(f"{path}: text input {ids[0]['name']!r} is {ids[0]['dtype']} {ids[0]['shape']}; "
                           f"Swiftlet feeds int64 [batch, sequence] ids")
    return ids[0], mask


def _all_ones_mask(part: Part, ids: str, mask: dict, path: str) -> Part:
    """The text tower's attention_mask made inside the graph, all ones, shaped like the ids.
    CLIP's text tower is causal and pools at the end token, and Swiftlet pads only after it,
    so no position the pooled vector depends on ever attends to padding: all ones gives the
    same vectors, and the entry point keeps one input as the --hf-dir graph's does."""
    dt = MASK_DTYPES.get(mask["dtype"])
    if dt is None:
        raise ConvertError(f"{path}: attention_mask is {mask['dtype']}; supported: {', '.join(MASK_DTYPES)}")
    one, shape = "swiftlet/attention_mask/one", "swiftlet/attention_mask/shape"
    nodes = [{"name": "swiftlet/attention_mask/Shape", "op": "Shape", "inputs": [ids], "outputs": [shape], "attrs": {}},
             {"name": "swiftlet/attention_mask/ConstantOfShape", "op": "ConstantOfShape", "inputs": [shape],
              "outputs": [mask["name"]], "attrs": {"value": {"t": one}}}]
    graph = {**part.graph, "inputs": [r for r in part.graph["inputs"] if r is not mask],
             "nodes": nodes + part.graph["nodes"]}
    info(f"{os.path.basename(path)}: attention_mask is made in the graph (all ones: the tower is causal and pools "
         f"at the end token, which padding follows)")
    return Part(graph, {**part.tensors, one: np.ones([1], dtype=dt)})


def _text_tower(path: str, sources: List[str]) -> Tuple[Part, Dict[str, str], Optional[int], dict, dict]:
    graph, tensors, metadata, _, promoted = convert_onnx(path)
    sources.append(path)
    part = Part(graph, tensors)
    ids, mask = _text_inputs(part, path)
    out = _embedding_output(part, path, TEXT_NAMES, "text")
    part = pruned(Part({**graph, "outputs": [out]}, tensors))
    if mask is not None and any(r["name"] == mask["name"] for r in part.graph["inputs"]):
        part = _all_ones_mask(part, ids["name"], mask, path)
    keep = {ids["name"]: "input_ids", out["name"]: "text_features"}
    return part, keep, _projection_dim(out, path), metadata, promoted


def _vision_tower(path: str, image_size: int, sources: List[str]) -> Tuple[Part, Dict[str, str], Optional[int], dict, dict]:
    graph, tensors, metadata, _, promoted = convert_onnx(path)
    sources.append(path)
    ins = graph["inputs"]
    if len(ins) != 1 or ins[0]["dtype"] != "float32" or len(ins[0]["shape"]) != 4:
        raise ConvertError(f"{path}: the image tower must read one float32 [images, 3, S, S] input; its inputs are "
                           + ", ".join(f"{r['name']} {r['dtype']} {r['shape']}" for r in ins))
    want = [3, image_size, image_size]
    fixed = [d if isinstance(d, int) else None for d in ins[0]["shape"][1:]]
    if any(f is not None and f != w for f, w in zip(fixed, want)):
        raise ConvertError(f"{path}: input {ins[0]['name']!r} is {ins[0]['shape']}, but config.json says images are "
                           f"[3, {image_size}, {image_size}]")
    out = _embedding_output(Part(graph, tensors), path, IMAGE_NAMES, "image")
    part = pruned(Part({**graph, "outputs": [out]}, tensors))
    keep = {ins[0]["name"]: "pixel_values", out["name"]: "image_features"}
    return part, keep, _projection_dim(out, path), metadata, promoted


def convert_clip_onnx(text_path: str, vision_path: str, config_dir: str, sources: List[str]
                      ) -> Tuple[dict, Dict[str, np.ndarray], Dict[str, Any], Dict[str, str], Dict[str, Any]]:
    """Returns (graph, tensors, pipeline, metadata, extra provenance)."""
    cfg_path = os.path.join(config_dir, "config.json")
    raw = read_json(cfg_path, "config.json")
    if not isinstance(raw, dict) or raw.get("model_type") != "clip":
        raise ConvertError(f"{cfg_path}: --onnx-vision needs the CLIPModel config.json (model_type 'clip') the "
                           f"towers were exported from")
    sources.append(cfg_path)
    cfg = clip_config(raw, cfg_path)
    text, text_keep, text_dim, text_meta, text_promoted = _text_tower(text_path, sources)
    vision, vision_keep, vision_dim, vision_meta, vision_promoted = _vision_tower(vision_path, cfg.image_size, sources)
    dims = {d for d in (text_dim, vision_dim, cfg.projection_dim) if d is not None}
    if len(dims) != 1:
        raise ConvertError(f"the towers do not share one embedding space: text {text_dim}, image {vision_dim}, "
                           f"config.json projection_dim {cfg.projection_dim}")
    part = merged([("text", prefixed(text, "text/", text_keep)), ("image", prefixed(vision, "vision/", vision_keep))])
    pipeline = clip_pipeline(config_dir, cfg, sources)
    info(f"onnx: clip, text tower {os.path.basename(text_path)} + image tower {os.path.basename(vision_path)}, "
         f"projection {cfg.projection_dim}, {len(part.graph['nodes'])} nodes, {len(part.tensors)} tensors")
    extra: Dict[str, Any] = {"model_type": "clip", **text_promoted, **vision_promoted}
    return part.graph, part.tensors, pipeline, {**text_meta, **vision_meta}, extra
