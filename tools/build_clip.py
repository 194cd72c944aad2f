#!/usr/bin/env python3
"""Build CLIP reference checkpoints with RANDOM weights (fixed seed) in the Hugging Face
CLIPModel layout (swiftlet_tools/clip_build.py).

    python tools/build_clip.py --wheel open_clip_torch-3.3.0-py3-none-any.whl --shape vit-b32|tiny --out DIR
"""
import sys

from swiftlet_tools.clip_build import main

sys.exit(main())
