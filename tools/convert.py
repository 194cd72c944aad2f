#!/usr/bin/env python3
"""Convert a model into Swiftlet's single-file `.swl` format (docs/FORMAT.md).

  python tools/convert.py --onnx FILE.onnx [--tokenizer tokenizer.json] [--pipeline p.json] --out OUT.swl
  python tools/convert.py --hf-dir DIR [--tokenizer FILE] [--pipeline p.json] --out OUT.swl
  python tools/convert.py --model2vec DIR [--pipeline p.json] --out OUT.swl

  --quantize int8|q8_0|q4_0, --fp16, --keep-float PATTERN (--onnx and --hf-dir): store
  MatMul/Gemm weights quantized, or large float32 tensors as float16 (docs/FORMAT.md).

The ONNX route carries a general ONNX graph over (Constant nodes become tensors, constant
subgraphs are folded, dead nodes are dropped). The hf-dir route reads a Hugging Face
BERT-family checkpoint (safetensors) and builds the encoder graph itself from a small set of
standard ONNX ops. The model2vec route stores a Model2Vec static model's lookup tables (no
graph nodes; see FORMAT.md). One module per route in swiftlet_tools/convert/ (tools/README.md).

Dependencies: numpy, onnx, safetensors. No torch, no onnxruntime.
"""
import sys

from swiftlet_tools.convert.cli import main

sys.exit(main())
