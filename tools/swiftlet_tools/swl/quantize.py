"""numpy quantizers for the .swl weight encodings (docs/FORMAT.md, "Quantized and float16
weights"), their inverses, and the error bound each encoding guarantees (for self-checks).

All arithmetic that decides a stored value is float32, as in llama.cpp's reference
quantizers, so Q8_0/Q4_0 blocks come out as its quantize_row_*_ref would write them (up to
a compiler's FMA contraction there)."""

from typing import NamedTuple, Optional, Tuple

import numpy as np

from .encoding import BLOCK, encoded_length, shape_problem
from .layout import SwlError

F16_MAX = 65504.0
_F32 = np.float32


class EncodedTensor(NamedTuple):
    """A float32 weight in its stored form; swl.arrays turns it into a TensorEntry."""
    shape: Tuple[int, ...]
    encoding: dict  # {"type": ..., "axis": ...} without offsets: the writer adds them
    data: bytes
    scales: Optional[bytes] = None


def round_half_away(x: np.ndarray) -> np.ndarray:
    """C's roundf (ties away from zero), which llama.cpp uses; np.rint rounds ties to even.
    Not floor(x + 0.5): in float32 that turns 0.49999997 into 1."""
    r = np.rint(x)
    tie = np.abs(x - np.trunc(x)) == 0.5
    return np.where(tie, np.trunc(x) + np.sign(x), r)


def _check_finite(w: np.ndarray, what: str) -> None:
    if not np.isfinite(w).all():
        raise SwlError(f"{what}: NaN or Inf among its {w.size} values; cannot quantize")


def _blocks(w: np.ndarray, axis: int) -> np.ndarray:
    """[other, shape[axis]/32, 32]: for each line of the other axis, its blocks in order."""
    lines = np.moveaxis(w, axis, -1)
    return np.ascontiguousarray(lines, dtype=_F32).reshape(lines.shape[0], -1, BLOCK)


def _unblocks(blocks: np.ndarray, shape, axis: int) -> np.ndarray:
    lines = blocks.reshape(shape[1 - axis], shape[axis])
    return np.ascontiguousarray(np.moveaxis(lines, -1, axis))


def _fp16_scales(d: np.ndarray, what: str) -> np.ndarray:
    if (np.abs(d) > F16_MAX).any():
        raise SwlError(f"{what}: a block scale exceeds the float16 range (weights above {F16_MAX * 8:g})")
    return d.astype("<f2")


