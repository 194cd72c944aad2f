#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Conv → BatchNormalization (inference mode, constant statistics) becomes one Conv whose
/// weights and bias absorb the per-channel affine map:
///   k = scale / sqrt(var + eps),  W' = W·k[m],  B' = (B − mean)·k + beta.
/// The model's tensors are read-only mmap, so the folded weights are new tensors.
enum ConvBatchNormFusion {
    static func apply(_ g: GraphIR) -> GraphIR {
        var r = GraphRewriter(g)
        for (iConv, conv) in g.nodes.enumerated() where conv.op == "Conv" {
            guard let wName = conv.input(1), let w = g.constants[wName], w.dtype == .float32, w.rank >= 3,
                  let iBN = single(r.readers(conv.outputs[0])), !r.isTaken(iConv), !r.isTaken(iBN) else { continue }
            let bn = g.nodes[iBN]
            guard bn.op == "BatchNormalization", bn.int("training_mode") != 1, bn.inputs.count == 5,
                  bn.inputs[0] == conv.outputs[0], bn.outputs.dropFirst().allSatisfy(\.isEmpty),
                  r.isPrivate(conv.outputs[0], to: [iBN]) else { continue }
            let m = w.shape[0]
            let params = bn.inputs[1...].map { g.constants[$0] }
            guard params.allSatisfy({ $0 != nil && $0!.dtype == .float32 && $0!.count == m }) else { continue }
            let bias = conv.input(2).flatMap { g.constants[$0] }
            if conv.input(2) != nil && (bias == nil || bias!.dtype != .float32 || bias!.count != m) { continue }
            let (scale, beta, mean, variance) = (params[0]!, params[1]!, params[2]!, params[3]!)
            let eps = bn.float("epsilon") ?? 1e-5
            let per = w.count / max(m, 1)
            let newW = Tensor(zeros: .float32, shape: w.shape)
            let newB = Tensor(zeros: .float32, shape: [m])
            for o in 0..<m {
                let k = scale.f32[o] / (variance.f32[o] + eps).squareRoot()
                for j in 0..<per { newW.f32[o * per + j] = w.f32[o * per + j] * k }
                newB.f32[o] = ((bias?.f32[o] ?? 0) - mean.f32[o]) * k + beta.f32[o]
            }
            let wn = r.freshConstant(conv.name + "/bn_W", newW), bnName = r.freshConstant(conv.name + "/bn_B", newB)
            var fused = conv
            fused.inputs = [conv.inputs[0], wn, bnName]
            fused.outputs = [bn.outputs[0]]
            r.replace([iConv, iBN], with: fused)
        }
        return r.finish()
    }
}
