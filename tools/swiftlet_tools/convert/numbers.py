"""Float attributes as JSON."""

import math

import numpy as np

from .errors import ConvertError


def json_float(x: float) -> float:
    """Shortest decimal that round-trips to the same float32 (ONNX attrs are float32)."""
    if not math.isfinite(x):
        raise ConvertError(f"non-finite float attribute value {x} cannot be written as JSON")
    return float(str(np.float32(x)))
