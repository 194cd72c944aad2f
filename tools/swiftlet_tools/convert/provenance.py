"""The provenance record: converter, route and the sha256 of every source file."""

import os
from typing import Any, Dict, List, Optional

from ..files import sha256_file

CONVERTER = "swiftlet-convert 1"
CONVERTER_VERSION = "1.0.0"


def _label(path: str, base: Optional[str]) -> str:
    """Paths inside the model directory stay relative; others keep only their name."""
    if base and os.path.abspath(path).startswith(os.path.abspath(base) + os.sep):
        return os.path.relpath(path, base)
    return os.path.basename(path)


def provenance(route: str, sources: List[str], base: Optional[str], extra: Dict[str, Any]) -> Dict[str, Any]:
    unique = list(dict.fromkeys(sources))
    record: Dict[str, Any] = {"converter": CONVERTER, "converter_version": CONVERTER_VERSION, "route": route,
                              "sources": [{"file": _label(s, base), "sha256": sha256_file(s)} for s in unique]}
    record.update(extra)
    return record
