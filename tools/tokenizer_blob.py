#!/usr/bin/env python3
"""Precomputed Unigram vocabulary blob: tokenizer_blob.py TOKENIZER_JSON OUT (swiftlet_tools/tokenizer_blob.py)."""
from swiftlet_tools.tokenizer_blob import main

main()
