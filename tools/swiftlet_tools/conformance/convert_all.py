"""Every in-scope case through the real converter (tools/convert.py --onnx), in this one
process: a fresh interpreter per case would cost more than the conversions."""

import contextlib
import io
import os
from typing import Dict, List, Optional

import numpy as np

from ..convert.cli import main as convert_main
from ..swl.reader import read_swl_header
from .cases import Case

NP_OF = {"float32": np.float32, "float16": np.float16, "int64": np.int64, "int32": np.int32,
         "int8": np.int8, "uint8": np.uint8, "bool": np.bool_}


class Prepared:
    """One data set of one case, ready for `swiftlet run --batch`."""

    def __init__(self, case: Case, index: int, model: str, out_dir: str, feeds: List[str],
                 expected: Dict[str, np.ndarray]):
        self.case, self.index, self.model, self.out_dir = case, index, model, out_dir
        self.feeds, self.expected = feeds, expected

    def batch_line(self) -> str:
        return "\t".join([self.model, self.out_dir] + self.feeds)


def convert_case(case: Case, work: str) -> "tuple[Optional[str], Optional[dict]]":
    """(.swl path, header) or (None, {"error": converter's message})."""
    d = os.path.join(work, case.name)
    os.makedirs(d, exist_ok=True)
    src, out = os.path.join(d, "model.onnx"), os.path.join(d, "model.swl")
    with open(src, "wb") as f:
        f.write(case.model.SerializeToString())
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            rc = convert_main(["--onnx", src, "--out", out])
        except Exception as e:  # a converter crash is a failure of that case, not of the suite
            rc, _ = 1, err.write(f"convert crashed: {type(e).__name__}: {e}")
    if rc != 0:
        lines = [l for l in err.getvalue().splitlines() if "error" in l or "crashed" in l]
        return None, {"error": (lines[-1] if lines else err.getvalue().strip()[-300:])}
    return out, read_swl_header(out)[0]


def prepare(case: Case, work: str) -> "tuple[List[Prepared], Optional[str]]":
    """The case's data sets as batch entries, or the conversion error."""
    model, header = convert_case(case, work)
    if model is None:
        return [], header["error"]
    g = case.model.graph
    init = {t.name for t in g.initializer}
    graph_inputs = [vi.name for vi in g.input if vi.name not in init]
    declared = {i["name"]: i["dtype"] for i in header["graph"]["inputs"]}
    out_names = [vi.name for vi in g.output]
    prepared = []
    for k, (inputs, outputs) in enumerate(case.data_sets):
        d = os.path.join(work, case.name, f"set{k}")
        os.makedirs(d, exist_ok=True)
        feeds = []
        for name, arr in zip(graph_inputs, inputs):
            if name not in declared:
                continue  # an input no node reads: the converter drops it
            arr = np.asarray(arr)
            # A float16 case becomes a float32 graph (the converter's float16 rewrite).
            arr = arr.astype(NP_OF[declared[name]]) if declared[name] in NP_OF else arr
            path = os.path.join(d, f"in{len(feeds)}.npy")
            np.save(path, np.ascontiguousarray(arr))
            feeds.append(f"{name}={path}")
        prepared.append(Prepared(case, k, model, os.path.join(d, "out"), feeds,
                                 dict(zip(out_names, (np.asarray(o) for o in outputs)))))
    return prepared, None
