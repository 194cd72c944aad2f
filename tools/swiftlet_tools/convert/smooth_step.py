"""--smooth/--no-smooth/--calibration: the converter step between the route and
--quantize int8 that calibrates the model and rewrites its graph (smooth.py)."""

import argparse
import os
from typing import Dict, Optional

import numpy as np

from ..files import read_json, sha256_file
from .bert_graph import checkpoint_prefix
from .calibrate import DEFAULT_CALIBRATION, DEFAULT_TEXTS, calibration_texts, check_not_golden
from .errors import ConvertError, info
from .smooth import sites, smooth
from .weights import int8_weight_names

DEFAULT_ALPHA = 0.5
DEFAULT_ONNX_MAX_LENGTH = 512  # without a --pipeline max_length: the common BERT limit


def add_arguments(ap: argparse.ArgumentParser) -> None:
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--smooth", type=float, metavar="ALPHA",
                   help="(--quantize int8) SmoothQuant: move activation outliers into the int8 weights "
                        f"with migration strength ALPHA in [0, 1] (default {DEFAULT_ALPHA} with --quantize int8)")
    g.add_argument("--no-smooth", action="store_true", help="(--quantize int8) no smoothing")
    ap.add_argument("--calibration", metavar="FILE.jsonl",
                    help="texts ({\"text\": ...} per line) to calibrate smoothing on "
                         f"(default {os.path.relpath(DEFAULT_CALIBRATION)}; never golden/)")
    ap.add_argument("--calibration-texts", type=int, metavar="N",
                    help=f"use the first N texts of the calibration file (default {DEFAULT_TEXTS})")


def alpha(args) -> Optional[float]:
    """The smoothing strength to use, None for no smoothing; refuses contradictory flags."""
    if args.smooth is not None:
        if args.quantize != "int8":
            # Swift fuses the smoothing Mul only into int8 MatMuls; for Q8_0/Q4_0 it would be
            # an extra op per MatMul, and uneven rows inside one k-block cost block accuracy.
            raise ConvertError("--smooth works with --quantize int8 only")
        if not 0.0 <= args.smooth <= 1.0:
            raise ConvertError(f"--smooth {args.smooth:g}: ALPHA must be in [0, 1]")
        value = args.smooth
    else:
        value = DEFAULT_ALPHA if args.quantize == "int8" and not args.no_smooth else None
    if value is None and (args.calibration or args.calibration_texts is not None):
        raise ConvertError("--calibration/--calibration-texts only mean something with smoothing "
                           "(--quantize int8, without --no-smooth)")
    if args.calibration:
        check_not_golden(args.calibration)  # before any slow work
    if args.calibration_texts is not None and args.calibration_texts < 1:
        raise ConvertError(f"--calibration-texts {args.calibration_texts}: need at least 1")
    return value


def _hf_dir_maxima(args, c, site_weights: set, texts) -> Dict[str, np.ndarray]:
    from .calibrate import hf_linear_input_maxima
    prefix = checkpoint_prefix(c.tensors, args.hf_dir)
    maxima = hf_linear_input_maxima(args.hf_dir, texts, int(c.pipeline.get("max_length", 512)))
    # bert_graph names a Linear's MatMul weight <checkpoint prefix><module>.weight.T
    by_weight = {prefix + module + ".weight.T": v for module, v in maxima.items()}
    return {w: v for w, v in by_weight.items() if w in site_weights}


def _onnx_max_length(args) -> int:
    if args.pipeline:
        override = read_json(args.pipeline, "pipeline file")
        if isinstance(override, dict) and "max_length" in override:
            return int(override["max_length"])
    return DEFAULT_ONNX_MAX_LENGTH


def _onnx_maxima(args, c, site_list, texts) -> Optional[Dict[str, np.ndarray]]:
    from .calibrate_onnx import onnx_matmul_input_maxima, unsupported_reason
    why = unsupported_reason(c.graph, c.tokenizer)
    if why:
        info(f"note: no smoothing for this ONNX model ({why}); int8 without it")
        return None
    wanted = sorted({s.x for s in site_list if s.x not in c.tensors})
    maxima = onnx_matmul_input_maxima(args.onnx, wanted, c.tokenizer, texts, _onnx_max_length(args))
    return {s.weight: maxima[s.x] for s in site_list if s.x in maxima}


def apply(args, c):
    """The route's Converted with its graph smoothed (and the provenance record), or c
    unchanged when smoothing is off or does not apply."""
    a = alpha(args)
    if a is None:
        return c
    site_list = sites(c.graph, int8_weight_names(c.graph, c.tensors, args.keep_float))
    if not site_list:
        info("smooth: no MatMul weight that int8 will encode; nothing to smooth")
        return c
    path = args.calibration or DEFAULT_CALIBRATION
    texts = calibration_texts(path, args.calibration_texts or DEFAULT_TEXTS)
    if c.route == "hf-dir":
        x_max = _hf_dir_maxima(args, c, {s.weight for s in site_list}, texts)
    else:
        x_max = _onnx_maxima(args, c, site_list, texts)
        if x_max is None:
            return c
    tensors = dict(c.tensors)
    count = smooth(c.graph, tensors, x_max, a)
    info(f"smooth: alpha {a:g}, {count} of {len(site_list)} int8 MatMuls smoothed "
         f"(calibration: {len(texts)} texts of {os.path.basename(path)})")
    record = {"smooth": {"alpha": a, "calibration": {"file": os.path.basename(path), "sha256": sha256_file(path)},
                         "texts": len(texts)}}
    return c._replace(tensors=tensors, extra_provenance={**c.extra_provenance, **record})
