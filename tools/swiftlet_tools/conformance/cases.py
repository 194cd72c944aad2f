"""The ONNX backend node test cases, and which of them Swiftlet can take: every op in
the registry (`swiftlet ops`), tensor inputs and outputs of dtypes a .swl holds."""

import os
import re
from typing import Dict, List, NamedTuple, Optional, Set, Tuple

import numpy as np

# onnx TensorProto element types a .swl holds (docs/FORMAT.md); float16 graphs are
# rewritten to float32 by the converter.
SWL_ELEM_TYPES = {1: "float32", 2: "uint8", 3: "int8", 6: "int32", 7: "int64", 9: "bool", 10: "float16"}


class Case(NamedTuple):
    name: str
    op: str                # the op family the case tests (for the per-op counts)
    model: object          # onnx.ModelProto
    data_sets: List[Tuple[List[np.ndarray], List[np.ndarray]]]


def _snake(op: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", op).lower()


def family(name: str, ops: List[str]) -> str:
    """The op a case is about: its only op, else the op its name starts with."""
    distinct = sorted(set(ops))
    if len(distinct) == 1:
        return distinct[0]
    best = None
    for op in distinct:
        if name.startswith("test_" + _snake(op)) and (best is None or len(op) > len(best)):
            best = op
    return best or ops[0]


def _from_files(onnx, root: str) -> List[Case]:
    from onnx import numpy_helper
    cases = []
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        model_path = os.path.join(d, "model.onnx")
        if not os.path.isfile(model_path):
            continue
        model = onnx.load(model_path)
        sets = []
        for ds in sorted(x for x in os.listdir(d) if x.startswith("test_data_set_")):
            def read(prefix):
                files = sorted((f for f in os.listdir(os.path.join(d, ds)) if f.startswith(prefix)),
                               key=lambda f: int(f[len(prefix):-3]))
                out = []
                for f in files:
                    t = onnx.TensorProto()
                    with open(os.path.join(d, ds, f), "rb") as fh:
                        t.ParseFromString(fh.read())
                    out.append(numpy_helper.to_array(t))
                return out
            sets.append((read("input_"), read("output_")))
        cases.append(Case(name, "", model, sets))
    return cases


def _array(v):
    """Generators give arrays, or TensorProtos for dtypes numpy lacks."""
    from onnx import TensorProto, numpy_helper
    return numpy_helper.to_array(v) if isinstance(v, TensorProto) else v


def _from_generators() -> List[Case]:
    import warnings
    import onnx.backend.test.case.node as node_cases
    # The generators compute their references with numpy, overflow and log(0) included.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        generated = node_cases.collect_testcases(None)
    return [Case(c.name, "", c.model, [([_array(v) for v in i], [_array(v) for v in o]) for i, o in c.data_sets])
            for c in generated if c.kind == "node"]


def all_cases(onnx) -> Tuple[List[Case], str]:
    """The shipped data files when the package has them, else the generators' cases."""
    root = os.path.join(os.path.dirname(onnx.__file__), "backend", "test", "data", "node")
    if os.path.isdir(root) and os.listdir(root):
        return _from_files(onnx, root), root
    return _from_generators(), "onnx.backend.test.case.node generators"


def _tensor_type(vi) -> Optional[int]:
    if not vi.type.HasField("tensor_type"):
        return None
    return vi.type.tensor_type.elem_type


def why_out_of_scope(case: Case, registered: Set[str]) -> Optional[str]:
    """None when Swiftlet should run the case; else the reason it is skipped."""
    g = case.model.graph
    for n in g.node:
        if n.domain not in ("", "ai.onnx"):
            return f"domain {n.domain}"
        if n.op_type not in registered:
            return f"op {n.op_type} not registered"
        if any(a.g.node or a.graphs for a in n.attribute):
            return "subgraph attribute"
    for vi in list(g.input) + list(g.output):
        t = _tensor_type(vi)
        if t is None:
            return f"non-tensor value {vi.name}"
        if t not in SWL_ELEM_TYPES:
            return f"dtype {t} of {vi.name}"
    for t in g.initializer:
        if t.data_type not in SWL_ELEM_TYPES:
            return f"dtype {t.data_type} of initializer {t.name}"
    for n in g.node:
        for a in n.attribute:
            if a.name == "value" and a.HasField("t") and a.t.data_type not in SWL_ELEM_TYPES:
                return f"dtype {a.t.data_type} of {n.op_type} value"
    if not case.data_sets:
        return "no data"
    return None


def select(cases: List[Case], registered: Set[str]) -> Tuple[List[Case], Dict[str, int]]:
    """(in-scope cases with their op family, skipped-reason counts). An `_expanded` case
    (the op spelled as its function body) counts for the op of the case it expands, even
    when that op itself is not registered (e.g. Clip's body of Less and Where)."""
    single = {c.name: c.model.graph.node[0].op_type for c in cases if len(c.model.graph.node) == 1}
    chosen, skipped = [], {}
    for c in cases:
        why = why_out_of_scope(c, registered)
        if why is None:
            base = re.sub(r"_expanded(_ver\d+)?$", "", c.name)
            op = single.get(base) if base != c.name else None
            chosen.append(c._replace(op=op or family(c.name, [n.op_type for n in c.model.graph.node])))
        else:
            key = why.split(" ")[0]
            skipped[key] = skipped.get(key, 0) + 1
    return chosen, skipped
