"""Constants of the .swl layout (docs/FORMAT.md); standard library only."""

from ..errors import ToolError

MAGIC = b"SWLT"
FORMAT_VERSION = 1
ALIGN = 64
PREFIX_BYTES = 16  # magic, u32 version, u64 header length

DTYPE_SIZES = {"float32": 4, "float16": 2, "int64": 8, "int32": 4, "int8": 1, "uint8": 1, "bool": 1}


class SwlError(ToolError):
    """A user-facing error about a .swl file or its contents: printed without a traceback."""


def align_up(n: int, a: int = ALIGN) -> int:
    return (n + a - 1) // a * a
