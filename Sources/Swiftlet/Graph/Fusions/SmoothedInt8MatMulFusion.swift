#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Mul(x, s) → MatMul(·, W) with W an encoded weight (int8, Q8_0, Q4_0) and s a constant per-k vector (the
/// SmoothQuant factor a quantizing converter puts before a weight: outlier channels of x
/// divided down, the same channels of W multiplied up) → one MatMul that multiplies by s
/// while it quantizes x, instead of a separate pass writing x · s.
enum SmoothedInt8MatMulFusion {
    static func apply(_ g: GraphIR) -> GraphIR {
        var r = GraphRewriter(g)
        for (iMM, mm) in g.nodes.enumerated() {
            let bias: Bool, activation: Activation
            switch mm.fused {
            case nil where mm.op == "MatMul": (bias, activation) = (false, .none)
            case .matMulBias(let act)?: (bias, activation) = (true, act)
            default: continue
            }
            guard mm.inputs.count >= 2, let w = g.encoded[mm.inputs[1]], w.shape.count == 2,
                  let iMul = r.index(producing: mm.inputs[0]), g.nodes[iMul].op == "Mul", g.nodes[iMul].inputs.count == 2,
                  !r.isTaken(iMM), !r.isTaken(iMul), r.isPrivate(mm.inputs[0], to: [iMM]) else { continue }
            let mul = g.nodes[iMul]
            // The constant operand, a float32 vector over k (any leading 1s).
            guard let (x, sName) = [(mul.inputs[0], mul.inputs[1]), (mul.inputs[1], mul.inputs[0])].first(where: { pair in
                guard let s = g.constants[pair.1], s.dtype == .float32, s.count == w.shape[0], s.shape.last == w.shape[0],
                      g.constants[pair.0] == nil else { return false }
                return true
            }) else { continue }
            let inputs = [x, mm.inputs[1], bias ? mm.inputs[2] : "", sName]
            r.replace([iMul, iMM], with: Node(name: mm.name + "/smoothed", fused: .int8MatMul(bias: bias, activation: activation),
                                              inputs: inputs, outputs: mm.outputs))
        }
        return r.finish()
    }
}
