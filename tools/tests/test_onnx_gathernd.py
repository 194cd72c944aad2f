"""GatherND lowered by the --onnx route (swiftlet_tools/convert/onnx_gathernd.py) computes the
same elements as onnxruntime's GatherND: the lowered ONNX graph is run by onnxruntime next to
the original, on index tuples of every length q ≤ rank, negative indices included. Exact
equality (the lowering only moves elements)."""

import numpy as np
import pytest


def model(q, data_shape, idx_shape):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper
    out_rank = len(idx_shape) - 1 + len(data_shape) - q
    g = helper.make_graph(
        [helper.make_node("GatherND", ["data", "indices"], ["y"], name="gnd")], "g",
        [helper.make_tensor_value_info("data", TensorProto.FLOAT, list(data_shape)),
         helper.make_tensor_value_info("indices", TensorProto.INT64, list(idx_shape))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None] * out_rank)])
    return onnx, helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


@pytest.mark.parametrize("data_shape,idx_shape", [((3, 5), (3, 1, 5, 2)), ((4, 3, 6), (2, 3, 1)),
                                                  ((4, 3, 6), (5, 2)), ((2, 3, 4), (7, 3))])
def test_lowered_gathernd_matches_onnxruntime(data_shape, idx_shape):
    ort = pytest.importorskip("onnxruntime")
    from swiftlet_tools.convert.onnx_gathernd import lower_gathernd
    q = idx_shape[-1]
    onnx, m = model(q, data_shape, idx_shape)
    rng = np.random.default_rng(5)
    data = rng.standard_normal(data_shape).astype(np.float32)
    dims = np.array(data_shape[:q])
    idx = rng.integers(-dims, dims, size=idx_shape).astype(np.int64)  # negatives count from the end
    want = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"]).run(
        None, {"data": data, "indices": idx})[0]
    assert lower_gathernd(onnx, m) == 1
    assert "GatherND" not in {n.op_type for n in m.graph.node}
    got = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"]).run(
        None, {"data": data, "indices": idx})[0]
    assert got.shape == want.shape
    assert np.array_equal(got, want)


def test_batch_dims_is_left_alone():
    from swiftlet_tools.convert.onnx_gathernd import lower_gathernd
    onnx, m = model(1, (2, 3), (2, 1))
    m.graph.node[0].attribute.append(onnx.helper.make_attribute("batch_dims", 1))
    assert lower_gathernd(onnx, m) == 0
