"""The converter's error type and its stderr messages."""

import sys

from ..errors import ToolError


class ConvertError(ToolError):
    """A user-facing error: printed without a traceback."""


def warn(msg: str) -> None:
    print(f"convert: warning: {msg}", file=sys.stderr)


def info(msg: str) -> None:
    print(f"convert: {msg}", file=sys.stderr)
