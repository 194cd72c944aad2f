"""Tiny single-op ONNX graphs for the attribute corners of the OCR ops, with onnxruntime outputs.

    python tools/golden.py ocr-op-cases --golden DIR      # write DIR/<case>/*.npy + cases.json

Float inputs (X, W, B) are graph inputs whose values live in the .npy files; shape-like
arguments (Resize scales/sizes/roi, Pad pads) are initializers. cases.json describes each
graph (op, opset, attributes in the .swl header's tagged form, node inputs, initializers)
so the Swift unit tests build the same one-node graphs without Python or models/.
"""
import argparse
import json
import os

import numpy as np

F = np.float32


def case(name, op, inputs, attrs=None, consts=None, opset=13, outputs=("Y",)):
    """inputs: list of (name, shape) float graph inputs; consts: list of (name, array)."""
    return dict(name=name, op=op, inputs=inputs, attrs=attrs or {}, consts=consts or [], opset=opset, outputs=list(outputs))


def conv(name, x, w, b=True, op="Conv", opset=13, **attrs):
    ins = [("X", x), ("W", w)]
    if b:
        bias_len = w[0] if op == "Conv" else w[1] * attrs.get("group", 1)
        ins.append(("B", [bias_len]))
    return case(name, op, ins, attrs, opset=opset)


