"""CLIP's two towers exported separately to ONNX, as a user with a real checkpoint would:
transformers' CLIPTextModelWithProjection and CLIPVisionModelWithProjection loaded from the
CLIPModel directory, each wrapped to return only its projected embedding.

    python tools/export_clip_onnx.py --hf-dir models/src/clip-tiny-random \
        --text-out text.onnx --vision-out vision.onnx [--opset 14]

  text.onnx    input_ids int64 [batch, sequence]          -> text_embeds  float32 [batch, D]
  vision.onnx  pixel_values float32 [images, 3, S, S]     -> image_embeds float32 [images, D]

The text tower is exported without attention_mask: it is causal and pools at the end token,
so padding after that token changes nothing (Swiftlet pads with each row's own end token).
Each file is kept only if onnxruntime matches torch within 1e-4 on probe inputs (several batch
sizes and lengths up to the 77-token context; random pixels)."""

import argparse
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402

from .torch_onnx import export_checked  # noqa: E402


def _wrapped(cls, hf_dir: str, tower_cfg, attn, field: str):
    import torch
    kwargs = {"local_files_only": True, "config": tower_cfg}
    if attn:
        kwargs["attn_implementation"] = attn
    model = cls.from_pretrained(hf_dir, **kwargs).float().eval()

    class Tower(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, x):
            return getattr(self.model(x, return_dict=True), field)

    return Tower().eval()


def text_probes(cfg, seed: int = 18):
    """Rows BOS, random ids, EOS, then padding with the row's EOS, as Swiftlet feeds them."""
    g = np.random.default_rng(seed)
    bos, eos = int(cfg.bos_token_id), int(cfg.eos_token_id)
    probes = []
    for b, s in ((2, 7), (1, 3), (3, 17), (2, cfg.max_position_embeddings)):
        ids = g.integers(300, min(bos, eos), size=(b, s), dtype=np.int64)
        ids[:, 0] = bos
        for r in range(b):
            n = max(2, s - 4 * r)
            ids[r, n - 1:] = eos
        probes.append({"input_ids": ids})
    return probes


def vision_probes(cfg, seed: int = 18):
    g = np.random.default_rng(seed)
    return [{"pixel_values": g.standard_normal((b, 3, cfg.image_size, cfg.image_size)).astype(np.float32)}
            for b in (1, 3)]


def export_towers(hf_dir: str, text_out: str, vision_out: str, opset: int) -> None:
    import torch
    from transformers import CLIPConfig, CLIPTextModelWithProjection, CLIPVisionModelWithProjection
    torch.set_num_threads(1)
    cfg = CLIPConfig.from_pretrained(hf_dir, local_files_only=True)
    # CLIPModel projects both towers to the top-level projection_dim; the tower configs carry
    # their own (default 512), which the *WithProjection classes would use instead.
    cfg.text_config.projection_dim = cfg.vision_config.projection_dim = cfg.projection_dim
    text = text_probes(cfg.text_config)
    export_checked(lambda attn: _wrapped(CLIPTextModelWithProjection, hf_dir, cfg.text_config, attn, "text_embeds"),
                   text_out,
                   text[0], text, "text_embeds",
                   {"input_ids": {0: "batch", 1: "sequence"}, "text_embeds": {0: "batch"}}, opset)
    vision = vision_probes(cfg.vision_config)
    export_checked(lambda attn: _wrapped(CLIPVisionModelWithProjection, hf_dir, cfg.vision_config, attn,
                                         "image_embeds"), vision_out,
                   vision[0], vision, "image_embeds",
                   {"pixel_values": {0: "images"}, "image_embeds": {0: "images"}}, opset)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hf-dir", required=True, help="a CLIPModel directory (config.json, model.safetensors)")
    ap.add_argument("--text-out", required=True)
    ap.add_argument("--vision-out", required=True)
    ap.add_argument("--opset", type=int, default=14)
    args = ap.parse_args(argv)
    try:
        export_towers(args.hf_dir, args.text_out, args.vision_out, args.opset)
    except (OSError, RuntimeError, ValueError) as e:
        print(f"export_clip_onnx: error: {e}", file=sys.stderr)
        return 1
    return 0
