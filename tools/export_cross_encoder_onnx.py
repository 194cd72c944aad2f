#!/usr/bin/env python3
"""Export a cross-encoder (BertForSequenceClassification) directory to ONNX
(swiftlet_tools/export/cross_encoder.py).

    python tools/export_cross_encoder_onnx.py --hf-dir DIR --out model.onnx [--opset 14]
"""
import sys

from swiftlet_tools.export.cross_encoder import main

sys.exit(main())
