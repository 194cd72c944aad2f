#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// ConvTranspose → BatchNormalization (inference mode, constant statistics) becomes one
/// ConvTranspose whose weights and bias absorb the per-output-channel affine map:
///   k = scale / sqrt(var + eps),  W'[c][j] = W[c][j]·k[o],  B' = (B − mean)·k + beta,
/// where o = group(c)·(M/group) + j, as W is laid out [C, M/group, k…].
/// The model's tensors are read-only mmap, so the folded weights are new tensors.
enum ConvTransposeBatchNormFusion {
    static func apply(_ g: GraphIR) -> GraphIR {
        var r = GraphRewriter(g)
        for (iCT, ct) in g.nodes.enumerated() where ct.op == "ConvTranspose" {
            guard let wName = ct.input(1), let w = g.constants[wName], w.dtype == .float32, w.rank >= 3,
                  let iBN = single(r.readers(ct.outputs[0])), !r.isTaken(iCT), !r.isTaken(iBN) else { continue }
            let bn = g.nodes[iBN]
            guard bn.op == "BatchNormalization", bn.int("training_mode") != 1, bn.inputs.count == 5,
                  bn.inputs[0] == ct.outputs[0], bn.outputs.dropFirst().allSatisfy(\.isEmpty),
                  r.isPrivate(ct.outputs[0], to: [iBN]) else { continue }
            let group = max(ct.int("group") ?? 1, 1)
            let c = w.shape[0], mg = w.shape[1], m = mg * group
            guard c % group == 0 else { continue }
            let params = bn.inputs[1...].map { g.constants[$0] }
            guard params.allSatisfy({ $0 != nil && $0!.dtype == .float32 && $0!.count == m }) else { continue }
            let bias = ct.input(2).flatMap { g.constants[$0] }
            if ct.input(2) != nil && (bias == nil || bias!.dtype != .float32 || bias!.count != m) { continue }
            let (scale, beta, mean, variance) = (params[0]!, params[1]!, params[2]!, params[3]!)
            let eps = bn.float("epsilon") ?? 1e-5
            var k = [Float](repeating: 0, count: m)
            let newB = Tensor(zeros: .float32, shape: [m])
            for o in 0..<m {
                k[o] = scale.f32[o] / (variance.f32[o] + eps).squareRoot()
                newB.f32[o] = ((bias?.f32[o] ?? 0) - mean.f32[o]) * k[o] + beta.f32[o]
            }
            let taps = w.count / max(c * mg, 1), cg = c / group
            let newW = Tensor(zeros: .float32, shape: w.shape)
            for ci in 0..<c {
                for j in 0..<mg {
                    let kk = k[(ci / cg) * mg + j], base = (ci * mg + j) * taps
                    for t in 0..<taps { newW.f32[base + t] = w.f32[base + t] * kk }
                }
            }
            let wn = r.freshConstant(ct.name + "/bn_W", newW), bName = r.freshConstant(ct.name + "/bn_B", newB)
            var fused = ct
            fused.inputs = [ct.inputs[0], wn, bName]
            fused.outputs = [bn.outputs[0]]
            r.replace([iCT, iBN], with: fused)
        }
        return r.finish()
    }
}
