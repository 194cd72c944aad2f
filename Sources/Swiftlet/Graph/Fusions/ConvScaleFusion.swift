#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Conv → Mul(per-channel or scalar constant) folds the scale into the weights and bias
/// (PP-OCRv4's re-parameterized blocks scale every conv output by a learned constant).
enum ConvScaleFusion {
    static func apply(_ g: GraphIR) -> GraphIR {
        var r = GraphRewriter(g)
        for (iConv, conv) in g.nodes.enumerated() where conv.op == "Conv" {
            guard let w = conv.input(1).flatMap({ g.constants[$0] }), w.dtype == .float32, w.rank >= 3,
                  let iMul = single(r.readers(conv.outputs[0])), !r.isTaken(iConv), !r.isTaken(iMul),
                  g.nodes[iMul].op == "Mul", r.isPrivate(conv.outputs[0], to: [iMul]),
                  let sName = otherConst(g.nodes[iMul], conv.outputs[0], g), let sc = g.constants[sName],
                  sc.dtype == .float32 else { continue }
            let m = w.shape[0], rank = w.rank
            guard sc.rank <= rank, sc.count == m || sc.count == 1 else { continue }
            let padded = [Int](repeating: 1, count: rank - sc.rank) + sc.shape
            guard padded.enumerated().allSatisfy({ $0.offset == 1 || $0.element == 1 }) else { continue }
            let bias = conv.input(2).flatMap { g.constants[$0] }
            if conv.input(2) != nil && (bias == nil || bias!.dtype != .float32 || bias!.count != m) { continue }
            let per = w.count / max(m, 1)
            let newW = Tensor(zeros: .float32, shape: w.shape)
            let newB = Tensor(zeros: .float32, shape: [m])
            for o in 0..<m {
                let k = sc.f32[sc.count == 1 ? 0 : o]
                for j in 0..<per { newW.f32[o * per + j] = w.f32[o * per + j] * k }
                newB.f32[o] = (bias?.f32[o] ?? 0) * k
            }
            var fused = conv
            fused.inputs = [conv.inputs[0], r.freshConstant(conv.name + "/scaled_W", newW)]
            if bias != nil { fused.inputs.append(r.freshConstant(conv.name + "/scaled_B", newB)) }
            fused.outputs = g.nodes[iMul].outputs
            r.replace([iConv, iMul], with: fused)
        }
        return r.finish()
    }
}
