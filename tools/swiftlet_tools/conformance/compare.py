"""Swiftlet's outputs against the ONNX reference outputs: floats within rtol 1e-3 and
atol 1e-5 with NaN where the reference has NaN, integers and bools exactly."""

import os
from typing import Optional

import numpy as np

RTOL, ATOL = 1e-3, 1e-5


def safe_name(name: str) -> str:
    """The file name `swiftlet run` gives an output (RunCommand.runOne)."""
    return "".join(c if c.isalnum() or c in "_-." else "_" for c in name)


def compare(expected: np.ndarray, got: np.ndarray) -> Optional[str]:
    """None when they agree; else what differs."""
    if tuple(expected.shape) != tuple(got.shape):
        return f"shape {list(got.shape)}, expected {list(expected.shape)}"
    if expected.dtype.kind == "f":
        if got.dtype.kind != "f":
            return f"dtype {got.dtype}, expected {expected.dtype}"
        e, g = expected.astype(np.float64), got.astype(np.float64)
        if not np.array_equal(np.isnan(e), np.isnan(g)):
            return "NaN positions differ"
        ok = np.isclose(g, e, rtol=RTOL, atol=ATOL, equal_nan=True)
        if not ok.all():
            i = np.unravel_index(np.argmax(~ok), ok.shape) if ok.ndim else ()
            return f"{int((~ok).sum())} of {ok.size} values differ (at {list(map(int, i))}: {g[i]} vs {e[i]})"
        return None
    if got.dtype != expected.dtype:
        return f"dtype {got.dtype}, expected {expected.dtype}"
    if not np.array_equal(expected, got):
        bad = int((expected != got).sum())
        return f"{bad} of {expected.size} values differ"
    return None


def check_outputs(out_dir: str, expected: dict) -> Optional[str]:
    for name, want in expected.items():
        path = os.path.join(out_dir, safe_name(name) + ".npy")
        if not os.path.isfile(path):
            return f"output {name!r} missing"
        why = compare(want, np.load(path))
        if why:
            return f"output {name!r}: {why}"
    return None
