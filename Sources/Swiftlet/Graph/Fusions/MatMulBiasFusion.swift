#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// MatMul(X, W) + b with constant W [K, N] and b [N] → one GEMM that starts from the bias
/// (beta = 1) instead of a GEMM followed by a separate pass adding it.
enum MatMulBiasFusion {
    static func apply(_ g: GraphIR) -> GraphIR {
        var r = GraphRewriter(g)
        for (iMM, mm) in g.nodes.enumerated() where mm.op == "MatMul" {
            guard let w = g.floatConstantShape(mm.inputs[1]), w.count == 2,
                  let iAdd = single(r.readers(mm.outputs[0])), g.nodes[iAdd].op == "Add",
                  !r.isTaken(iMM), !r.isTaken(iAdd), r.isPrivate(mm.outputs[0], to: [iAdd]),
                  let biasName = otherConst(g.nodes[iAdd], mm.outputs[0], g),
                  let bias = g.constants[biasName], bias.dtype == .float32, bias.count == w[1],
                  bias.shape.last == w[1] else { continue }
            r.replace([iMM, iAdd], with: Node(name: mm.name + "/bias", fused: .matMulBias(.none),
                                              inputs: [mm.inputs[0], mm.inputs[1], biasName], outputs: g.nodes[iAdd].outputs))
        }
        return r.finish()
    }
}
