"""The weight quantizers of swl/quantize.py against docs/FORMAT.md, "Quantized and float16
weights": exact bytes on hand-made blocks, the error bound on random weights, the edge cases
the integer kernels rely on (no -128, zero channels/blocks), and refusals."""

import struct

import numpy as np
import pytest

from swiftlet_tools.swl.layout import SwlError
from swiftlet_tools.swl.quantize import (decode, dequantize_int8, encode, error_bound, quantize_int8,
                                         round_half_away)

F16_ONE = b"\x00\x3c"  # 1.0 as IEEE binary16, little-endian


def random_weights(shape, seed=0):
    rng = np.random.default_rng(seed)
    w = rng.standard_normal(shape).astype(np.float32) * 0.05
    w[rng.random(shape) < 0.01] *= 40  # outliers, as real weights have
    return w


def test_round_half_away_is_roundf():
    x = np.array([0.5, 1.5, 2.5, -0.5, -2.5, 0.49999997, -0.49999997, 3.7], dtype=np.float32)
    assert round_half_away(x).tolist() == [1, 2, 3, -1, -3, 0, 0, 4]


def test_q8_0_block_bytes():
    # One block per column of a [32, 2] weight reduced along axis 0. Column 0 has max|x| = 127,
    # so d = 1.0 exactly and q = roundf(x): 2.5 -> 3 and -2.5 -> -3 (ties away from zero).
    col = np.zeros(32, dtype=np.float32)
    col[:6] = [127, -127, 2.5, -2.5, 0.4, -60.6]
    w = np.stack([col, np.zeros(32, dtype=np.float32)], axis=1)
    e = encode(w, "q8_0", axis=0)
    q = [127, -127, 3, -3, 0, -61] + [0] * 26
    assert e.encoding == {"type": "q8_0", "axis": 0}
    assert e.scales is None
    assert e.data == F16_ONE + struct.pack("<32b", *q) + b"\x00\x00" + bytes(32)
    assert len(e.data) == 2 * 34


def test_q8_0_scale_is_amax_over_127():
    w = np.zeros((1, 32), dtype=np.float32)
    w[0, 7] = -3.0
    e = encode(w, "q8_0", axis=1)
    d = np.frombuffer(e.data[:2], dtype="<f2")[0]
    assert d == np.float16(np.float32(3.0) / np.float32(127))
    assert struct.unpack("<32b", e.data[2:])[7] == -127


def test_q4_0_block_bytes():
    # max-by-magnitude value -8 -> d = -8 / -8 = 1.0; q = min(15, trunc(x/d + 8.5)).
    x = np.zeros(32, dtype=np.float32)
    x[:5] = [-8, 7, -0.5, 0.5, 3.2]   # q 0, 15, 8, 9, 11
    x[16:18] = [8, -3.9]              # 16.5 -> 16, clipped to 15; 4.6 -> 4
    w = x.reshape(1, 32)              # one line, reduced along axis 1
    e = encode(w, "q4_0", axis=1)
    q = [int(min(15, np.trunc(v + 8.5))) for v in x]
    assert q[:5] == [0, 15, 8, 9, 11] and q[16:18] == [15, 4]
    packed = bytes(q[i] | (q[i + 16] << 4) for i in range(16))
    assert e.data == F16_ONE + packed
    assert packed[0] == 0xF0 and packed[1] == 0x4F and packed[5] == 0x88
    assert e.encoding == {"type": "q4_0", "axis": 1}
    restored = decode(e.shape, e.encoding, e.data)
    assert restored[0, 0] == -8 and restored[0, 16] == 7  # the opposite extreme loses one step


def test_q4_0_positive_extreme_and_first_of_ties():
    x = np.zeros((1, 32), dtype=np.float32)
    x[0, 3], x[0, 9] = 2.0, -2.0            # same magnitude: the first one sets the sign of d
    e = encode(x, "q4_0", axis=1)
    assert np.frombuffer(e.data[:2], dtype="<f2")[0] == np.float16(-0.25)
    restored = decode(e.shape, e.encoding, e.data)
    assert restored[0, 3] == 2.0 and restored[0, 9] == -1.75


def test_block_order_follows_the_other_axis():
    # [K=64, N=3] reduced along axis 0: line j (column j) holds blocks k 0-31 then 32-63.
    w = np.zeros((64, 3), dtype=np.float32)
    for j in range(3):
        w[:32, j] = (j + 1) * 127
        w[32:, j] = (j + 1) * 127 * 2
    e = encode(w, "q8_0", axis=0)
    scales = [np.frombuffer(e.data[b * 34:b * 34 + 2], dtype="<f2")[0] for b in range(6)]
    assert scales == [1, 2, 2, 4, 3, 6]
    # the same weight transposed and reduced along axis 1 is byte-identical
    assert encode(np.ascontiguousarray(w.T), "q8_0", axis=1).data == e.data


