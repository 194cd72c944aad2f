#!/usr/bin/env python3
"""Build the randomly initialised cross-encoder checkpoint the reranking tests use
(swiftlet_tools/cross_encoder_build.py).

    python tools/build_cross_encoder.py --minilm models/src/all-MiniLM-L6-v2 --out models/src/cross-encoder-random-minilm
"""
import sys

from swiftlet_tools.cross_encoder_build import main

sys.exit(main())
