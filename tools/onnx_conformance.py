#!/usr/bin/env python3
"""The official ONNX backend node tests for every op Swiftlet registers.

  .venv/bin/python tools/onnx_conformance.py [--swiftlet PATH] [-k NAME] [--keep DIR] [--markdown]

Takes the cases the installed `onnx` package ships (or generates them), keeps those whose
ops are all in `swiftlet ops` and whose dtypes a .swl holds, converts each with the real
converter, runs them all with one `swiftlet run --batch`, and compares with the reference
outputs (floats rtol 1e-3 / atol 1e-5, NaN positions equal; ints and bools exact). Prints
per-op counts and `N passed, M failed`; exits 1 on a failure not listed, with its reason,
in tools/onnx_conformance_expected_failures.txt (or on a listed case that now passes).
docs/CONFORMANCE.md has the figures.
"""
import sys

from swiftlet_tools.conformance.suite import main

sys.exit(main())
