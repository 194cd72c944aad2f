#!/usr/bin/env python3
"""Export a CLIPModel directory's text and image towers to two ONNX files
(swiftlet_tools/export/clip_towers.py).

    python tools/export_clip_onnx.py --hf-dir DIR --text-out text.onnx --vision-out vision.onnx [--opset 14]
"""
import sys

from swiftlet_tools.export.clip_towers import main

sys.exit(main())
