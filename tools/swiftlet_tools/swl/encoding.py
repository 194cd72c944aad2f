"""Storage encodings of float32 weights (docs/FORMAT.md, "Quantized and float16 weights"):
byte sizes and header checks. Standard library only, like the writer and the reader; the
numpy quantizers that produce these bytes are in quantize.py."""

from typing import List, Optional, Sequence

BLOCK = 32
# fp16 scale + 32 int8, or fp16 scale + 32 nibbles (llama.cpp's block_q8_0 / block_q4_0)
BLOCK_BYTES = {"q8_0": 2 + BLOCK, "q4_0": 2 + BLOCK // 2}
TYPES = ("int8", "q8_0", "q4_0", "float16")


def storage_type(row: dict) -> str:
    """What a tensor's bytes are: its encoding type, or its dtype when it has none."""
    enc = row.get("encoding")
    return enc["type"] if isinstance(enc, dict) and "type" in enc else row["dtype"]


def _count(shape: Sequence[int]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def encoded_length(kind: str, shape: Sequence[int], axis: Optional[int]) -> int:
    """Bytes of the encoded data (not the int8 scales) for a valid (kind, shape, axis)."""
    if kind == "int8":
        return _count(shape)
    if kind == "float16":
        return 2 * _count(shape)
    other = shape[1 - axis]
    return other * (shape[axis] // BLOCK) * BLOCK_BYTES[kind]


def shape_problem(kind: str, shape: Sequence[int], axis: Optional[int]) -> Optional[str]:
    """Why `kind` cannot encode a tensor of this shape along `axis`, or None. The converter
    asks before quantizing; the reader asks of every encoded row."""
    if kind not in TYPES:
        return f"unknown encoding type {kind!r} (known: {', '.join(TYPES)})"
    if kind == "float16":
        return None if axis is None else "float16 encoding takes no axis"
    if not isinstance(axis, int) or isinstance(axis, bool) or not 0 <= axis < len(shape):
        return f"{kind} encoding: axis {axis!r} is not a dimension of shape {list(shape)}"
    if kind in BLOCK_BYTES:
        if len(shape) != 2:
            return f"{kind} encoding needs a rank-2 tensor, shape is {list(shape)}"
        if shape[axis] % BLOCK:
            return f"{kind} encoding: dimension {axis} ({shape[axis]}) is not a multiple of {BLOCK}"
    return None


def encoding_problems(row: dict) -> List[str]:
    """Header-level problems of one tensor row's encoding (bounds are checked by the reader)."""
    enc = row.get("encoding")
    if enc is None:
        return []
    n = row.get("name")
    if not isinstance(enc, dict):
        return [f"tensor {n!r}: encoding is not an object"]
    if row["dtype"] != "float32":
        return [f"tensor {n!r}: encoded tensors have logical dtype float32, not {row['dtype']}"]
    kind = enc.get("type")
    problem = shape_problem(kind, row["shape"], enc.get("axis"))
    if problem:
        return [f"tensor {n!r}: {problem}"]
    problems = []
    if row["length"] != encoded_length(kind, row["shape"], enc.get("axis")):
        problems.append(f"tensor {n!r}: length {row['length']} != "
                        f"{encoded_length(kind, row['shape'], enc.get('axis'))} for {kind}")
    scales = enc.get("scales")
    if kind == "int8":
        if not isinstance(scales, dict) or not {"offset", "length"} <= set(scales):
            problems.append(f"tensor {n!r}: int8 encoding without a scales {{offset, length}}")
        elif scales["length"] != 4 * row["shape"][enc["axis"]]:
            problems.append(f"tensor {n!r}: scales length {scales['length']} != 4 x {row['shape'][enc['axis']]}")
    elif scales is not None:
        problems.append(f"tensor {n!r}: {kind} encoding carries no scales region")
    return problems
