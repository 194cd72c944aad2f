"""SmoothQuant for --quantize int8 (convert/smooth.py, smooth_step.py, calibrate.py): the
rewrite keeps the function, each Mul belongs to one MatMul, the scale guards, the flags."""

import json
import os
import re

import numpy as np
import pytest

from swiftlet_tools.convert.calibrate import calibration_texts
from swiftlet_tools.convert.cli import main as convert_main
from swiftlet_tools.convert.errors import ConvertError
from swiftlet_tools.convert.smooth import S_MAX, S_MIN, sites, smooth, smoothing_scales
from swiftlet_tools.paths import GOLDEN
from swiftlet_tools.swl.reader import read_swl_header
from swiftlet_tools.swl.tensors import load_tensors


def node(name, op, inputs):
    return {"name": name, "op": op, "inputs": inputs, "outputs": [name + "_output_0"], "attrs": {}}


def qkv_graph():
    """Three MatMuls reading one x (like Q/K/V), each with a bias Add."""
    nodes = []
    for p in ("q", "k", "v"):
        nodes.append(node(f"/{p}/MatMul", "MatMul", ["x", f"w_{p}"]))
        nodes.append(node(f"/{p}/Add", "Add", [f"/{p}/MatMul_output_0", f"b_{p}"]))
    nodes.append(node("/sum", "Add", ["/q/Add_output_0", "/k/Add_output_0"]))
    nodes.append(node("/out", "Add", ["/sum_output_0", "/v/Add_output_0"]))
    graph = {"opset": 17, "inputs": [{"name": "x", "dtype": "float32", "shape": ["b", "s", 64]}],
             "outputs": [{"name": "/out_output_0", "dtype": "float32", "shape": ["b", "s", 48]}], "nodes": nodes}
    rng = np.random.default_rng(3)
    tensors = {}
    for p in ("q", "k", "v"):
        tensors[f"w_{p}"] = rng.standard_normal((64, 48)).astype(np.float32)
        tensors[f"b_{p}"] = rng.standard_normal(48).astype(np.float32)
    return graph, tensors


def activations():
    """Activations with a few outlier channels, as in real encoders."""
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 5, 64)).astype(np.float32)
    x[..., [3, 17]] *= 60
    return x


def evaluate(graph, tensors, x):
    """A tiny reference evaluator for MatMul/Mul/Add (numpy broadcasting)."""
    values = {"x": x, **tensors}
    ops = {"MatMul": np.matmul, "Mul": np.multiply, "Add": np.add}
    for n in graph["nodes"]:
        values[n["outputs"][0]] = ops[n["op"]](*(values[i] for i in n["inputs"]))
    return values[graph["outputs"][0]["name"]]


def smoothed(alpha=0.5):
    graph, tensors = qkv_graph()
    x = activations()
    before = evaluate(graph, tensors, x)
    x_max = np.abs(x).reshape(-1, 64).max(axis=0)
    count = smooth(graph, tensors, {w: x_max for w in ("w_q", "w_k", "w_v")}, alpha)
    return graph, tensors, x, before, count


@pytest.mark.parametrize("alpha", [0.0, 0.5, 0.8, 1.0])
def test_rewrite_keeps_the_function(alpha):
    graph, tensors, x, before, count = smoothed(alpha)
    assert count == 3
    after = evaluate(graph, tensors, x)
    np.testing.assert_allclose(after, before, rtol=1e-4, atol=1e-3 * np.abs(before).max())


def test_weight_rows_scaled_and_mul_is_the_inverse():
    graph0, tensors0 = qkv_graph()
    graph, tensors, _, _, _ = smoothed()
    t = tensors["w_q.smooth_inv"]
    assert t.shape == (64,) and t.dtype == np.float32
    np.testing.assert_allclose(tensors["w_q"], tensors0["w_q"] / t[:, None], rtol=1e-5)
    assert t[3] < np.median(t)  # outlier channels are divided down the most


def test_each_mul_is_read_only_by_its_matmul():
    graph, _, _, _, _ = smoothed()
    muls = [n for n in graph["nodes"] if n["op"] == "Mul"]
    assert len(muls) == 3  # one per MatMul although all three read x
    for mul in muls:
        readers = [n for n in graph["nodes"] if mul["outputs"][0] in n["inputs"]]
        assert len(readers) == 1 and readers[0]["op"] == "MatMul"
        assert readers[0]["inputs"][0] == mul["outputs"][0]
        assert mul["inputs"][0] == "x"
        order = [n["name"] for n in graph["nodes"]]
        assert order.index(mul["name"]) < order.index(readers[0]["name"])  # still topological


