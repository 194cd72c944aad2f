"""Cases the ONNX node tests leave out, checked against onnxruntime instead: LSTM/GRU
with sequence_lens, initial states, peepholes, clip and custom activations; float32
Einsum (every Einsum node test is float64); GatherND with batch_dims 2; larger TopK,
ArgMax, ScatterND, normalization, Tile and DepthToSpace inputs; Mish/Softplus across
their overflow range. Inputs are seeded random numbers; references are onnxruntime's
outputs; conversion, run and comparison are the conformance suite's own."""

import argparse
import sys
import tempfile
from typing import List

import numpy as np

from .cases import Case
from .compare import check_outputs
from .convert_all import prepare
from .run_batch import run_all


def _case(name, op, inputs, attrs, n_out, opset):
    import onnxruntime as ort
    from onnx import TensorProto, helper
    types = {np.dtype(np.float32): TensorProto.FLOAT, np.dtype(np.int64): TensorProto.INT64,
             np.dtype(np.int32): TensorProto.INT32}
    outs = [f"y{i}" for i in range(n_out)]
    node = helper.make_node(op, [k for k, _ in inputs], outs, **attrs)
    graph = helper.make_graph([node], name, [helper.make_tensor_value_info(k, types[v.dtype], v.shape) for k, v in inputs],
                              [helper.make_empty_tensor_value_info(o) for o in outs])
    # IR 9: the newest onnxruntime 1.2x loads.
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=9)
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    res = sess.run(None, dict(inputs))
    model.graph.ClearField("output")
    for o, r in zip(outs, res):
        model.graph.output.append(helper.make_tensor_value_info(o, types[r.dtype], r.shape))
    return Case(name, op, model, [([v for _, v in inputs], res)])


def cases() -> List[Case]:
    rng = np.random.default_rng(0)
    f = lambda *s: rng.standard_normal(s).astype(np.float32)  # noqa: E731
    out = []
    S, B, I, H = 5, 3, 4, 6
    lens = np.array([5, 2, 3], dtype=np.int32)  # onnxruntime takes int32 lengths only
    # onnxruntime has no layout=1 (batch-first) recurrences; the node tests cover it.
    for d, D in [("forward", 1), ("reverse", 1), ("bidirectional", 2)]:
        X, st = f(S, B, I), (D, B, H)
        out.append(_case(f"lstm_{d}_lengths_states_peepholes", "LSTM",
                         [("X", X), ("W", f(D, 4 * H, I)), ("R", f(D, 4 * H, H)), ("B", f(D, 8 * H)), ("sl", lens),
                          ("h0", f(*st)), ("c0", f(*st)), ("P", f(D, 3 * H))],
                         dict(hidden_size=H, direction=d), 3, 14))
        for lbr in [0, 1]:
            out.append(_case(f"gru_{d}_lengths_states_lbr{lbr}", "GRU",
                             [("X", X), ("W", f(D, 3 * H, I)), ("R", f(D, 3 * H, H)), ("B", f(D, 6 * H)), ("sl", lens),
                              ("h0", f(*st))],
                             dict(hidden_size=H, direction=d, linear_before_reset=lbr), 2, 14))
    out.append(_case("lstm_clip_custom_activations", "LSTM", [("X", f(S, B, I)), ("W", f(1, 4 * H, I)), ("R", f(1, 4 * H, H))],
                     dict(hidden_size=H, clip=0.5, activations=["HardSigmoid", "Tanh", "Softsign"],
                          activation_alpha=[0.3], activation_beta=[0.4]), 3, 14))
    for eq, shapes in [("ij,jk->ik", [(3, 4), (4, 5)]), ("bhid,bhjd->bhij", [(2, 3, 4, 8), (2, 3, 5, 8)]),
                       ("ik,jk", [(3, 4), (2, 4)]), ("bn,anm->bam", [(2, 3), (4, 3, 5)]), ("i,i", [(6,), (6,)]),
                       ("ij->ji", [(3, 4)]), ("ijk->", [(2, 3, 4)]), ("ij,kl->ik", [(2, 3), (4, 5)])]:
        name = "einsum_" + eq.replace(",", "_").replace("->", "_to_")
        out.append(_case(name, "Einsum", [(f"x{i}", f(*s)) for i, s in enumerate(shapes)], dict(equation=eq), 1, 12))
    out.append(_case("gathernd_batch_dims_2", "GatherND",
                     [("d", f(2, 3, 4, 5)), ("i", rng.integers(-3, 3, (2, 3, 2, 1)).astype(np.int64))], dict(batch_dims=2), 1, 13))
    out.append(_case("topk_smallest_axis1_ties", "TopK", [("x", np.round(f(3, 50, 2))), ("k", np.array([7], np.int64))],
                     dict(axis=1, largest=0), 2, 11))
    out.append(_case("argmax_select_last_ties", "ArgMax", [("x", np.round(f(4, 9)))], dict(axis=1, select_last_index=1), 1, 13))
    out.append(_case("scatternd_mul_slices", "ScatterND",
                     [("d", f(4, 5, 6)), ("i", np.array([[[1], [3]]], np.int64)), ("u", f(1, 2, 5, 6))], dict(reduction="mul"), 1, 18))
    out.append(_case("groupnorm_opset18_per_group_scale", "GroupNormalization", [("x", f(2, 8, 7, 9)), ("s", f(4)), ("b", f(4))],
                     dict(num_groups=4), 1, 18))
    out.append(_case("instancenorm_larger", "InstanceNormalization", [("x", f(2, 8, 7, 9)), ("s", f(8)), ("b", f(8))],
                     dict(epsilon=1e-3), 1, 17))
    out.append(_case("tile_3d", "Tile", [("x", f(2, 1, 3)), ("r", np.array([2, 3, 2], np.int64))], {}, 1, 13))
    out.append(_case("depthtospace_crd_larger", "DepthToSpace", [("x", f(2, 12, 3, 4))], dict(blocksize=2, mode="CRD"), 1, 13))
    out.append(_case("mish_overflow_range", "Mish", [("x", np.linspace(-30, 30, 121, dtype=np.float32))], {}, 1, 18))
    out.append(_case("softplus_overflow_range", "Softplus", [("x", np.linspace(-100, 100, 201, dtype=np.float32))], {}, 1, 18))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--swiftlet", default=".build/release/swiftlet")
    args = ap.parse_args(argv)
    chosen = cases()
    work = tempfile.mkdtemp(prefix="swiftlet-ort-crosscheck-")
    items, failures = [], {}
    for c in chosen:
        prepared, err = prepare(c, work)
        if err:
            failures[c.name] = f"convert: {err}"
        items += prepared
    errors = run_all(args.swiftlet, items, work)
    for k, p in enumerate(items):
        why = errors.get(k) or check_outputs(p.out_dir, p.expected)
        if why:
            failures[p.case.name] = why
    for c in chosen:
        print(f"FAIL {c.name}: {failures[c.name]}" if c.name in failures else f"ok   {c.name}")
    print(f"{len(chosen) - len(failures)} of {len(chosen)} match onnxruntime")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