CASES = [
    # Conv
    conv("conv_asym_pads", [1, 3, 9, 11], [4, 3, 3, 3], pads=[0, 1, 2, 1], strides=[2, 1]),
    conv("conv_dilation", [1, 4, 12, 12], [6, 4, 3, 3], dilations=[2, 3], pads=[2, 2, 2, 2]),
    conv("conv_groups", [1, 8, 10, 10], [12, 4, 3, 3], group=2, strides=[2, 2], pads=[1, 1, 1, 1]),
    conv("conv_depthwise3_batch2", [2, 6, 13, 17], [6, 1, 3, 3], group=6, pads=[1, 1, 1, 1]),
    conv("conv_depthwise5_s2", [1, 8, 15, 20], [8, 1, 5, 5], group=8, strides=[2, 2], pads=[2, 2, 2, 2]),
    conv("conv_depthwise_s21_mult2", [1, 4, 9, 37], [8, 1, 3, 3], group=4, strides=[2, 1], pads=[1, 1, 1, 1], b=False),
    conv("conv_depthwise_dilated_s13", [1, 5, 11, 40], [5, 1, 3, 3], group=5, dilations=[2, 2], strides=[1, 3], pads=[2, 1, 0, 3]),
    conv("conv_same_upper", [1, 3, 10, 9], [5, 3, 4, 3], strides=[2, 2], auto_pad="SAME_UPPER"),
    conv("conv_same_lower", [1, 3, 10, 9], [5, 3, 4, 3], strides=[2, 2], auto_pad="SAME_LOWER"),
    conv("conv_valid", [1, 3, 10, 9], [5, 3, 3, 2], auto_pad="VALID", b=False),
    conv("conv_1x1_batch2", [2, 16, 7, 9], [8, 16, 1, 1]),
    conv("conv_1x1_grouped", [1, 16, 5, 6], [12, 4, 1, 1], group=4),
    conv("conv_1x1_stride2", [1, 6, 9, 9], [4, 6, 1, 1], strides=[2, 2]),
    conv("conv_1d", [1, 4, 20], [6, 4, 5], pads=[2, 1], strides=[2]),
    conv("conv_1x3_rec", [1, 8, 2, 20], [8, 8, 1, 3], pads=[0, 1, 0, 1]),
    conv("conv_tiled_im2col", [1, 64, 16, 32], [4, 64, 3, 3], pads=[1, 2, 0, 1], dilations=[1, 2]),
    conv("conv_1x1_wide", [1, 24, 16, 40], [40, 24, 1, 1]),
    # ConvTranspose
    conv("convt_2x2_s2", [1, 8, 7, 9], [8, 4, 2, 2], op="ConvTranspose", strides=[2, 2]),
    conv("convt_3x3_s2_pads_outpad", [1, 4, 5, 6], [4, 3, 3, 3], op="ConvTranspose", strides=[2, 2], pads=[1, 1, 1, 1], output_padding=[1, 0]),
    conv("convt_groups_dilation", [1, 4, 5, 5], [4, 3, 3, 3], op="ConvTranspose", group=2, dilations=[2, 1], pads=[1, 0, 0, 2]),
    conv("convt_output_shape", [1, 3, 4, 5], [3, 2, 3, 3], op="ConvTranspose", strides=[2, 2], output_shape=[9, 12], b=False),
    conv("convt_same_upper", [1, 3, 4, 5], [3, 2, 3, 3], op="ConvTranspose", strides=[2, 2], auto_pad="SAME_UPPER"),
    conv("convt_1d", [1, 3, 7], [3, 2, 4], op="ConvTranspose", strides=[3], pads=[1, 2]),
    # Pools
    case("maxpool_same_upper", "MaxPool", [("X", [1, 3, 10, 11])], dict(kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER")),
    case("maxpool_same_lower", "MaxPool", [("X", [1, 3, 10, 11])], dict(kernel_shape=[2, 3], strides=[2, 2], auto_pad="SAME_LOWER")),
    case("maxpool_ceil", "MaxPool", [("X", [1, 2, 10, 10])], dict(kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)),
    case("maxpool_ceil_pads", "MaxPool", [("X", [1, 2, 9, 10])], dict(kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1)),
    case("maxpool_dilations", "MaxPool", [("X", [1, 2, 9, 10])], dict(kernel_shape=[2, 2], strides=[1, 2], dilations=[2, 3])),
    case("maxpool_2x2_indices", "MaxPool", [("X", [1, 3, 8, 10])], dict(kernel_shape=[2, 2], strides=[2, 2]), outputs=("Y", "I")),
    case("maxpool_1d", "MaxPool", [("X", [1, 3, 17])], dict(kernel_shape=[3], strides=[2], pads=[1, 1])),
    case("avgpool_include_pad", "AveragePool", [("X", [1, 2, 9, 10])], dict(kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], count_include_pad=1)),
    case("avgpool_exclude_pad", "AveragePool", [("X", [1, 2, 9, 10])], dict(kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])),
    case("avgpool_ceil_include_pad", "AveragePool", [("X", [1, 2, 10, 10])], dict(kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1, count_include_pad=1)),
    case("avgpool_ceil_exclude_pad", "AveragePool", [("X", [1, 2, 10, 11])], dict(kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)),
    case("avgpool_3x2_rec", "AveragePool", [("X", [1, 4, 3, 80])], dict(kernel_shape=[3, 2], strides=[3, 2])),
    case("avgpool_same_lower", "AveragePool", [("X", [1, 2, 7, 8])], dict(kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_LOWER")),
    case("global_avgpool", "GlobalAveragePool", [("X", [2, 5, 7, 9])]),
    case("global_maxpool", "GlobalMaxPool", [("X", [2, 5, 7, 9])]),
    # Resize / Upsample
    case("resize_nearest_asym_floor_x2", "Resize", [("X", [1, 3, 5, 7])],
         dict(mode="nearest", coordinate_transformation_mode="asymmetric", nearest_mode="floor"),
         consts=[("roi", np.array([], F)), ("scales", np.array([1, 1, 2, 2], F))], opset=13),
    case("resize_nearest_half_pixel_sizes", "Resize", [("X", [1, 2, 7, 5])], dict(mode="nearest"),
         consts=[("roi", np.array([], F)), ("scales", np.array([], F)), ("sizes", np.array([1, 2, 12, 13], np.int64))], opset=13),
    case("resize_nearest_align_corners_ceil", "Resize", [("X", [1, 2, 6, 5])],
         dict(mode="nearest", coordinate_transformation_mode="align_corners", nearest_mode="round_prefer_ceil"),
         consts=[("roi", np.array([], F)), ("scales", np.array([], F)), ("sizes", np.array([1, 2, 11, 9], np.int64))], opset=13),
    case("resize_nearest_down_tf_half_pixel", "Resize", [("X", [1, 2, 10, 9])],
         dict(mode="nearest", coordinate_transformation_mode="tf_half_pixel_for_nn", nearest_mode="ceil"),
         consts=[("roi", np.array([], F)), ("scales", np.array([1, 1, 0.6, 0.5], F))], opset=13),
    case("resize_linear_half_pixel_sizes", "Resize", [("X", [1, 2, 6, 7])], dict(mode="linear"),
         consts=[("roi", np.array([], F)), ("scales", np.array([], F)), ("sizes", np.array([1, 2, 13, 10], np.int64))], opset=13),
    case("resize_linear_align_corners", "Resize", [("X", [1, 2, 5, 6])], dict(mode="linear", coordinate_transformation_mode="align_corners"),
         consts=[("roi", np.array([], F)), ("scales", np.array([1, 1, 2, 1.5], F))], opset=13),
    case("resize_linear_asymmetric_x2", "Resize", [("X", [1, 2, 5, 6])], dict(mode="linear", coordinate_transformation_mode="asymmetric"),
         consts=[("roi", np.array([], F)), ("scales", np.array([1, 1, 2, 2], F))], opset=13),
    case("resize_linear_pytorch_down", "Resize", [("X", [1, 2, 9, 11])], dict(mode="linear", coordinate_transformation_mode="pytorch_half_pixel"),
         consts=[("roi", np.array([], F)), ("scales", np.array([], F)), ("sizes", np.array([1, 2, 4, 1], np.int64))], opset=13),
    case("resize_linear_tf_crop", "Resize", [("X", [1, 1, 6, 7])],
         dict(mode="linear", coordinate_transformation_mode="tf_crop_and_resize", extrapolation_value=-3.0),
         consts=[("roi", np.array([0, 0, -0.2, 0.1, 1, 1, 0.9, 1.3], F)), ("scales", np.array([], F)), ("sizes", np.array([1, 1, 5, 8], np.int64))], opset=13),
    case("resize_opset11_nearest", "Resize", [("X", [1, 2, 4, 5])],
         dict(mode="nearest", coordinate_transformation_mode="asymmetric", nearest_mode="floor"),
         consts=[("roi", np.array([], F)), ("scales", np.array([1, 1, 3, 2], F))], opset=11),
    case("resize_opset10", "Resize", [("X", [1, 2, 4, 5])], dict(mode="nearest"),
         consts=[("scales", np.array([1, 1, 2.5, 0.6], F))], opset=10),
    case("upsample_opset9_nearest", "Upsample", [("X", [1, 2, 3, 4])], dict(mode="nearest"),
         consts=[("scales", np.array([1, 1, 2, 3], F))], opset=9),
    case("upsample_opset9_linear", "Upsample", [("X", [1, 2, 3, 4])], dict(mode="linear"),
         consts=[("scales", np.array([1, 1, 2, 2], F))], opset=9),
    # Pad
    case("pad_constant", "Pad", [("X", [1, 2, 3, 4])], dict(mode="constant"),
         consts=[("pads", np.array([0, 0, 1, 2, 0, 1, 2, 0], np.int64)), ("value", np.array(1.5, F))], opset=13),
    case("pad_reflect", "Pad", [("X", [1, 2, 4, 5])], dict(mode="reflect"),
         consts=[("pads", np.array([0, 0, 2, 3, 0, 0, 3, 4], np.int64))], opset=13),
    case("pad_edge_negative", "Pad", [("X", [1, 2, 4, 5])], dict(mode="edge"),
         consts=[("pads", np.array([0, 0, -1, 2, 0, 0, 3, -2], np.int64))], opset=13),
    case("pad_opset2_attr", "Pad", [("X", [2, 3, 4])], dict(mode="constant", pads=[0, 1, 2, 1, 0, 1], value=-2.0), opset=10),
]


def node_inputs(c):
    if c["op"] in ("Resize", "Upsample", "Pad"):
        return ["X"] + [n for n, _ in c["consts"]]
    return [n for n, _ in c["inputs"]]


def swl_attr(v):
    """An attribute as the .swl header tags it (tools/convert.py does the same for ONNX)."""
    if isinstance(v, str):
        return {"s": v}
    if isinstance(v, float):
        return {"f": v}
    if isinstance(v, int):
        return {"i": v}
    if all(isinstance(x, int) for x in v):
        return {"ints": list(v)}
    return {"floats": [float(x) for x in v]}


def spec(c):
    """What a graph builder needs besides the .npy files: one node and its initializers."""
    return {
        "case": c["name"], "op": c["op"], "opset": c["opset"],
        "inputs": [n for n, _ in c["inputs"]], "outputs": c["outputs"],
        "node_inputs": node_inputs(c),
        "attrs": {k: swl_attr(v) for k, v in sorted(c["attrs"].items())},
        "consts": [{"name": n, "dtype": str(a.dtype), "shape": list(a.shape), "values": a.ravel().tolist()} for n, a in c["consts"]],
    }


def build(c):
    import onnx
    from onnx import helper, TensorProto, numpy_helper
    attrs = dict(c["attrs"])
    inits = [numpy_helper.from_array(arr, n) for n, arr in c["consts"]]
    node = helper.make_node(c["op"], node_inputs(c), c["outputs"], name=c["name"], **attrs)
    gi = [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in c["inputs"]]
    go = [helper.make_tensor_value_info(c["outputs"][0], TensorProto.FLOAT, None)]
    if len(c["outputs"]) > 1:
        go.append(helper.make_tensor_value_info(c["outputs"][1], TensorProto.INT64, None))
    g = helper.make_graph([node], c["name"], gi, go, initializer=inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", c["opset"])], producer_name="make_ocr_op_cases")
    m.ir_version = min(m.ir_version, 8)
    return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--golden", metavar="DIR", required=True)
    a = ap.parse_args()
    import onnxruntime as ort
    rng = np.random.default_rng(20240611)
    index = []
    for c in CASES:
        d = os.path.join(a.golden, c["name"])
        os.makedirs(d, exist_ok=True)
        feeds = {}
        for n, s in c["inputs"]:
            feeds[n] = rng.standard_normal(s).astype(F)
            np.save(os.path.join(d, n + ".npy"), feeds[n])
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        sess = ort.InferenceSession(build(c).SerializeToString(), so, providers=["CPUExecutionProvider"])
        outs = sess.run(None, feeds)
        for n, o in zip(c["outputs"], outs):
            np.save(os.path.join(d, "out_" + n + ".npy"), o)
        index.append(spec(c))
    with open(os.path.join(a.golden, "cases.json"), "w") as f:
        json.dump({"onnxruntime": ort.__version__, "cases": index}, f, indent=1)
    return 0

