"""Blobs stored verbatim next to the graph: the tokenizer (plus its precomputed Unigram
vocabulary) and any --blob NAME=FILE."""

import json
import os
from typing import Dict, List, Optional

from ..tokenizer_blob import unigram_blob
from .errors import ConvertError


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def add_tokenizer(blobs: Dict[str, bytes], tok_path: Optional[str], sources: List[str],
                  vocab_index: bool = True) -> None:
    if not tok_path:
        return
    if not os.path.isfile(tok_path):
        raise ConvertError(f"tokenizer file not found: {tok_path}")
    raw = _read(tok_path)
    try:
        json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise ConvertError(f"{tok_path} is not a valid tokenizer.json: {e}")
    blobs["tokenizer.json"] = raw
    # A Unigram vocabulary also goes in precomputed (fast load; see docs/FORMAT.md), unless
    # the file's size matters more than ~0.1 s of load time (--no-vocab-index).
    vocab_blob = unigram_blob(raw) if vocab_index else None
    if vocab_blob is not None:
        blobs["tokenizer.unigram"] = vocab_blob
    sources.append(tok_path)


def add_files(blobs: Dict[str, bytes], specs: List[str], sources: List[str]) -> None:
    """--blob NAME=FILE arguments."""
    for spec in specs:
        name, sep, bpath = spec.partition("=")
        if not sep or not name or not bpath:
            raise ConvertError(f"--blob {spec!r}: expected NAME=FILE")
        if name in blobs:
            raise ConvertError(f"--blob {name!r} given twice (or clashes with the tokenizer)")
        if not os.path.isfile(bpath):
            raise ConvertError(f"--blob {name}: file not found: {bpath}")
        blobs[name] = _read(bpath)
        sources.append(bpath)
