"""Tensor values read back from a .swl file as numpy arrays, encoded weights decoded to the
float32 they stand for: for tests, measurements and comparisons with a reference."""

import mmap
from typing import Dict, Iterable, Optional

import numpy as np

from .layout import SwlError
from .quantize import decode
from .reader import read_swl_header

_NP = {"float32": "<f4", "float16": "<f2", "int64": "<i8", "int32": "<i4", "int8": "i1", "uint8": "u1", "bool": "?"}


def _row_array(mm, row: dict) -> np.ndarray:
    raw = mm[row["offset"]:row["offset"] + row["length"]]
    enc = row.get("encoding")
    if enc is None:
        return np.frombuffer(raw, dtype=_NP[row["dtype"]]).reshape(row["shape"]).copy()
    scales = enc.get("scales")
    scale_bytes = mm[scales["offset"]:scales["offset"] + scales["length"]] if scales else None
    return decode(row["shape"], enc, raw, scale_bytes)


def load_tensors(path: str, names: Optional[Iterable[str]] = None) -> Dict[str, np.ndarray]:
    """{name: array} for every tensor (or just `names`), in table order."""
    header, _, _ = read_swl_header(path)
    rows = header.get("tensors", [])
    wanted = None if names is None else set(names)
    if wanted is not None:
        missing = wanted - {r["name"] for r in rows}
        if missing:
            raise SwlError(f"{path}: no tensor(s) {', '.join(sorted(missing))}")
    with open(path, "rb") as f:
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            return {r["name"]: _row_array(mm, r) for r in rows if wanted is None or r["name"] in wanted}
        finally:
            mm.close()
