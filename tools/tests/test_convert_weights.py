"""Which weights the converter's --quantize/--fp16 encode (convert/weights.py): MatMul/Gemm
weights, large Gather tables (threshold monkeypatched), Q4_0 with Q8_0 exceptions
(--keep-q8) and named small tables (--quantize-table), and the whole command on a small ONNX
model: header, provenance, summary, refusals."""

import numpy as np
import pytest

from swiftlet_tools.convert.cli import main as convert_main
from swiftlet_tools.convert import weights
from swiftlet_tools.convert.errors import ConvertError
from swiftlet_tools.convert.weights import WeightOptions, encode_weights
from swiftlet_tools.swl.quantize import EncodedTensor, decode
from swiftlet_tools.swl.reader import read_swl_header, verify_swl
from swiftlet_tools.swl.tensors import load_tensors


def node(name, op, inputs, attrs=None):
    return {"name": name, "op": op, "inputs": inputs, "outputs": [name + "_out"], "attrs": attrs or {}}


def graph(nodes):
    return {"opset": 17, "inputs": [{"name": "x", "dtype": "float32", "shape": ["b", 64]}],
            "outputs": [{"name": nodes[-1]["outputs"][0], "dtype": "float32", "shape": ["b", 64]}],
            "nodes": nodes}


def tensors_of(**shapes):
    rng = np.random.default_rng(1)
    return {k: rng.standard_normal(s).astype(np.float32) for k, s in shapes.items()}


def run(nodes, tensors, quantize=None, fp16=False, keep=(), keep_q8=(), table=()):
    return encode_weights(graph(nodes), tensors, WeightOptions(quantize, fp16, list(keep), True,
                                                                list(keep_q8), list(table)))


def encodings(out):
    return {k: (v.encoding if isinstance(v, EncodedTensor) else None) for k, v in out.items()}


NODES = [
    node("/l0/MatMul", "MatMul", ["x", "w_mm"]),                              # [K=64, N=96]
    node("/l0/Add", "Add", ["/l0/MatMul_out", "bias"]),
    node("/l1/Gemm", "Gemm", ["/l0/Add_out", "w_gemm_t", "bias2"], {"transB": {"i": 1}}),  # [N=64, K=96]
    node("/l2/Gemm", "Gemm", ["/l1/Gemm_out", "w_gemm"]),                    # [K=64, N=64], transB 0
    node("/l3/MatMul", "MatMul", ["/l2/Gemm_out", "w_shared"]),              # also read by Add below
    node("/l3/Add", "Add", ["/l3/MatMul_out", "w_shared"]),
    node("/l4/MatMul", "MatMul", ["/l3/Add_out", "w_small"]),                # [64, 16]
    node("/l5/MatMul", "MatMul", ["/l4/MatMul_out", "w_odd"]),               # [16, 48]: K below 32
    node("/emb/Gather", "Gather", ["table", "ids"]),
]


def tensors():
    return tensors_of(w_mm=(64, 96), bias=(96,), w_gemm_t=(64, 96), bias2=(64,), w_gemm=(64, 64),
                      w_shared=(64, 64), w_small=(64, 16), w_odd=(16, 48), table=(300, 64))


def test_int8_axes_follow_the_layout():
    out = encodings(run(NODES, tensors(), "int8"))
    assert out["w_mm"] == {"type": "int8", "axis": 1}       # MatMul [K, N]: channels are columns
    assert out["w_gemm_t"] == {"type": "int8", "axis": 0}   # Gemm transB=1 [N, K]: rows
    assert out["w_gemm"] == {"type": "int8", "axis": 1}
    for kept in ("bias", "bias2", "w_shared", "w_small", "w_odd", "table"):
        assert out[kept] is None, kept


def test_blocks_run_along_the_reduction_axis():
    out = encodings(run(NODES, tensors(), "q4_0"))
    assert out["w_mm"] == {"type": "q4_0", "axis": 0}
    assert out["w_gemm_t"] == {"type": "q4_0", "axis": 1}
    assert out["w_gemm"] == {"type": "q4_0", "axis": 0}


def test_reduction_not_a_multiple_of_32_stays_float(capsys):
    t = tensors_of(w=(48, 64))
    nodes = [node("/mm", "MatMul", ["x", "w"])]
    assert encodings(run(nodes, t, "q8_0"))["w"] is None
    assert "kept float32: w (reduction dimension 48 is not a multiple of 32)" in capsys.readouterr().err
    assert encodings(run(nodes, t, "int8"))["w"] == {"type": "int8", "axis": 1}


def test_keep_float_matches_tensor_or_node_names(capsys):
    out = encodings(run(NODES, tensors(), "int8", keep=["/l1/*", "w_gemm"]))
    assert out["w_gemm_t"] is None and out["w_gemm"] is None and out["w_mm"] is not None
    assert "kept float32: w_gemm_t (--keep-float /l1/*)" in capsys.readouterr().err


