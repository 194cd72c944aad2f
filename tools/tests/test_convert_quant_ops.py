"""The --onnx route carries an already-quantized ONNX graph (onnxruntime quantize_dynamic's
patterns) through unchanged: uint8/int8 initializers keep their dtype and bytes, the ONNX
quantization ops stay nodes, and the file passes the converter's self-check."""

import numpy as np
import pytest

from swiftlet_tools.convert.cli import main as convert_main
from swiftlet_tools.swl.reader import read_swl_header, verify_swl
from swiftlet_tools.swl.tensors import load_tensors


def quantized_model(path):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.default_rng(3)
    table = rng.integers(0, 256, (50, 64), dtype=np.uint8)
    w = rng.integers(-127, 128, (64, 32), dtype=np.int8)
    inits = [numpy_helper.from_array(a, n) for n, a in (
        ("table_q", table), ("table_scale", np.array(0.01, np.float32)), ("table_zp", np.array(128, np.uint8)),
        ("w_q", w), ("w_zp", np.array(0, np.int8)), ("w_scale", np.array(0.02, np.float32)),
        ("qv", np.arange(32, dtype=np.int8)), ("qv_scale", np.array(0.5, np.float32)))]
    nodes = [helper.make_node("Gather", ["table_q", "ids"], ["g_q"], name="gather"),
             helper.make_node("DequantizeLinear", ["g_q", "table_scale", "table_zp"], ["g"], name="dq"),
             helper.make_node("DynamicQuantizeLinear", ["g"], ["x_q", "x_scale", "x_zp"], name="dql"),
             helper.make_node("MatMulInteger", ["x_q", "w_q", "x_zp", "w_zp"], ["acc"], name="mmi"),
             helper.make_node("Cast", ["acc"], ["accf"], name="cast", to=TensorProto.FLOAT),
             helper.make_node("Mul", ["x_scale", "w_scale"], ["s"], name="scales"),
             helper.make_node("Mul", ["accf", "s"], ["y"], name="mul"),
             # a constant DequantizeLinear is folded by the converter
             helper.make_node("DequantizeLinear", ["qv", "qv_scale"], ["v"], name="dq_const"),
             helper.make_node("Mul", ["y", "v"], ["y2"], name="mul_v"),
             helper.make_node("QuantizeLinear", ["y2", "y_scale", "y_zp"], ["yq"], name="q")]
    inits += [numpy_helper.from_array(np.array(0.1, np.float32), "y_scale"), numpy_helper.from_array(np.array(-3, np.int8), "y_zp")]
    g = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("ids", TensorProto.INT64, ["n"])],
                          [helper.make_tensor_value_info("yq", TensorProto.INT8, ["n", 32])], inits)
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), path)
    return table, w


def test_quantized_onnx_passes_through(tmp_path, capsys):
    src, out = str(tmp_path / "q.onnx"), str(tmp_path / "q.swl")
    table, w = quantized_model(src)
    assert convert_main(["--onnx", src, "--out", out]) == 0
    assert "self-check ok" in capsys.readouterr().err
    assert verify_swl(out) == []
    header, _, _ = read_swl_header(out)
    ops = [n["op"] for n in header["graph"]["nodes"]]
    assert ops == ["Gather", "DequantizeLinear", "DynamicQuantizeLinear", "MatMulInteger", "Cast", "Mul", "Mul", "Mul",
                   "QuantizeLinear"]
    rows = {r["name"]: r for r in header["tensors"]}
    assert rows["table_q"]["dtype"] == "uint8" and rows["w_q"]["dtype"] == "int8"
    assert rows["table_zp"]["dtype"] == "uint8" and rows["w_zp"]["dtype"] == "int8" and rows["y_zp"]["dtype"] == "int8"
    assert all("encoding" not in r for r in rows.values())
    got = load_tensors(out)
    assert got["table_q"].dtype == np.uint8 and np.array_equal(got["table_q"], table)
    assert got["w_q"].dtype == np.int8 and np.array_equal(got["w_q"], w)
    assert rows["v"]["dtype"] == "float32" and np.array_equal(got["v"], np.arange(32, dtype=np.float32) * 0.5)
    assert [o["dtype"] for o in header["graph"]["outputs"]] == ["int8"]
