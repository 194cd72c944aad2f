"""The --onnx route computes a float16 graph in float32 (onnx_float16.py): float16 and
float64 initializers/Constants widened losslessly, Casts to FLOAT16/DOUBLE made Casts to
FLOAT, float16 graph inputs/outputs declared float32; a float32 graph is left alone. The
tiny graph has torch's fp16 LayerNorm shape: Cast to DOUBLE, Pow by a double 2.0, a double
epsilon, Cast back to FLOAT16."""

import numpy as np
import pytest

from swiftlet_tools.convert.cli import main as convert_main
from swiftlet_tools.swl.reader import read_swl_header, verify_swl
from swiftlet_tools.swl.tensors import load_tensors


def fp16_model(path):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper
    w = (np.arange(12, dtype=np.float32).reshape(4, 3) / 7).astype(np.float16)
    inits = [numpy_helper.from_array(w, "w"), numpy_helper.from_array(np.array([0.5, -1, 2], np.float16), "b")]
    nodes = [helper.make_node("MatMul", ["x", "w"], ["h"], name="mm"),
             helper.make_node("Add", ["h", "b"], ["hb"], name="add"),
             helper.make_node("Cast", ["hb"], ["hd"], name="to_double", to=TensorProto.DOUBLE),
             helper.make_node("Constant", [], ["two"], name="two", value=numpy_helper.from_array(np.array(2.0), "two")),
             helper.make_node("Pow", ["hd", "two"], ["sq"], name="pow"),
             helper.make_node("Constant", [], ["eps"], name="eps", value=numpy_helper.from_array(np.array(1e-12), "eps")),
             helper.make_node("Add", ["sq", "eps"], ["sqe"], name="add_eps"),
             helper.make_node("Cast", ["sqe"], ["y"], name="to_half", to=TensorProto.FLOAT16)]
    g = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT16, ["n", 4])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT16, ["n", 3])], inits)
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 14)]), path)
    return w


def test_float16_graph_computed_in_float32(tmp_path, capsys):
    src, out = str(tmp_path / "h.onnx"), str(tmp_path / "h.swl")
    w = fp16_model(src)
    assert convert_main(["--onnx", src, "--out", out]) == 0
    err = capsys.readouterr().err
    assert "float16 graph computed in float32" in err and "self-check ok" in err
    assert verify_swl(out) == []
    header, _, _ = read_swl_header(out)
    graph = header["graph"]
    assert [i["dtype"] for i in graph["inputs"]] == ["float32"]
    assert [o["dtype"] for o in graph["outputs"]] == ["float32"]
    # The Cast to DOUBLE reads a float32 value once the graph is float32: removed, Pow reads
    # the Add directly. The Cast back to FLOAT16 makes the graph output: kept, as a Cast to FLOAT.
    casts = [n for n in graph["nodes"] if n["op"] == "Cast"]
    assert len(casts) == 1 and casts[0]["outputs"] == ["y"] and casts[0]["attrs"]["to"] == {"i": 1}, casts
    assert next(n for n in graph["nodes"] if n["op"] == "Pow")["inputs"][0] == "hb"
    rows = {r["name"]: r for r in header["tensors"]}
    assert all(r["dtype"] == "float32" for r in rows.values()), rows
    got = load_tensors(out)
    assert np.array_equal(got["w"], w.astype(np.float32))  # exact: every float16 is a float32
    assert got["two"] == np.float32(2) and got["eps"] == np.float32(1e-12)
    rec = header["provenance"]["float16_graph"]
    assert rec["computed_in"] == "float32" and rec["casts"] == 2 and rec["initializers"] == 2
    assert rec["identity_casts_removed"] == 1


def test_float16_weights_stored_back_losslessly_with_fp16(tmp_path):
    """--fp16 on the widened graph stores large float16-born weights as float16 again, exactly."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.default_rng(5)
    w = rng.standard_normal((64, 32)).astype(np.float16)
    g = helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")], "g",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT16, ["n", 64])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT16, ["n", 32])],
                          [numpy_helper.from_array(w, "w")])
    src, out = str(tmp_path / "w.onnx"), str(tmp_path / "w.swl")
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 14)]), src)
    assert convert_main(["--onnx", src, "--fp16", "--out", out]) == 0
    header, _, _ = read_swl_header(out)
    assert {r["name"]: (r.get("encoding") or {}).get("type") for r in header["tensors"]}["w"] == "float16"
    assert np.array_equal(load_tensors(out)["w"], w.astype(np.float32))


def test_float32_graph_untouched(tmp_path, capsys):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper
    g = helper.make_graph([helper.make_node("Add", ["x", "b"], ["y"], name="add")], "g",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 3])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", 3])],
                          [numpy_helper.from_array(np.ones(3, np.float32), "b")])
    src, out = str(tmp_path / "f.onnx"), str(tmp_path / "f.swl")
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 14)]), src)
    assert convert_main(["--onnx", src, "--out", out]) == 0
    assert "float16 graph" not in capsys.readouterr().err
    header, _, _ = read_swl_header(out)
    assert "float16_graph" not in header["provenance"]