def test_shared_weight_is_not_smoothed():
    graph, tensors = qkv_graph()
    graph["nodes"][2]["inputs"][1] = "w_q"  # K's MatMul now reads Q's weight too
    assert [s.weight for s in sites(graph, {"w_q", "w_v"})] == ["w_v"]


def test_scale_guards_zeros_and_clamp():
    w = np.ones((5, 4), dtype=np.float32)
    w[1] = 0                      # zero weight row
    w[3] = 1e-12                  # tiny row: s would explode
    x_max = np.array([4.0, 9.0, 0.0, 1e6, 1e-20])
    s = smoothing_scales(x_max, w, 0.5)
    assert s[0] == pytest.approx(2.0)   # sqrt(4) / sqrt(1)
    assert s[1] == 1.0                  # zero weight row
    assert s[2] == 1.0                  # channel never active
    assert s[3] == S_MAX                # clamped high
    assert s[4] == pytest.approx(S_MIN)  # 1e-10: clamped low
    assert np.all(np.isfinite(s))


def test_alpha_extremes():
    w = np.full((2, 3), 4.0, dtype=np.float32)
    x_max = np.array([9.0, 16.0])
    np.testing.assert_allclose(smoothing_scales(x_max, w, 0.0), [0.25, 0.25])  # 1 / max|W|
    np.testing.assert_allclose(smoothing_scales(x_max, w, 1.0), [9.0, 16.0])   # max|x|


def test_calibration_under_golden_is_refused(tmp_path):
    with pytest.raises(ConvertError, match="golden/"):
        calibration_texts(os.path.join(GOLDEN, "corpus", "en.jsonl"), 10)
    other = tmp_path / "golden" / "corpus"
    other.mkdir(parents=True)
    (other / "x.jsonl").write_text('{"text": "a"}\n')
    with pytest.raises(ConvertError, match="golden/"):
        calibration_texts(str(other / "x.jsonl"), 10)


def test_calibration_texts_reads_the_first_n(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text("".join(json.dumps({"text": f"t{i}"}) + "\n" for i in range(5)))
    assert calibration_texts(str(p), 3) == ["t0", "t1", "t2"]
    p.write_text('{"txt": 1}\n')
    with pytest.raises(ConvertError, match="c.jsonl:1"):
        calibration_texts(str(p), 3)


# ---------------------------------------------------------------- the command line

def test_golden_refused_before_any_work(tmp_path, capsys):
    code = convert_main(["--hf-dir", str(tmp_path / "missing"), "--quantize", "int8",
                         "--calibration", os.path.join(GOLDEN, "corpus", "en.jsonl"), "--out", str(tmp_path / "o.swl")])
    assert code == 1
    assert "golden/ are test data" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["--quantize", "q4_0", "--smooth", "0.5"], "--quantize int8 only"),
    (["--smooth", "0.5"], "--quantize int8 only"),
    (["--quantize", "int8", "--smooth", "1.5"], "in \\[0, 1\\]"),
    (["--quantize", "int8", "--no-smooth", "--calibration", "c.jsonl"], "only mean something with smoothing"),
    (["--quantize", "q8_0", "--calibration-texts", "10"], "only mean something with smoothing"),
    (["--quantize", "int8", "--calibration-texts", "0"], "need at least 1"),
])
def test_flag_refusals(tmp_path, capsys, argv, message):
    assert convert_main(["--hf-dir", str(tmp_path), "--out", str(tmp_path / "o.swl")] + argv) == 1
    assert re.search(message, capsys.readouterr().err)


def test_onnx_without_text_inputs_falls_back(tmp_path, capsys):
    from test_convert_weights import onnx_model
    src = str(tmp_path / "m.onnx")
    onnx_model(src)
    out = str(tmp_path / "m.swl")
    assert convert_main(["--onnx", src, "--quantize", "int8", "--out", out]) == 0
    assert "no smoothing for this ONNX model (it has no input_ids input)" in capsys.readouterr().err


