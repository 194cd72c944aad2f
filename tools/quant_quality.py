#!/usr/bin/env python3
"""Embedding quality of quantized .swl weights against the float32 model, in Python
(swiftlet_tools/quant_quality.py).

  python tools/quant_quality.py FILE.swl [FILE.swl …] [--hf-dir DIR] [--corpus en.jsonl]
"""
import sys

from swiftlet_tools.quant_quality import main

sys.exit(main())
