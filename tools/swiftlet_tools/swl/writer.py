"""The one .swl writer. Standard library only, so fixtures can be written before a venv
exists; numpy arrays go through `swl.arrays.tensor_entries` first."""

import json
import os
import struct
from typing import Dict, Hashable, List, NamedTuple, Sequence, Tuple

from .layout import ALIGN, FORMAT_VERSION, MAGIC, PREFIX_BYTES, SwlError, align_up


class TensorEntry(NamedTuple):
    """One row of the tensor table. Entries with the same `key` share one copy of the data."""
    name: str
    dtype: str
    shape: Sequence[int]
    data: bytes
    key: Hashable


def _place_payloads(tensors: List[TensorEntry], blobs: Dict[str, bytes]):
    """Offsets relative to the data region: tensors first, then blobs, each 64-byte aligned."""
    rel = 0
    seen: Dict[Hashable, Tuple[int, int]] = {}
    payloads: List[Tuple[int, bytes]] = []
    tensor_rows = []
    for t in tensors:
        if t.key in seen:
            off, length = seen[t.key]
        else:
            off, length = rel, len(t.data)
            payloads.append((off, t.data))
            rel = align_up(rel + length)
            seen[t.key] = (off, length)
        tensor_rows.append({"name": t.name, "dtype": t.dtype, "shape": [int(d) for d in t.shape],
                            "offset": off, "length": length})
    blob_rows = {}
    for name, raw in blobs.items():
        payloads.append((rel, raw))
        blob_rows[name] = {"offset": rel, "length": len(raw)}
        rel = align_up(rel + len(raw))
    return tensor_rows, blob_rows, payloads


def _encode_header(header: dict, tensor_rows: List[dict], blob_rows: Dict[str, dict]) -> Tuple[bytes, int]:
    """Offsets in the header are absolute, and the header's length moves the data start:
    iterate until the data start is stable. Returns (header bytes, data start)."""
    rel_t = [r["offset"] for r in tensor_rows]
    rel_b = {n: r["offset"] for n, r in blob_rows.items()}
    data_start = align_up(PREFIX_BYTES + 1024)
    for _ in range(16):
        for r, o in zip(tensor_rows, rel_t):
            r["offset"] = o + data_start
        for n, r in blob_rows.items():
            r["offset"] = rel_b[n] + data_start
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
    tensor_rows, blob_rows, payloads = _place_payloads(tensors, blobs)
    header = {
        "format_version": FORMAT_VERSION,
        "graph": graph,
        "tensors": tensor_rows,
        "blobs": blob_rows,
        "pipeline": pipeline,
        "metadata": metadata,
        "provenance": provenance,
    }
    hbytes, data_start = _encode_header(header, tensor_rows, blob_rows)
    _write_file(path, hbytes, data_start, payloads)
    return header
