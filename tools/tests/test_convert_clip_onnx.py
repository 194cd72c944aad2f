"""The --onnx routes of issue 18 on small hand-made graphs: two CLIP towers in one graph
(`--onnx TEXT --onnx-vision VISION --config-dir DIR`, convert/clip_onnx.py + graph_merge.py)
and the reranker pipeline of an exported classifier (`--onnx M --config-dir DIR`,
convert/onnx_config_dir.py).

The merged graph is rebuilt as ONNX from the .swl header and run by onnxruntime beside the two
original files: its outputs must equal theirs exactly (the merge only renames), with the text
tower's attention_mask, made inside the graph, all ones."""

import json

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from swiftlet_tools.convert.cli import main as convert_main
from swiftlet_tools.convert.errors import ConvertError
from swiftlet_tools.convert.onnx_config_dir import onnx_dir_pipeline
from swiftlet_tools.swl.reader import read_swl_header
from swiftlet_tools.swl.tensors import load_tensors

D, V, S = 4, 50, 8  # projection size, vocabulary, image side


def _save(path, nodes, inputs, outputs, inits, opset=14):
    g = helper.make_graph(nodes, "g", inputs, outputs, [numpy_helper.from_array(a, n) for n, a in inits.items()])
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], ir_version=8), str(path))