def _inverse(d: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.where(d != 0, _F32(1) / d, _F32(0)).astype(_F32)


# ---------------------------------------------------------------- int8, per channel

def quantize_int8(w: np.ndarray, axis: int) -> Tuple[np.ndarray, np.ndarray]:
    """Symmetric per-channel int8: (q int8 of w's shape, float32 scales [shape[axis]])."""
    w = np.asarray(w, dtype=_F32)
    _check_finite(w, "int8 quantization")
    other = tuple(i for i in range(w.ndim) if i != axis)
    amax = np.abs(w).max(axis=other) if other else np.abs(w)
    # An all-zero channel gets scale 1 (never 0, which would make q = 0/0); a channel of
    # subnormal dust keeps the smallest positive scale rather than underflowing to 0.
    tiny = np.finfo(_F32).smallest_subnormal
    scales = np.where(amax > 0, np.maximum(amax / _F32(127), tiny), _F32(1)).astype(_F32)
    bshape = [1] * w.ndim
    bshape[axis] = -1
    q = round_half_away(w / scales.reshape(bshape))
    # -128 never appears: integer kernels may negate or pair values without overflow.
    q = np.clip(q, -127, 127).astype(np.int8)
    return q, scales


def dequantize_int8(q: np.ndarray, scales: np.ndarray, axis: int) -> np.ndarray:
    bshape = [1] * q.ndim
    bshape[axis] = -1
    return q.astype(_F32) * scales.astype(_F32).reshape(bshape)


# ---------------------------------------------------------------- Q8_0

_Q8_BLOCK = np.dtype([("d", "<f2"), ("qs", "i1", (BLOCK,))])
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (BLOCK // 2,))])


def quantize_q8_0(w: np.ndarray, axis: int) -> bytes:
    """d = amax/127 per block of 32 along `axis`, q = roundf(x/d) (x times 1/d, as llama.cpp)."""
    w = np.asarray(w, dtype=_F32)
    _check_finite(w, "q8_0 quantization")
    b = _blocks(w, axis)
    d = np.abs(b).max(axis=-1) / _F32(127)
    q = round_half_away(b * _inverse(d)[..., None])
    out = np.empty(b.shape[:2], dtype=_Q8_BLOCK)
    out["d"] = _fp16_scales(d, "q8_0 quantization")
    out["qs"] = np.clip(q, -127, 127).astype(np.int8)
    return out.tobytes()


def dequantize_q8_0(raw: bytes, shape, axis: int) -> np.ndarray:
    blk = np.frombuffer(raw, dtype=_Q8_BLOCK).reshape(shape[1 - axis], -1)
    vals = blk["d"].astype(_F32)[..., None] * blk["qs"].astype(_F32)
    return _unblocks(vals, shape, axis)


# ---------------------------------------------------------------- Q4_0

def quantize_q4_0(w: np.ndarray, axis: int) -> bytes:
    """llama.cpp's reference Q4_0: d = (the block's largest-magnitude value, first one on a tie)
    / -8, q = min(15, trunc(x/d + 8.5)). The extreme value is then exact (q = 0) and the
    opposite sign gets one step less range (q = 15 stands for +7)."""
    w = np.asarray(w, dtype=_F32)
    _check_finite(w, "q4_0 quantization")
    b = _blocks(w, axis)
    first_max = np.argmax(np.abs(b), axis=-1)[..., None]
    picked = np.take_along_axis(b, first_max, axis=-1)[..., 0]
    # An all-zero block keeps max = +0 (as the C loop does, even for -0 inputs), so d is -0.
    d = np.where(picked != 0, picked, _F32(0)) / _F32(-8)
    x = b * _inverse(d)[..., None] + _F32(8.5)
    q = np.minimum(15, np.trunc(x)).astype(np.uint8)
    out = np.empty(b.shape[:2], dtype=_Q4_BLOCK)
    out["d"] = _fp16_scales(d, "q4_0 quantization")
    out["qs"] = q[..., :BLOCK // 2] | (q[..., BLOCK // 2:] << 4)
    return out.tobytes()


def dequantize_q4_0(raw: bytes, shape, axis: int) -> np.ndarray:
    blk = np.frombuffer(raw, dtype=_Q4_BLOCK).reshape(shape[1 - axis], -1)
    qs = blk["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(_F32) - _F32(8)
    return _unblocks(blk["d"].astype(_F32)[..., None] * q, shape, axis)


# ---------------------------------------------------------------- float16

def quantize_float16(w: np.ndarray) -> bytes:
    w = np.asarray(w, dtype=_F32)
    _check_finite(w, "float16 encoding")
    if w.size and np.abs(w).max() > F16_MAX:
        raise SwlError(f"float16 encoding: |value| {np.abs(w).max():g} exceeds the float16 range {F16_MAX:g}")
    return w.astype("<f2").tobytes()


def dequantize_float16(raw: bytes, shape) -> np.ndarray:
    return np.frombuffer(raw, dtype="<f2").astype(_F32).reshape(shape)


# ---------------------------------------------------------------- one entry point each way

def encode(w: np.ndarray, kind: str, axis: Optional[int] = None) -> EncodedTensor:
    """`axis`: int8's channel axis, or the block (reduction) axis of q8_0/q4_0; none for float16."""
    shape = tuple(int(d) for d in np.shape(w))
    problem = shape_problem(kind, shape, axis)
    if problem:
        raise SwlError(problem)
    enc = {"type": kind} if kind == "float16" else {"type": kind, "axis": int(axis)}
    if kind == "int8":
        q, scales = quantize_int8(w, axis)
        return EncodedTensor(shape, enc, q.tobytes(), scales.astype("<f4").tobytes())
    if kind == "float16":
        return EncodedTensor(shape, enc, quantize_float16(w))
    data = quantize_q8_0(w, axis) if kind == "q8_0" else quantize_q4_0(w, axis)
    return EncodedTensor(shape, enc, data)


def decode(shape, encoding: dict, data: bytes, scales: Optional[bytes] = None) -> np.ndarray:
    """The float32 values an encoded tensor stands for."""
    shape = tuple(shape)
    kind, axis = encoding["type"], encoding.get("axis")
    problem = shape_problem(kind, shape, axis)
    if problem:
        raise SwlError(problem)
    if len(data) != encoded_length(kind, shape, axis):
        raise SwlError(f"{kind} data of {len(data)} bytes for shape {list(shape)}")
    if kind == "int8":
        q = np.frombuffer(data, dtype=np.int8).reshape(shape)
        return dequantize_int8(q, np.frombuffer(scales, dtype="<f4"), axis)
    if kind == "float16":
        return dequantize_float16(data, shape)
    return (dequantize_q8_0 if kind == "q8_0" else dequantize_q4_0)(data, shape, axis)


# ---------------------------------------------------------------- what the format guarantees

def group_amax(w: np.ndarray, kind: str, axis: Optional[int]) -> np.ndarray:
    """max|w| over the group each element was quantized with (channel, block or, for float16,
    the element itself), broadcast to w's shape."""
    a = np.abs(np.asarray(w, dtype=_F32))
    if kind == "int8":
        other = tuple(i for i in range(a.ndim) if i != axis)
        return np.broadcast_to(a.max(axis=other, keepdims=True), a.shape)
    if kind == "float16":
        return a
    b = _blocks(a, axis)
    return _unblocks(np.broadcast_to(b.max(axis=-1, keepdims=True), b.shape), a.shape, axis)


def error_bound(w: np.ndarray, kind: str, axis: Optional[int]) -> np.ndarray:
    """Per element, the largest |w - decode(encode(w))| the encoding allows: half a step,
    plus the float16 rounding of the block scale (relative 2^-11, or 2^-25 once subnormal)
    times the largest |q|, plus float32 slack. Q4_0's opposite-sign extreme is a whole step."""
    m = group_amax(w, kind, axis).astype(np.float64)
    slack = m * 2.0 ** -20
    if kind == "int8":
        return m / 127 / 2 + slack
    if kind == "float16":
        return np.maximum(m * 2.0 ** -11, 2.0 ** -25)
    if kind == "q8_0":
        d = m / 127
        return d / 2 + 127 * np.maximum(d * 2.0 ** -11, 2.0 ** -25) + slack
    d = m / 8
    return d + 8 * np.maximum(d * 2.0 ** -11, 2.0 ** -25) + slack


def relative_errors(w: np.ndarray, restored: np.ndarray, kind: str, axis: Optional[int]) -> Tuple[float, float]:
    """(worst |error| / its group's max|w|, RMS error / RMS w) for reports."""
    w = np.asarray(w, dtype=np.float64)
    err = np.abs(w - restored)
    m = group_amax(w, kind, axis)
    if kind == "float16":
        m = np.maximum(m, 2.0 ** -14)  # below float16's normal range the step is absolute
    worst = float((err / np.where(m > 0, m, 1)).max()) if w.size else 0.0
    rms_w = float(np.sqrt((w * w).mean())) if w.size else 0.0
    rms = float(np.sqrt((err * err).mean()) / rms_w) if rms_w > 0 else 0.0
    return worst, rms