def test_fp16_takes_large_tensors_quantize_takes_precedence():
    out = encodings(run(NODES, tensors(), "int8", fp16=True))
    assert out["w_mm"]["type"] == "int8"
    assert out["table"] == {"type": "float16"} and out["w_shared"] == {"type": "float16"}
    assert out["w_small"] == {"type": "float16"}  # 1024 values
    assert out["bias"] is None and out["w_odd"] is None  # < 1024 values


def test_fp16_keeps_out_of_range_tensors(capsys):
    t = tensors_of(table=(300, 64))
    t["table"][0, 0] = 1e6
    assert encodings(run([node("/g", "Gather", ["table", "ids"])], t, fp16=True))["table"] is None
    assert "float16: values beyond" in capsys.readouterr().err


def test_non_finite_weights_are_refused():
    t = tensors()
    t["w_mm"][3, 3] = np.nan
    with pytest.raises(ConvertError, match="'w_mm'.*NaN"):
        run(NODES, t, "q8_0")


def test_verbose_reports_errors(capsys):
    run(NODES, tensors(), "q4_0")
    err = capsys.readouterr().err
    assert "w_mm [64, 96] q4_0 axis 0: worst error" in err
    assert "q4_0: 3 MatMul/Gemm weights encoded" in err


# ---------------------------------------------------------------- the command on an ONNX file

def onnx_model(path):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.default_rng(2)
    w1 = rng.standard_normal((64, 128)).astype(np.float32)   # MatMul [K, N]
    w2 = rng.standard_normal((32, 128)).astype(np.float32)   # Gemm transB=1 [N, K]
    b2 = rng.standard_normal(32).astype(np.float32)
    nodes = [helper.make_node("MatMul", ["x", "w1"], ["h"], name="mm"),
             helper.make_node("Relu", ["h"], ["r"], name="relu"),
             helper.make_node("Gemm", ["r", "w2", "b2"], ["y"], name="gemm", transB=1)]
    g = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 64])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4, 32])],
                          [numpy_helper.from_array(a, n) for n, a in (("w1", w1), ("w2", w2), ("b2", b2))])
    model = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    onnx.save(model, path)
    return {"w1": w1, "w2": w2, "b2": b2}


@pytest.mark.parametrize("kind", ["int8", "q8_0", "q4_0"])
def test_convert_onnx_quantized(tmp_path, kind, capsys):
    src = str(tmp_path / "m.onnx")
    w = onnx_model(src)
    out = str(tmp_path / "m.swl")
    assert convert_main(["--onnx", src, "--quantize", kind, "--out", out]) == 0
    header, _, _ = read_swl_header(out)
    rows = {r["name"]: r for r in header["tensors"]}
    assert header["provenance"]["quantize"] == kind
    assert rows["b2"].get("encoding") is None
    if kind == "int8":
        assert rows["w1"]["encoding"]["axis"] == 1 and rows["w2"]["encoding"]["axis"] == 0
    else:
        assert rows["w1"]["encoding"] == {"type": kind, "axis": 0}
        assert rows["w2"]["encoding"] == {"type": kind, "axis": 1}
    assert verify_swl(out) == []
    got = load_tensors(out)
    for n in ("w1", "w2"):
        assert np.abs(got[n] - w[n]).max() <= np.abs(w[n]).max() / 7
    assert "self-check ok" in capsys.readouterr().err


def test_convert_onnx_fp16(tmp_path):
    src = str(tmp_path / "m.onnx")
    onnx_model(src)
    out = str(tmp_path / "m.swl")
    assert convert_main(["--onnx", src, "--fp16", "--keep-float", "w2", "--out", out]) == 0
    header, _, _ = read_swl_header(out)
    rows = {r["name"]: r for r in header["tensors"]}
    assert rows["w1"]["encoding"] == {"type": "float16"} and "encoding" not in rows["w2"]
    assert header["provenance"]["fp16"] is True and header["provenance"]["keep_float"] == ["w2"]


def test_convert_refuses_keep_float_alone(tmp_path, capsys):
    src = str(tmp_path / "m.onnx")
    onnx_model(src)
    assert convert_main(["--onnx", src, "--keep-float", "x", "--out", str(tmp_path / "o.swl")]) == 1
    assert "--keep-float only means something" in capsys.readouterr().err


def test_aliases_share_one_encoded_copy():
    w = tensors_of(w=(64, 64))["w"]
    nodes = [node("/a", "MatMul", ["x", "w"]), node("/b", "MatMul", ["/a_out", "w_alias"])]
    out = run(nodes, {"w": w, "w_alias": w}, "q8_0")
    assert isinstance(out["w"], EncodedTensor) and out["w"] is out["w_alias"]