def text_tower(path, inputs=("input_ids", "attention_mask"), opset=14, dim=D):
    """Masked mean of token rows, projected; plus last_hidden_state, which the merge drops.
    Both towers use the initializer name W and node name proj, so the merge must keep them apart."""
    rng = np.random.default_rng(1)
    nodes = [helper.make_node("Gather", ["table", "input_ids"], ["h"], name="embed"),
             helper.make_node("Cast", ["attention_mask"], ["m"], name="cast", to=TensorProto.FLOAT),
             helper.make_node("Unsqueeze", ["m", "axis2"], ["m3"], name="unsq"),
             helper.make_node("Mul", ["h", "m3"], ["hm"], name="mul"),
             helper.make_node("ReduceSum", ["hm", "axis1"], ["pooled"], name="sum", keepdims=0),
             helper.make_node("MatMul", ["pooled", "W"], ["text_embeds"], name="proj"),
             helper.make_node("Identity", ["h"], ["last_hidden_state"], name="lhs")]
    ins = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "sequence"]) for n in inputs]
    outs = [helper.make_tensor_value_info("text_embeds", TensorProto.FLOAT, ["batch", dim]),
            helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", 6])]
    inits = {"table": rng.standard_normal((V, 6)).astype(np.float32), "W": rng.standard_normal((6, dim)).astype(np.float32),
             "axis1": np.array([1], np.int64), "axis2": np.array([2], np.int64)}
    if "attention_mask" not in inputs:
        nodes = [n for n in nodes if n.name not in ("cast", "unsq", "mul")]
        nodes[1].input[0] = "h"
    if "token_type_ids" in inputs:
        nodes.insert(0, helper.make_node("Gather", ["table", "token_type_ids"], ["unused"], name="tt"))
    _save(path, nodes, ins, outs, inits, opset)


def vision_tower(path, opset=14):
    rng = np.random.default_rng(2)
    nodes = [helper.make_node("ReduceMean", ["pixels"], ["pooled"], name="mean", axes=[2, 3], keepdims=0),
             helper.make_node("MatMul", ["pooled", "W"], ["image_embeds"], name="proj")]
    _save(path, nodes, [helper.make_tensor_value_info("pixels", TensorProto.FLOAT, ["images", 3, S, S])],
          [helper.make_tensor_value_info("image_embeds", TensorProto.FLOAT, ["images", D])],
          {"W": rng.standard_normal((3, D)).astype(np.float32)}, opset)


def clip_dir(d, projection=D):
    tower = {"hidden_size": 6, "num_attention_heads": 2, "num_hidden_layers": 1}
    (d / "config.json").write_text(json.dumps({
        "model_type": "clip", "projection_dim": projection,
        "text_config": dict(tower, max_position_embeddings=77),
        "vision_config": dict(tower, image_size=S, patch_size=4)}))
    (d / "preprocessor_config.json").write_text(json.dumps({"size": {"shortest_edge": S},
                                                            "crop_size": {"height": S, "width": S}}))
    (d / "tokenizer.json").write_text("{}")
    return d


def _attr(name, a, tensors):
    if "t" in a:
        return helper.make_attribute(name, numpy_helper.from_array(tensors[a["t"]]))
    (kind, value), = a.items()
    return helper.make_attribute(name, value)


def swl_as_onnx(path):
    """The .swl graph back as an ONNX model (float32 tensors as stored)."""
    header, _, _ = read_swl_header(str(path))
    g, tensors = header["graph"], load_tensors(str(path))
    dtypes = {"int64": TensorProto.INT64, "float32": TensorProto.FLOAT}
    nodes = []
    for n in g["nodes"]:
        node = helper.make_node(n["op"], n["inputs"], n["outputs"], name=n["name"])
        node.attribute.extend(_attr(k, a, tensors) for k, a in n["attrs"].items())
        nodes.append(node)
    refs = {i for n in g["nodes"] for i in n["inputs"]}
    graph = helper.make_graph(
        nodes, "merged",
        [helper.make_tensor_value_info(r["name"], dtypes[r["dtype"]], r["shape"]) for r in g["inputs"]],
        [helper.make_tensor_value_info(r["name"], dtypes[r["dtype"]], r["shape"]) for r in g["outputs"]],
        [numpy_helper.from_array(np.asarray(a), k) for k, a in tensors.items() if k in refs])
    return header, helper.make_model(graph, opset_imports=[helper.make_opsetid("", g["opset"])], ir_version=8)


def run(model, feeds, outputs):
    data = model if isinstance(model, bytes) else model.SerializeToString()
    return ort.InferenceSession(data, providers=["CPUExecutionProvider"]).run(outputs, feeds)


def convert(tmp_path, *args):
    out = tmp_path / "out.swl"
    assert convert_main([*map(str, args), "--out", str(out)]) == 0
    return out


@pytest.fixture
def towers(tmp_path):
    text, vision = tmp_path / "text.onnx", tmp_path / "vision.onnx"
    text_tower(text)
    vision_tower(vision)
    return text, vision, clip_dir(tmp_path)


def test_two_towers_become_one_graph_with_the_hf_dir_entry_points(tmp_path, towers):
    text, vision, d = towers
    out = convert(tmp_path, "--onnx", text, "--onnx-vision", vision, "--config-dir", d)
    header, merged = swl_as_onnx(out)
    g = header["graph"]
    assert [i["name"] for i in g["inputs"]] == ["input_ids", "pixel_values"]
    assert [(o["name"], o["shape"]) for o in g["outputs"]] == [("text_features", ["batch", D]),
                                                               ("image_features", ["images", D])]
    assert {"text/W", "vision/W"} <= set(load_tensors(str(out)))
    assert all(n["name"].startswith(("text/", "vision/")) for n in g["nodes"])
    assert not any("last_hidden_state" in o for n in g["nodes"] for o in n["outputs"])
    p = header["pipeline"]
    assert (p["kind"], p["text_output"], p["image_output"], p["max_length"]) == ("clip", "text_features", "image_features", 77)
    assert p["image"]["crop"] == [S, S] and p["image"]["shortest_edge"] == S

    rng = np.random.default_rng(3)
    ids = rng.integers(0, V, size=(3, 5)).astype(np.int64)
    pixels = rng.standard_normal((2, 3, S, S)).astype(np.float32)
    want_text = run(onnx.load(str(text)).SerializeToString(), {"input_ids": ids, "attention_mask": np.ones_like(ids)},
                    ["text_embeds"])[0]
    want_image = run(onnx.load(str(vision)).SerializeToString(), {"pixels": pixels}, ["image_embeds"])[0]
    got_text, got_image = run(merged, {"input_ids": ids, "pixel_values": pixels}, ["text_features", "image_features"])
    np.testing.assert_array_equal(got_text, want_text)
    np.testing.assert_array_equal(got_image, want_image)


def test_text_tower_without_attention_mask(tmp_path):
    text, vision = tmp_path / "text.onnx", tmp_path / "vision.onnx"
    text_tower(text, inputs=("input_ids",))
    vision_tower(vision)
    out = convert(tmp_path, "--onnx", text, "--onnx-vision", vision, "--config-dir", clip_dir(tmp_path))
    header, _ = swl_as_onnx(out)
    assert not any(n["op"] == "ConstantOfShape" for n in header["graph"]["nodes"])


@pytest.mark.parametrize("change,message", [
    ({"inputs": ("input_ids", "token_type_ids")}, "the text tower must read input_ids"),
    ({"opset": 17}, "different default-domain opsets"),
    ({"dim": D + 1}, "do not share one embedding space"),
])
def test_bad_towers_are_named(tmp_path, capsys, change, message):
    text, vision = tmp_path / "text.onnx", tmp_path / "vision.onnx"
    text_tower(text, **change)
    vision_tower(vision)
    code = convert_main(["--onnx", str(text), "--onnx-vision", str(vision), "--config-dir", str(clip_dir(tmp_path)),
                         "--out", str(tmp_path / "x.swl")])
    assert code == 1 and message in capsys.readouterr().err


def test_flags_that_need_each_other(tmp_path, capsys, towers):
    text, vision, d = towers
    for args, message in ((["--onnx", text, "--onnx-vision", vision], "--onnx-vision needs --config-dir"),
                          (["--hf-dir", d, "--config-dir", d], "--config-dir describes an ONNX export"),
                          (["--onnx", text, "--config-dir", d], "pass the text tower as --onnx")):
        assert convert_main([*map(str, args), "--out", str(tmp_path / "x.swl")]) == 1
        assert message in capsys.readouterr().err


BERT = {"model_type": "bert", "hidden_size": 8, "num_attention_heads": 2, "num_hidden_layers": 1,
        "max_position_embeddings": 512}


def graph(*outputs):
    return {"outputs": [{"name": n, "dtype": "float32", "shape": ["batch", 1]} for n in outputs]}


def test_config_dir_makes_the_hf_dir_reranker_pipeline(tmp_path):
    cfg = dict(BERT, architectures=["BertForSequenceClassification"], id2label={"0": "LABEL_0"},
               sentence_transformers={"activation_fn": "torch.nn.modules.activation.Sigmoid"})
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    (tmp_path / "tokenizer_config.json").write_text(json.dumps({"model_max_length": 256}))
    p, extra = onnx_dir_pipeline(str(tmp_path), graph("logits"), "m.onnx", [])
    assert p == {"kind": "reranker", "max_length": 256, "output": "logits", "sigmoid": True}
    assert extra == {"model_type": "bert", "architecture": "BertForSequenceClassification"}
    assert onnx_dir_pipeline(str(tmp_path), graph("scores"), "m.onnx", [])[0]["output"] == "scores"
    with pytest.raises(ConvertError, match="more than one output"):
        onnx_dir_pipeline(str(tmp_path), graph("a", "b"), "m.onnx", [])


def test_config_dir_refuses_what_it_cannot_describe(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps(dict(BERT, architectures=["BertModel"])))
    with pytest.raises(ConvertError, match="--tokenizer and --pipeline"):
        onnx_dir_pipeline(str(tmp_path), graph("y"), "m.onnx", [])
    (tmp_path / "config.json").write_text(json.dumps(dict(BERT, architectures=["BertForSequenceClassification"],
                                                          id2label={"0": "a", "1": "b"})))
    with pytest.raises(ConvertError, match="exactly one output logit"):
        onnx_dir_pipeline(str(tmp_path), graph("logits"), "m.onnx", [])
