"""File helpers shared by the tools: hashing and JSON reading with one-line errors."""

import hashlib
import json
from typing import Any

from .errors import ToolError


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_json(path: str, what: str) -> Any:
    """`what` names the file in the error ("config.json", "pipeline file", …)."""
    try:
        with open(path, "rb") as f:
            return json.loads(f.read().decode("utf-8"))
    except FileNotFoundError:
        raise ToolError(f"{what} not found: {path}")
    except (ValueError, UnicodeDecodeError) as e:
        raise ToolError(f"{what} {path} is not valid JSON: {e}")