# ---------------------------------------------------------------- large Gather tables

TABLE_NODES = [node("/emb/Gather", "Gather", ["table", "ids"], {"axis": {"i": 0}}),
               node("/l0/MatMul", "MatMul", ["/emb/Gather_out", "w_mm"])]


@pytest.fixture
def small_threshold(monkeypatch):
    """A [300, 64] table (19200 values) counts as large; [40, 64] (2560) does not."""
    monkeypatch.setattr(weights, "GATHER_TABLE_MIN_SIZE", 300 * 64)


def test_default_threshold_keeps_minilm_and_takes_e5():
    assert 30522 * 384 < weights.GATHER_TABLE_MIN_SIZE <= 250037 * 384


@pytest.mark.parametrize("kind,axis", [("int8", 0), ("q8_0", 1), ("q4_0", 1)])
def test_large_gather_table_is_encoded_by_rows(small_threshold, kind, axis, capsys):
    t = tensors_of(table=(300, 64), w_mm=(64, 96))
    out = run(TABLE_NODES, t, kind)
    assert encodings(out)["table"] == {"type": kind, "axis": axis}  # int8: a scale per row
    assert encodings(out)["w_mm"]["type"] == kind
    err = capsys.readouterr().err
    assert f"{kind}: 1 Gather table encoded" in err and f"{kind}: 1 MatMul/Gemm weight encoded" in err
    assert f"table [300, 64] {kind} axis {axis}: worst error" in err


def test_a_table_row_decodes_alone(small_threshold):
    t = tensors_of(table=(300, 64))
    e = run(TABLE_NODES[:1], t, "q4_0")["table"]
    whole = decode(e.shape, e.encoding, e.data)
    row_bytes = 64 // 32 * 18
    for r in (0, 17, 299):
        one = e.data[r * row_bytes:(r + 1) * row_bytes]
        assert np.array_equal(decode((1, 64), e.encoding, one), whole[r:r + 1])


def test_absent_gather_axis_means_0(small_threshold):
    nodes = [node("/emb/Gather", "Gather", ["table", "ids"])]
    assert encodings(run(nodes, tensors_of(table=(300, 64)), "q8_0"))["table"] == {"type": "q8_0", "axis": 1}


def test_small_gather_tables_stay_float_silently(small_threshold, capsys):
    out = encodings(run(TABLE_NODES, tensors_of(table=(40, 64), w_mm=(64, 96)), "q4_0"))
    assert out["table"] is None
    assert "kept float32" not in capsys.readouterr().err


@pytest.mark.parametrize("nodes,why", [
    ([node("/g", "Gather", ["table", "ids"], {"axis": {"i": 1}})], "gathered along axis 1, not 0"),
    ([node("/g", "Gather", ["table", "ids"]), node("/a", "Add", ["/g_out", "table"])],
     "Gather table also used as Add input 1"),
    ([node("/g", "Gather", ["table", "ids"]), node("/m", "MatMul", ["x", "table"])],
     "also used as Gather input 0"),  # a tied output projection: the MatMul rule speaks
])
def test_gather_tables_read_otherwise_stay_float(small_threshold, nodes, why, capsys):
    assert encodings(run(nodes, tensors_of(table=(300, 64)), "int8"))["table"] is None
    assert f"kept float32: table ({why})" in capsys.readouterr().err


def test_table_row_length_not_a_multiple_of_32(small_threshold, capsys):
    t = tensors_of(table=(400, 48))
    nodes = [node("/g", "Gather", ["table", "ids"])]
    assert encodings(run(nodes, t, "q4_0"))["table"] is None
    assert "kept float32: table (row length 48 is not a multiple of 32)" in capsys.readouterr().err
    assert encodings(run(nodes, t, "int8"))["table"] == {"type": "int8", "axis": 0}


@pytest.mark.parametrize("pattern", ["table", "/emb/*"])
def test_keep_float_covers_gather_tables(small_threshold, pattern, capsys):
    out = encodings(run(TABLE_NODES, tensors_of(table=(300, 64), w_mm=(64, 96)), "q4_0", keep=[pattern]))
    assert out["table"] is None and out["w_mm"] is not None
    assert f"kept float32: table (--keep-float {pattern})" in capsys.readouterr().err


def test_table_is_no_smoothing_site(small_threshold):
    t = tensors_of(table=(300, 64), w_mm=(64, 96))
    assert weights.int8_weight_names(graph(TABLE_NODES), t, []) == {"w_mm"}


# ---------------------------------------------------------------- mixed Q4_0/Q8_0, named tables

