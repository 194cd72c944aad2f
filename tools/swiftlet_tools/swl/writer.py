"""The one .swl writer. Standard library only, so fixtures can be written before a venv
exists; numpy arrays go through `swl.arrays.tensor_entries` first."""

import json
import os
import struct
from typing import Dict, Hashable, List, NamedTuple, Optional, Sequence, Tuple

from .encoding import encoding_problems
from .layout import ALIGN, FORMAT_VERSION, MAGIC, PREFIX_BYTES, SwlError, align_up


class TensorEntry(NamedTuple):
    """One row of the tensor table. Entries with the same `key` share one copy of the data.
    An encoded weight (swl/encoding.py) keeps its logical dtype and shape, carries the
    encoding object without offsets (`{"type": "int8", "axis": 1}`) and, for int8, its scales
    as float32 LE bytes; the writer places them and fills in the offsets."""
    name: str
    dtype: str
    shape: Sequence[int]
    data: bytes
    key: Hashable
    encoding: Optional[dict] = None
    scales: Optional[bytes] = None


class _Layout:
    """Payloads at offsets relative to the data region, each 64-byte aligned, and every
    header object that names one of them (made absolute once the header length is known)."""

    def __init__(self):
        self.end = 0
        self.payloads: List[Tuple[int, bytes]] = []
        self.placed: List[Tuple[dict, int]] = []

    def add(self, raw: bytes) -> int:
        off = self.end
        self.payloads.append((off, raw))
        self.end = align_up(off + len(raw))
        return off

    def ref(self, obj: dict, rel: int, length: int) -> dict:
        obj["offset"], obj["length"] = rel, length
        self.placed.append((obj, rel))
        return obj


def _encoding_row(t: TensorEntry, layout: _Layout, scales_rel: Optional[int]) -> dict:
    enc = {k: v for k, v in t.encoding.items() if k != "scales"}
    if t.scales is not None:
        enc["scales"] = layout.ref({}, scales_rel, len(t.scales))
    return enc


def _place_payloads(tensors: List[TensorEntry], blobs: Dict[str, bytes]):
    """Tensors (each followed by its scales, if any) first, then blobs."""
    layout = _Layout()
    seen: Dict[Hashable, Tuple[int, Optional[int]]] = {}
    tensor_rows = []
    for t in tensors:
        if t.scales is not None and t.encoding is None:
            raise SwlError(f"tensor {t.name!r}: scales without an encoding")
        if t.key not in seen:
            off = layout.add(t.data)
            seen[t.key] = (off, layout.add(t.scales) if t.scales is not None else None)
        off, scales_rel = seen[t.key]
        row = {"name": t.name, "dtype": t.dtype, "shape": [int(d) for d in t.shape]}
        layout.ref(row, off, len(t.data))
        if t.encoding is not None:
            row["encoding"] = _encoding_row(t, layout, scales_rel)
            problems = encoding_problems(row)
            if problems:
                raise SwlError(problems[0])
        tensor_rows.append(row)
    blob_rows = {name: layout.ref({}, layout.add(raw), len(raw)) for name, raw in blobs.items()}
    return tensor_rows, blob_rows, layout


def _encode_header(header: dict, layout: _Layout) -> Tuple[bytes, int]:
    """Offsets in the header are absolute, and the header's length moves the data start:
    iterate until the data start is stable. Returns (header bytes, data start)."""
    data_start = align_up(PREFIX_BYTES + 1024)
    for _ in range(16):
        for obj, rel in layout.placed:
            obj["offset"] = rel + data_start
        hbytes = json.dumps(header, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")
        need = align_up(PREFIX_BYTES + len(hbytes))
        if need == data_start:
            return hbytes, data_start
        data_start = need
    raise SwlError("internal error: header layout did not converge")


def _write_file(path: str, hbytes: bytes, data_start: int, payloads: List[Tuple[int, bytes]]) -> None:
    """Writes next to the target and renames, so a reader never sees half a file."""
    tmp = path + ".tmp"
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(tmp, "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<I", FORMAT_VERSION))
        f.write(struct.pack("<Q", len(hbytes)))
        f.write(hbytes)
        pos = PREFIX_BYTES + len(hbytes)
        for off, raw in payloads:
            target = data_start + off
            f.write(b"\0" * (target - pos))
            f.write(raw)
            pos = target + len(raw)
        f.write(b"\0" * (align_up(pos, ALIGN) - pos))
    os.replace(tmp, path)


def write_swl(path: str, graph: dict, tensors: List[TensorEntry], blobs: Dict[str, bytes],
              pipeline: dict, metadata: Dict[str, str], provenance: dict) -> dict:
    """Writes the file and returns the header as written."""
    tensor_rows, blob_rows, layout = _place_payloads(tensors, blobs)
    header = {
        "format_version": FORMAT_VERSION,
        "graph": graph,
        "tensors": tensor_rows,
        "blobs": blob_rows,
        "pipeline": pipeline,
        "metadata": metadata,
        "provenance": provenance,
    }
    hbytes, data_start = _encode_header(header, layout)
    _write_file(path, hbytes, data_start, layout.payloads)
    return header
