#!/usr/bin/env python3
"""Op cases the ONNX node tests leave out, against onnxruntime (conformance/ort_crosscheck.py).

  .venv/bin/python tools/onnx_ort_crosscheck.py [--swiftlet PATH]
"""
import sys

from swiftlet_tools.conformance.ort_crosscheck import main

sys.exit(main())
