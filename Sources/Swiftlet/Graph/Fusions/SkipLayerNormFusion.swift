#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// LayerNormalization(Add(x, residual)) → one node that adds and normalizes in the same
/// pass over each row (the residual connection around every transformer sub-layer).
enum SkipLayerNormFusion {
    static func apply(_ g: GraphIR) -> GraphIR {
        var r = GraphRewriter(g)
        for (iLN, ln) in g.nodes.enumerated() where ln.op == "LayerNormalization" && ln.outputs.count == 1 {
            guard let iAdd = r.index(producing: ln.inputs[0]), g.nodes[iAdd].op == "Add",
                  !r.isTaken(iAdd), !r.isTaken(iLN), r.isPrivate(g.nodes[iAdd].outputs[0], to: [iLN]) else { continue }
            let add = g.nodes[iAdd]
            // Constant operands are biases that broadcast; the fused kernel wants two activations.
            guard g.constants[add.inputs[0]] == nil, g.constants[add.inputs[1]] == nil else { continue }
            var inputs = [add.inputs[0], ln.inputs[1], ln.input(2) ?? "", add.inputs[1]]
            if inputs[2].isEmpty { inputs[2] = "" }
            let op = InternalOp.skipLayerNorm(axis: ln.int("axis") ?? -1, epsilon: ln.float("epsilon") ?? 1e-5)
            r.replace([iAdd, iLN], with: Node(name: ln.name + "/skip", fused: op, inputs: inputs, outputs: ln.outputs))
        }
        return r.finish()
    }
}
