"""Reads the parts of a .swl header the C ABI does not expose: the pipeline config and
the token strings of the model's tokenizer.json (for `python -m swiftlet tokenize`).
Layout: docs/FORMAT.md (magic "SWLT", u32 version, u64 header length, JSON header;
blob offsets are absolute)."""
from __future__ import annotations

import json
import struct
from typing import Any, Dict, List

from ._handle import PathLike


def read_header(path: PathLike) -> Dict[str, Any]:
    with open(path, "rb") as f:
        prefix = f.read(16)
        if len(prefix) != 16 or prefix[:4] != b"SWLT":
            raise ValueError(f"{path!r} is not a .swl file")
        (length,) = struct.unpack("<Q", prefix[8:16])
        header = json.loads(f.read(length).decode("utf-8"))
    if not isinstance(header, dict):
        raise ValueError(f"{path!r}: the header is not a JSON object")
    return header


def token_strings(path: PathLike) -> List[str]:
    """The vocabulary as a list indexed by id (added tokens included); ids no token
    names map to ""."""
    header = read_header(path)
    blob = header.get("blobs", {}).get("tokenizer.json")
    if blob is None:
        raise ValueError(f"{path!r} has no tokenizer.json")
    with open(path, "rb") as f:
        f.seek(blob["offset"])
        tok = json.loads(f.read(blob["length"]).decode("utf-8"))
    model = tok.get("model") or {}
    vocab = model.get("vocab")
    by_id: Dict[int, str] = {}
    if isinstance(vocab, dict):      # WordPiece, BPE, WordLevel: token -> id
        by_id.update({i: t for t, i in vocab.items()})
    elif isinstance(vocab, list):    # Unigram: [piece, score] at index id
        by_id.update({i: entry[0] for i, entry in enumerate(vocab)})
    for added in tok.get("added_tokens") or []:
        by_id[added["id"]] = added["content"]
    size = max(by_id) + 1 if by_id else 0
    return [by_id.get(i, "") for i in range(size)]
