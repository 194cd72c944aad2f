"""tools/convert.py's command line: pick the route, add blobs and the pipeline, write the
.swl and read it back (self-check)."""

import argparse
import os
import sys
from typing import Any, Dict, List, NamedTuple, Optional

from ..errors import ToolError
from ..swl.arrays import tensor_entries
from ..swl.reader import verify_swl
from ..swl.writer import write_swl
from . import blobs as blob_sources
from . import pipeline as pipeline_config
from . import smooth_step
from .errors import ConvertError, info
from .provenance import provenance
from .weights import QUANTIZE_KINDS, WeightOptions, check_options, encode_weights

def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="convert.py",
        description="Convert an ONNX model or a Hugging Face BERT-family checkpoint into a Swiftlet .swl file.")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--onnx", metavar="FILE.onnx", help="an ONNX model (opset 11-17)")
    src.add_argument("--hf-dir", metavar="DIR", help="a Hugging Face BERT/RoBERTa/XLM-R checkpoint directory "
                                                     "(config.json, model.safetensors, tokenizer.json)")
    src.add_argument("--model2vec", metavar="DIR", help="a Model2Vec static model directory "
                                                        "(config.json, model.safetensors, tokenizer.json)")
    ap.add_argument("--onnx-vision", metavar="VISION.onnx",
                    help="(--onnx TEXT.onnx --config-dir DIR) a CLIP image tower exported separately from the "
                         "text tower: both go into one clip file with the --hf-dir route's entry points")
    ap.add_argument("--config-dir", metavar="DIR",
                    help="(--onnx) the Hugging Face directory the ONNX file(s) were exported from: its config.json "
                         "picks the pipeline (CLIPModel: clip, with --onnx-vision; *ForSequenceClassification with "
                         "one label: reranker), tokenizer.json and preprocessor_config.json come from it; its "
                         "weights are not read")
    ap.add_argument("--tokenizer", metavar="tokenizer.json",
                    help="tokenizer.json to embed verbatim (default for --hf-dir / --config-dir: DIR/tokenizer.json)")
    ap.add_argument("--pipeline", metavar="p.json", help="JSON object merged over the pipeline settings")
    ap.add_argument("--blob", action="append", default=[], metavar="NAME=FILE",
                    help="store FILE's bytes verbatim as blob NAME (repeatable), e.g. an OCR dictionary")
    ap.add_argument("--no-vocab-index", action="store_true",
                    help="do not store the precomputed Unigram vocabulary (tokenizer.unigram) beside "
                         "tokenizer.json: a smaller file (11.6 MB less for multilingual-e5-small), "
                         "~0.1 s more to load")
    ap.add_argument("--out", required=True, metavar="OUT.swl", help="output file")
    ap.add_argument("--no-fold", action="store_true", help="(--onnx) do not fold constant subgraphs")
    ap.add_argument("--quantize", choices=QUANTIZE_KINDS,
                    help="(--onnx, --hf-dir) store the 2-D float32 B weights of MatMul/Gemm, and token-"
                         "embedding tables of >= 32M values read only by Gather, as int8 (per-channel) or "
                         "llama.cpp Q8_0/Q4_0 blocks (docs/FORMAT.md)")
    ap.add_argument("--fp16", action="store_true",
                    help="(--onnx, --hf-dir) store every other float32 tensor of >= 1024 values as float16")
    ap.add_argument("--keep-float", action="append", default=[], metavar="PATTERN",
                    help="keep tensors in float32 whose name, or a consuming node's name, matches this "
                         "fnmatch pattern (repeatable), e.g. '/encoder/layer.5/output/*'")
    ap.add_argument("--keep-q8", action="append", default=[], metavar="PATTERN",
                    help="(--quantize q4_0) store the weights or tables whose name, or a consuming node's "
                         "name, matches this fnmatch pattern as Q8_0 instead of Q4_0 (repeatable), e.g. "
                         "'*.intermediate.dense.*': mixed precision for the layers Q4_0 hurts most")
    ap.add_argument("--quantize-table", action="append", default=[], metavar="PATTERN",
                    help="(--quantize) also encode the Gather tables matching this pattern (repeatable) "
                         "below the 32M-value threshold, e.g. 'embeddings.word_embeddings.*'")
    smooth_step.add_arguments(ap)
    ap.add_argument("-v", "--verbose", action="store_true", help="per encoded tensor, its error after decoding")
    return ap


class Converted(NamedTuple):
    route: str
    graph: dict
    tensors: Dict[str, Any]  # ndarray, or swl.quantize.EncodedTensor after --quantize/--fp16
    pipeline: Dict[str, Any]
    metadata: Dict[str, str]
    extra_provenance: Dict[str, Any]
    tokenizer: Optional[str]


def _dir_tokenizer(args, d: str) -> str:
    tok_path = args.tokenizer or os.path.join(d, "tokenizer.json")
    if not args.tokenizer and not os.path.isfile(tok_path):
        raise ConvertError(f"{tok_path} not found (pass --tokenizer FILE)")
    return tok_path