def text_model(tmp_path):
    """input_ids -> Gather(embeddings) -> MatMul: the smallest text encoder, with a
    word-level tokenizer.json and a calibration file."""
    onnx = pytest.importorskip("onnx")
    tokenizers = pytest.importorskip("tokenizers")
    from onnx import TensorProto, helper, numpy_helper
    words = ["[UNK]"] + [f"w{i}" for i in range(63)]
    tok = tokenizers.Tokenizer(tokenizers.models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    tok.pre_tokenizer = tokenizers.pre_tokenizers.Whitespace()
    tok.save(str(tmp_path / "tokenizer.json"))
    rng = np.random.default_rng(5)
    emb = rng.standard_normal((64, 64)).astype(np.float32)
    emb[:, 7] *= 50  # an outlier channel
    w = rng.standard_normal((64, 48)).astype(np.float32)
    nodes = [helper.make_node("Gather", ["emb", "input_ids"], ["h"], name="gather"),
             helper.make_node("MatMul", ["h", "w"], ["y"], name="mm")]
    g = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["b", "s"])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["b", "s", 48])],
                          [numpy_helper.from_array(emb, "emb"), numpy_helper.from_array(w, "w")])
    model = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8  # what onnxruntime accepts whatever onnx writes by default
    onnx.save(model, str(tmp_path / "m.onnx"))
    texts = [" ".join(f"w{(i * 7 + j) % 63}" for j in range(1 + i % 9)) for i in range(40)]
    (tmp_path / "cal.jsonl").write_text("".join(json.dumps({"text": t}) + "\n" for t in texts))
    return emb, w


def test_onnx_text_model_end_to_end(tmp_path, capsys):
    emb, w = text_model(tmp_path)
    out = str(tmp_path / "m.swl")
    assert convert_main(["--onnx", str(tmp_path / "m.onnx"), "--tokenizer", str(tmp_path / "tokenizer.json"),
                         "--quantize", "int8", "--smooth", "0.5", "--calibration", str(tmp_path / "cal.jsonl"),
                         "--calibration-texts", "30", "--out", out]) == 0
    assert "smooth: alpha 0.5, 1 of 1 int8 MatMuls smoothed (calibration: 30 texts of cal.jsonl)" \
        in capsys.readouterr().err
    header = read_swl_header(out)[0]
    record = header["provenance"]["smooth"]
    assert record["alpha"] == 0.5 and record["texts"] == 30 and record["calibration"]["file"] == "cal.jsonl"
    assert len(record["calibration"]["sha256"]) == 64
    ops = [(n["op"], n["inputs"]) for n in header["graph"]["nodes"]]
    assert ops[1] == ("Mul", ["h", "w.smooth_inv"]) and ops[2] == ("MatMul", ["mm/smooth/Mul_output_0", "w"])
    t = load_tensors(out)
    x = emb[[1, 8, 20, 7]]
    y = (x * t["w.smooth_inv"]) @ t["w"]  # int8 weights decoded
    np.testing.assert_allclose(y, x @ w, atol=0.02 * np.abs(x @ w).max())


def tiny_bert(d):
    """A 2-layer BERT checkpoint directory (config, safetensors, tokenizer files)."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    torch.manual_seed(0)
    cfg = transformers.BertConfig(vocab_size=40, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                                  intermediate_size=64, max_position_embeddings=64)
    transformers.BertModel(cfg).save_pretrained(str(d), safe_serialization=True)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [f"w{i}" for i in range(35)]
    (d / "vocab.txt").write_text("\n".join(vocab) + "\n")
    transformers.BertTokenizerFast(vocab_file=str(d / "vocab.txt")).save_pretrained(str(d))


def test_hf_dir_end_to_end(tmp_path, capsys):
    src = tmp_path / "bert"
    src.mkdir()
    tiny_bert(src)
    cal = tmp_path / "cal.jsonl"
    cal.write_text("".join(json.dumps({"text": " ".join(f"w{(i + j) % 35}" for j in range(2 + i % 7))}) + "\n"
                           for i in range(20)))
    out = str(tmp_path / "m.swl")
    assert convert_main(["--hf-dir", str(src), "--quantize", "int8", "--calibration", str(cal),
                         "--out", out]) == 0
    # every encoder Linear found its MatMul weight: 4 attention + 2 feed-forward per layer
    assert "smooth: alpha 0.5, 12 of 12 int8 MatMuls smoothed (calibration: 20 texts" in capsys.readouterr().err
    header = read_swl_header(out)[0]
    nodes = header["graph"]["nodes"]
    for i, n in enumerate(nodes):
        if n["op"] == "MatMul" and n["inputs"][1].endswith(".weight.T"):
            assert nodes[i - 1]["op"] == "Mul" and nodes[i - 1]["outputs"] == [n["inputs"][0]]
    t = load_tensors(out, ["encoder.layer.0.attention.self.query.weight.T.smooth_inv"])
    assert not np.allclose(t["encoder.layer.0.attention.self.query.weight.T.smooth_inv"], 1.0)
