#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// ReduceMax(Mul(Log(Add(x, c)), mask), axes = [1]) → one `Swiftlet.MaskedLogMax` node:
/// SPLADE's pooling (c = 1 after the head's Relu), which unfused makes four passes over
/// [batch, sequence, vocabulary] — the largest tensors of the whole model.
enum MaskedLogMaxFusion {
    static func apply(_ g: GraphIR) -> GraphIR {
        var r = GraphRewriter(g)
        for (iMax, reduce) in g.nodes.enumerated() where reduce.op == "ReduceMax" && reduce.fused == nil {
            guard axes(reduce, g) == [1], reduce.int("noop_with_empty_axes") ?? 0 == 0, reduce.outputs.count == 1,
                  let iMul = r.index(producing: reduce.inputs[0]), g.nodes[iMul].op == "Mul" else { continue }
            let mul = g.nodes[iMul]
            guard mul.inputs.count == 2 else { continue }
            // Mul(log, mask) in either order; the mask is an activation (the attention mask).
            guard let (iLog, mask) = logOperand(mul, r), g.constants[mask] == nil else { continue }
            let log = g.nodes[iLog]
            guard let iAdd = r.index(producing: log.inputs[0]), g.nodes[iAdd].op == "Add" else { continue }
            let add = g.nodes[iAdd]
            guard add.inputs.count == 2 else { continue }
            let x: String, addend: Float
            if let c = r.scalar(add.inputs[1]), g.constants[add.inputs[0]] == nil { (x, addend) = (add.inputs[0], c) }
            else if let c = r.scalar(add.inputs[0]), g.constants[add.inputs[1]] == nil { (x, addend) = (add.inputs[1], c) }
            else { continue }
            let pattern = [iAdd, iLog, iMul, iMax]
            guard !pattern.contains(where: r.isTaken), r.isPrivate(add.outputs[0], to: [iLog]),
                  r.isPrivate(log.outputs[0], to: [iMul]), r.isPrivate(mul.outputs[0], to: [iMax]) else { continue }
            let op = InternalOp.maskedLogMax(addend: addend, keepDims: (reduce.int("keepdims") ?? 1) == 1)
            r.replace(pattern, with: Node(name: reduce.name + "/masked_log_max", fused: op, inputs: [x, mask], outputs: reduce.outputs))
        }
        return r.finish()
    }

    /// The reduced axes: the attribute (opset < 18) or a constant second input (opset ≥ 18).
    private static func axes(_ n: Node, _ g: GraphIR) -> [Int]? {
        if let a = n.ints("axes") { return a }
        guard n.inputs.count >= 2, let t = g.constants[n.inputs[1]] else { return nil }
        return try? t.intValues()
    }

    /// The Log node feeding `mul` and the other operand.
    private static func logOperand(_ mul: Node, _ r: GraphRewriter) -> (Int, String)? {
        for (k, v) in mul.inputs.enumerated() {
            if let i = r.index(producing: v), r.g.nodes[i].op == "Log", r.g.nodes[i].fused == nil {
                return (i, mul.inputs[1 - k])
            }
        }
        return nil
    }
}