def _check_onnx_flags(args) -> None:
    if args.onnx_vision and not args.onnx:
        raise ConvertError("--onnx-vision is the image tower beside --onnx TEXT.onnx (the text tower)")
    if args.config_dir and not args.onnx:
        raise ConvertError("--config-dir describes an ONNX export (--onnx); --hf-dir reads its directory itself")
    if args.onnx_vision and not args.config_dir:
        raise ConvertError("--onnx-vision needs --config-dir DIR (the CLIPModel config.json, tokenizer.json and "
                           "preprocessor_config.json the towers were exported from)")
    if args.onnx_vision and args.no_fold:
        raise ConvertError("--no-fold is not supported with --onnx-vision")


def _onnx_route(args, sources: List[str]) -> Converted:
    if args.onnx_vision:
        from .clip_onnx import convert_clip_onnx
        graph, tensors, pipeline, metadata, extra = convert_clip_onnx(args.onnx, args.onnx_vision, args.config_dir,
                                                                      sources)
        return Converted("onnx", graph, tensors, pipeline, metadata, extra, _dir_tokenizer(args, args.config_dir))
    from .onnx_route import convert_onnx
    sources.append(args.onnx)
    graph, tensors, metadata, _, promoted = convert_onnx(args.onnx, fold=not args.no_fold)
    if args.config_dir:
        from .onnx_config_dir import onnx_dir_pipeline
        pipeline, extra = onnx_dir_pipeline(args.config_dir, graph, args.onnx, sources)
        return Converted("onnx", graph, tensors, pipeline, metadata, {**promoted, **extra},
                         _dir_tokenizer(args, args.config_dir))
    return Converted("onnx", graph, tensors, {"kind": "graph"}, metadata, promoted, args.tokenizer)


def run_route(args, sources: List[str]) -> Converted:
    """Imports only the chosen route, so --model2vec works without onnx installed."""
    _check_onnx_flags(args)
    if args.onnx:
        return _onnx_route(args, sources)
    if args.model2vec:
        from .model2vec import convert_model2vec
        graph, tensors, pipeline = convert_model2vec(args.model2vec, sources)
        tok_path = args.tokenizer or os.path.join(args.model2vec, "tokenizer.json")
        return Converted("model2vec", graph, tensors, pipeline, {}, {}, tok_path)
    from .hf_dir import convert_hf_dir
    graph, tensors, pipeline, extra = convert_hf_dir(args.hf_dir, sources)
    tok_path = args.tokenizer or os.path.join(args.hf_dir, "tokenizer.json")
    if not args.tokenizer and not os.path.isfile(tok_path):
        raise ConvertError(f"{tok_path} not found (pass --tokenizer FILE)")
    return Converted("hf-dir", graph, tensors, pipeline, {}, extra, tok_path)


def write_and_check(out: str, c: Converted, blobs: Dict[str, bytes], prov: Dict[str, Any]) -> None:
    entries = tensor_entries(c.tensors)
    write_swl(out, c.graph, entries, blobs, c.pipeline, c.metadata, prov)
    expected = ((e.name, e.data, e.scales) for e in entries)
    problems = verify_swl(out, expected, blobs)
    if problems:
        raise ConvertError(f"self-check of {out} failed:\n  " + "\n  ".join(problems[:20]))
    ops = sorted({n["op"] for n in c.graph["nodes"]})
    info(f"wrote {out} ({os.path.getsize(out):,} bytes; {len(c.graph['nodes'])} nodes; "
         f"ops: {', '.join(ops)}); self-check ok")


def convert(args) -> None:
    for flag, p in (("--tokenizer", args.tokenizer), ("--pipeline", args.pipeline)):
        if p and not os.path.isfile(p):
            raise ConvertError(f"{flag}: file not found: {p}")
    weights = WeightOptions(args.quantize, args.fp16, args.keep_float, args.verbose,
                            args.keep_q8, args.quantize_table)
    if weights.active() and args.model2vec:
        raise ConvertError("--quantize/--fp16 work on the --onnx and --hf-dir routes, not --model2vec")
    if args.keep_float and not weights.active():
        raise ConvertError("--keep-float only means something with --quantize or --fp16")
    check_options(weights)
    smooth_step.alpha(args)  # refuse bad smoothing flags before the slow part
    sources: List[str] = []
    c = run_route(args, sources)
    c = smooth_step.apply(args, c)
    if weights.active():
        c = c._replace(tensors=encode_weights(c.graph, c.tensors, weights),
                       extra_provenance={**c.extra_provenance, **weights.provenance()})
    blobs: Dict[str, bytes] = {}
    blob_sources.add_tokenizer(blobs, c.tokenizer, sources, vocab_index=not args.no_vocab_index)
    blob_sources.add_files(blobs, args.blob, sources)
    pipeline_config.apply_override(c.pipeline, args.pipeline, sources)
    pipeline_config.check(c.pipeline, c.graph, blobs)
    prov = provenance(c.route, sources, args.hf_dir or args.model2vec or args.config_dir or None, c.extra_provenance)
    write_and_check(args.out, c, blobs, prov)


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(argv)
    try:
        convert(args)
        return 0
    except ToolError as e:
        print(f"convert: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
