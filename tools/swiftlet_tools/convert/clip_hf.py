"""The --hf-dir route for a Hugging Face `CLIPModel` checkpoint (config.json with
model_type "clip", model.safetensors, tokenizer.json, preprocessor_config.json): both towers
in one graph (clip_graph.py) and the `clip` pipeline (docs/FORMAT.md, "The clip pipeline")."""

import os
from typing import Any, Dict, List, Tuple

import numpy as np

from ..files import read_json
from .clip_graph import CLIPConfig, build_clip, clip_config
from .errors import ConvertError, info
from .safetensors import load_safetensors

# CLIPImageProcessor's defaults (OpenAI CLIP's values), used when preprocessor_config.json
# leaves one out.
DEFAULT_IMAGE = {"shortest_edge": 224, "crop": [224, 224], "resample": "bicubic", "rescale": 1 / 255,
                 "mean": [0.48145466, 0.4578275, 0.40821073], "std": [0.26862954, 0.26130258, 0.27577711]}
PIL_BICUBIC = 3


def image_pipeline(d: str, image_size: int, sources: List[str]) -> Dict[str, Any]:
    out = dict(DEFAULT_IMAGE)
    path = os.path.join(d, "preprocessor_config.json")
    if os.path.isfile(path):
        pc = read_json(path, "preprocessor_config.json")
        sources.append(path)
        for flag in ("do_resize", "do_center_crop", "do_rescale", "do_normalize", "do_convert_rgb"):
            if pc.get(flag, True) is not True:
                raise ConvertError(f"{path}: {flag}=false is not supported (Swiftlet runs CLIPImageProcessor's steps)")
        if pc.get("resample", PIL_BICUBIC) != PIL_BICUBIC:
            raise ConvertError(f"{path}: resample {pc['resample']} is not supported (only 3, PIL bicubic)")
        size = pc.get("size", {})
        if "shortest_edge" in size:
            out["shortest_edge"] = int(size["shortest_edge"])
        crop = pc.get("crop_size", {})
        if "height" in crop:
            out["crop"] = [int(crop["height"]), int(crop["width"])]
        out["rescale"] = float(pc.get("rescale_factor", out["rescale"]))
        out["mean"] = [float(v) for v in pc.get("image_mean", out["mean"])]
        out["std"] = [float(v) for v in pc.get("image_std", out["std"])]
    if out["crop"] != [image_size, image_size]:
        raise ConvertError(f"crop size {out['crop']} differs from the vision tower's image_size {image_size}")
    return out


def clip_pipeline(d: str, cfg: CLIPConfig, sources: List[str]) -> Dict[str, Any]:
    """The `clip` pipeline of a checkpoint directory; the graph's outputs are text_features
    and image_features whichever route built it."""
    return {"kind": "clip", "text_output": "text_features", "image_output": "image_features",
            "max_length": cfg.max_positions, "normalize": True,
            "image": image_pipeline(d, cfg.image_size, sources)}


def convert_clip(d: str, raw_cfg: dict, cfg_path: str, sources: List[str]) -> Tuple[dict, Dict[str, np.ndarray], dict, dict]:
    cfg = clip_config(raw_cfg, cfg_path)
    st_path = os.path.join(d, "model.safetensors")
    if not os.path.isfile(st_path):
        raise ConvertError(f"{st_path} not found (only safetensors checkpoints are supported)")
    sources.append(st_path)
    w = load_safetensors(st_path)
    graph, tensors = build_clip(cfg, w, st_path)
    pipeline = clip_pipeline(d, cfg, sources)
    used = set(tensors) | {k[:-2] for k in tensors if k.endswith(".T")}
    used |= {"vision_model.embeddings.class_embedding", "vision_model.embeddings.position_embedding.weight"}
    dropped = sorted(k for k in w if k not in used)
    if dropped:
        info(f"checkpoint tensors not used by the graph: {', '.join(dropped)}")
    info(f"hf-dir: clip, text {cfg.text.layers}x{cfg.text.hidden} ({cfg.text.act}), vision {cfg.vision.layers}x"
         f"{cfg.vision.hidden} ({cfg.vision.act}), projection {cfg.projection_dim}, {len(graph['nodes'])} nodes")
    return graph, tensors, pipeline, {"model_type": "clip"}