@pytest.mark.parametrize("kind,axis", [("int8", 0), ("int8", 1), ("q8_0", 0), ("q8_0", 1),
                                       ("q4_0", 0), ("q4_0", 1), ("float16", None)])
def test_round_trip_within_the_bound(kind, axis):
    w = random_weights((96, 128), seed=hash((kind, axis)) % 1000)
    w[:, 5] = 0
    w[7, :] = 0
    e = encode(w, kind, axis)
    restored = decode(e.shape, e.encoding, e.data, e.scales)
    assert restored.dtype == np.float32 and restored.shape == w.shape
    err = np.abs(w.astype(np.float64) - restored)
    assert (err <= error_bound(w, kind, axis)).all()


def test_error_bound_is_tight_enough_to_mean_something():
    w = random_weights((64, 64), seed=3)
    amax = np.abs(w).max()
    assert error_bound(w, "int8", 1).max() <= amax / 254 * 1.001
    assert error_bound(w, "q4_0", 0).max() <= amax / 8 * 1.01


def test_int8_never_minus_128():
    w = np.array([[-1.0, 0.3], [1.0, -0.7], [-0.99999994, -0.7]], dtype=np.float32)
    for axis in (0, 1):
        q, scales = quantize_int8(w, axis)
        assert q.min() >= -127 and q.max() <= 127
    w = random_weights((64, 80), seed=5)
    w[:, 0] = -w[:, 0]
    q, _ = quantize_int8(w, 1)
    assert q.min() == -127 and (q != -128).all()


def test_int8_scales_and_layout():
    w = np.array([[127.0, -254.0], [-63.5, 127.0]], dtype=np.float32)
    e = encode(w, "int8", axis=1)                      # channels are columns: scales 1 and 2
    assert np.frombuffer(e.scales, dtype="<f4").tolist() == [1.0, 2.0]
    # row-major q; -63.5 and 63.5 are ties and round away from zero
    assert np.frombuffer(e.data, dtype=np.int8).tolist() == [127, -127, -64, 64]
    assert e.encoding == {"type": "int8", "axis": 1} and len(e.scales) == 4 * 2


def test_int8_zero_channel_has_scale_one():
    w = np.zeros((40, 3), dtype=np.float32)
    w[:, 1] = np.linspace(-1, 1, 40)
    q, scales = quantize_int8(w, 1)
    assert scales[0] == 1 and scales[2] == 1 and np.isfinite(scales).all()
    assert (q[:, 0] == 0).all() and (q[:, 2] == 0).all()
    assert (dequantize_int8(q, scales, 1)[:, [0, 2]] == 0).all()


def test_int8_scales_stay_positive_for_tiny_channels():
    w = np.zeros((32, 2), dtype=np.float32)
    w[0, 0] = 1e-44                                   # amax / 127 underflows float32
    q, scales = quantize_int8(w, 1)
    assert (scales > 0).all() and np.isfinite(scales).all() and abs(int(q[0, 0])) <= 127


def test_zero_blocks():
    w = np.zeros((2, 32), dtype=np.float32)
    assert encode(w, "q8_0", 1).data == (b"\x00\x00" + bytes(32)) * 2
    # Q4_0: d = +0 / -8 = -0 (0x8000 in binary16), as llama.cpp writes it; nibble 8 is zero
    assert encode(w, "q4_0", 1).data == (b"\x00\x80" + b"\x88" * 16) * 2
    for kind in ("q8_0", "q4_0"):
        e = encode(w, kind, 1)
        assert (decode(e.shape, e.encoding, e.data) == 0).all()


def test_float16_bytes():
    w = np.array([[1.0, -2.0], [65504.0, 2.0 ** -24]], dtype=np.float32)
    e = encode(w, "float16")
    assert e.encoding == {"type": "float16"} and e.scales is None
    assert e.data == np.array([1.0, -2.0, 65504.0, 2.0 ** -24], dtype="<f2").tobytes()


@pytest.mark.parametrize("kind", ["q8_0", "q4_0"])
def test_blocks_refuse_bad_shapes(kind):
    with pytest.raises(SwlError, match="multiple of 32"):
        encode(np.ones((40, 64), dtype=np.float32), kind, axis=0)
    with pytest.raises(SwlError, match="rank-2"):
        encode(np.ones((2, 32, 32), dtype=np.float32), kind, axis=1)
    with pytest.raises(SwlError, match="axis"):
        encode(np.ones((32, 32), dtype=np.float32), kind, axis=2)


@pytest.mark.parametrize("kind,axis", [("int8", 0), ("q8_0", 0), ("q4_0", 0), ("float16", None)])
def test_non_finite_refused(kind, axis):
    for bad in (np.nan, np.inf):
        w = np.ones((32, 32), dtype=np.float32)
        w[3, 4] = bad
        with pytest.raises(SwlError, match="NaN or Inf"):
            encode(w, kind, axis)


def test_float16_range_refused():
    with pytest.raises(SwlError, match="float16 range"):
        encode(np.full((4, 4), 70000.0, dtype=np.float32), "float16")
