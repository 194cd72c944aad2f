"""tools/onnx_conformance.py's own rules: what counts as agreeing with a reference output,
the expected-failures file format, in-scope selection, and the op family a case counts for."""

import numpy as np
import pytest
from onnx import TensorProto, helper

from swiftlet_tools.conformance.cases import Case, family, why_out_of_scope
from swiftlet_tools.conformance.compare import compare, safe_name
from swiftlet_tools.conformance.suite import read_expected
from swiftlet_tools.errors import ToolError


def test_floats_within_rtol_atol_and_nan_positions():
    want = np.array([1.0, 1000.0, 0.0, np.nan], dtype=np.float32)
    assert compare(want, np.array([1.0005, 1000.9, 9e-6, np.nan], dtype=np.float32)) is None
    assert "1 of 4" in compare(want, np.array([1.002, 1000.0, 0.0, np.nan], dtype=np.float32))
    assert compare(want, np.array([1.0, 1000.0, 0.0, 0.0], dtype=np.float32)) == "NaN positions differ"
    assert "shape" in compare(want, want.reshape(2, 2))


def test_integers_and_bools_exact():
    assert compare(np.array([3, 4], np.int64), np.array([3, 4], np.int64)) is None
    assert "1 of 2" in compare(np.array([3, 4], np.int64), np.array([3, 5], np.int64))
    assert "dtype" in compare(np.array([True]), np.array([1], np.uint8))


def test_expected_failures_need_a_reason(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("# comment\n\ntest_a  random outputs\n")
    assert read_expected(str(p)) == {"test_a": "random outputs"}
    p.write_text("test_b\n")
    with pytest.raises(ToolError, match="no reason"):
        read_expected(str(p))


def _case(op, in_type=TensorProto.FLOAT):
    node = helper.make_node(op, ["x"], ["y"])
    g = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", in_type, [2])],
                          [helper.make_tensor_value_info("y", in_type, [2])])
    return Case("test_" + op.lower(), "", helper.make_model(g), [([np.zeros(2)], [np.zeros(2)])])


def test_scope_needs_registered_ops_and_swl_dtypes():
    assert why_out_of_scope(_case("Relu"), {"Relu"}) is None
    assert why_out_of_scope(_case("Selu"), {"Relu"}) == "op Selu not registered"
    assert why_out_of_scope(_case("Relu", TensorProto.DOUBLE), {"Relu"}).startswith("dtype 11")


def test_family_is_the_tested_op():
    assert family("test_layer_normalization_2d_axis0_expanded", ["ReduceMean", "Sub", "LayerNormalization"]) == "LayerNormalization"
    assert family("test_relu", ["Relu"]) == "Relu"
    assert safe_name("a/b:0") == "a_b_0"


def test_batch_resumes_after_a_case_that_kills_the_process(tmp_path):
    """A stand-in for `swiftlet run --batch`: dies (exit 134, as a trap does) on any case
    whose model is named `crash`; the runner reports that case and runs the rest."""
    import stat
    from swiftlet_tools.conformance.run_batch import run_all

    fake = tmp_path / "swiftlet"
    fake.write_text("#!/usr/bin/env python3\n"
                    "import sys\n"
                    "lines = open(sys.argv[-1]).read().splitlines()\n"
                    "for k, l in enumerate(lines):\n"
                    "    print('{\"case\":%d,\"start\":true}' % k, flush=True)\n"
                    "    if l.startswith('crash'): sys.exit(134)\n"
                    "    if l.startswith('bad'): print('{\"case\":%d,\"error\":\"no\"}' % k); continue\n"
                    "    print('{\"case\":%d,\"ok\":true}' % k, flush=True)\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)

    class Item:
        def __init__(self, model):
            self.model = model

        def batch_line(self):
            return f"{self.model}\tout"

    items = [Item(m) for m in ["a", "crash", "b", "bad", "crash", "c"]]
    errors = run_all(str(fake), items, str(tmp_path))
    assert sorted(errors) == [1, 3, 4]
    assert "exit 134" in errors[1] and errors[3] == "no"