def test_keep_q8_mixes_block_formats(capsys):
    out = encodings(run(NODES, tensors(), "q4_0", keep_q8=["w_mm", "/l1/*"]))
    assert out["w_mm"] == {"type": "q8_0", "axis": 0}        # by tensor name
    assert out["w_gemm_t"] == {"type": "q8_0", "axis": 1}    # by its Gemm's node name
    assert out["w_gemm"] == {"type": "q4_0", "axis": 0}
    err = capsys.readouterr().err
    assert "q4_0: 1 MatMul/Gemm weight encoded" in err and "q8_0: 2 MatMul/Gemm weights encoded" in err


def test_keep_q8_blocks_equal_plain_q8_0():
    """A kept weight holds exactly the blocks --quantize q8_0 writes; the others stay Q4_0's."""
    mixed = run(NODES, tensors(), "q4_0", keep_q8=["w_mm"])
    assert mixed["w_mm"].data == run(NODES, tensors(), "q8_0")["w_mm"].data
    assert mixed["w_gemm"].data == run(NODES, tensors(), "q4_0")["w_gemm"].data


def test_keep_float_wins_over_keep_q8():
    out = encodings(run(NODES, tensors(), "q4_0", keep=["w_mm"], keep_q8=["w_*"]))
    assert out["w_mm"] is None and out["w_gemm"] == {"type": "q8_0", "axis": 0}


@pytest.mark.parametrize("quantize,keep_q8,table,message", [
    ("int8", ["w_mm"], [], "--keep-q8 works with --quantize q4_0 only"),
    ("q8_0", ["w_mm"], [], "--keep-q8 works with --quantize q4_0 only"),
    (None, [], ["table"], "--quantize-table only means something with --quantize"),
    ("q4_0", ["w_typo"], [], "--keep-q8 'w_typo' matches no tensor"),
    ("q4_0", ["bias"], [], "--keep-q8 'bias' matches no tensor"),   # exists, but nothing encodes it
    ("q4_0", [], ["w_mm"], "--quantize-table 'w_mm' matches no tensor"),  # a MatMul weight, no table
])
def test_mixed_flags_refused(quantize, keep_q8, table, message):
    with pytest.raises(ConvertError, match=message):
        run(NODES, tensors(), quantize, keep_q8=keep_q8, table=table)


@pytest.mark.parametrize("pattern", ["table", "/emb/*"])
def test_quantize_table_takes_a_small_table(pattern, capsys):
    """[300, 64] is far below the default threshold; naming it encodes it all the same."""
    t = tensors_of(table=(300, 64), w_mm=(64, 96))
    assert encodings(run(TABLE_NODES, t, "q4_0"))["table"] is None
    out = encodings(run(TABLE_NODES, t, "q4_0", table=[pattern]))
    assert out["table"] == {"type": "q4_0", "axis": 1} and out["w_mm"] == {"type": "q4_0", "axis": 0}
    out = encodings(run(TABLE_NODES, t, "q4_0", table=[pattern], keep_q8=["table"]))
    assert out["table"] == {"type": "q8_0", "axis": 1} and out["w_mm"] == {"type": "q4_0", "axis": 0}
    assert "q8_0: 1 Gather table encoded" in capsys.readouterr().err


def test_quantize_table_still_needs_a_row_gather():
    nodes = [node("/g", "Gather", ["table", "ids"]), node("/a", "Add", ["/g_out", "table"])]
    with pytest.raises(ConvertError, match=r"--quantize-table 'table' matches no tensor .*"
                                           r"\(kept float32: table: Gather table also used as Add input 1\)"):
        run(nodes, tensors_of(table=(300, 64)), "q8_0", table=["table"])


def test_convert_onnx_mixed_q4_records_provenance(tmp_path):
    src = str(tmp_path / "m.onnx")
    onnx_model(src)
    out = str(tmp_path / "m.swl")
    assert convert_main(["--onnx", src, "--quantize", "q4_0", "--keep-q8", "gemm", "--out", out]) == 0
    header, _, _ = read_swl_header(out)
    rows = {r["name"]: r for r in header["tensors"]}
    assert rows["w1"]["encoding"] == {"type": "q4_0", "axis": 0}
    assert rows["w2"]["encoding"] == {"type": "q8_0", "axis": 1}
    assert header["provenance"]["quantize"] == "q4_0" and header["provenance"]["keep_q8"] == ["gemm"]
    assert verify_swl(out) == []


def test_convert_refuses_keep_q8_before_converting(tmp_path, capsys):
    out = str(tmp_path / "o.swl")
    assert convert_main(["--onnx", str(tmp_path / "absent.onnx"), "--quantize", "int8", "--keep-q8", "x",
                         "--out", out]) == 1
    assert "--keep-q8 works with --quantize q4_0 only" in capsys.readouterr().err
