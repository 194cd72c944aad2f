#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// InstanceNormalization and GroupNormalization: mean and variance over each group of
/// channels (one channel for Instance) and the spatial axes of an [N, C, …] input, then a
/// per-channel scale and bias. Statistics accumulate in Double so long spatial extents do
/// not drift.
struct GroupNormOp: Operator {
    /// nil: InstanceNormalization (a group per channel).
    let groups: Int?
    let epsilon: Float

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "X"), scale = try x.required(1, "scale"), bias = try x.required(2, "B")
        let op = groups == nil ? "InstanceNormalization" : "GroupNormalization"
        guard a.dtype == .float32, scale.dtype == .float32, bias.dtype == .float32 else {
            throw SwiftletError.invalidInput("\(op) needs float32 inputs, got \(a.dtype.rawValue)")
        }
        guard a.rank >= 2 else { throw SwiftletError.shapeMismatch("\(op) needs an [N, C, …] input, got \(a.shape)") }
        let n = a.shape[0], c = a.shape[1], spatial = a.shape[2...].reduce(1, *)
        let g = groups ?? c
        guard g >= 1, c % g == 0 else { throw SwiftletError.shapeMismatch("\(op): \(c) channels do not split into \(g) groups") }
        // Opset 18 GroupNormalization had one scale per group; opset 21 one per channel.
        let perGroup = groups != nil && scale.count == g && g != c
        guard perGroup || (scale.count == c && bias.count == c) else {
            throw SwiftletError.shapeMismatch("\(op) scale \(scale.shape) and bias \(bias.shape) need \(c) channel values")
        }
        let out = try ctx.alloc(.float32, a.shape)
        let per = (c / g) * spatial
        let src = a.f32, dst = out.f32, eps = Double(epsilon)
        parallelChunks(n * g, threads: ctx.threads, minChunk: Swift.max(1, 4096 / Swift.max(per, 1))) { range in
            for item in range {
                let base = item * per
                var sum = 0.0
                for i in 0..<per { sum += Double(src[base + i]) }
                let mean = sum / Double(Swift.max(per, 1))
                var sq = 0.0
                for i in 0..<per { let d = Double(src[base + i]) - mean; sq += d * d }
                let inv = 1 / (sq / Double(Swift.max(per, 1)) + eps).squareRoot()
                let grp = item % g
                for ch in 0..<(c / g) {
                    let channel = grp * (c / g) + ch
                    let k = perGroup ? grp : channel
                    let s = Double(scale.f32[k]), b = Double(bias.f32[k])
                    let o = base + ch * spatial
                    for i in 0..<spatial { dst[o + i] = Float((Double(src[o + i]) - mean) * inv * s + b) }
                }
            }
        }
        return [out]
    }
}

/// RMSNormalization (opset 23): x / √(mean(x²) + ε) over the axes from `axis` on, times a
/// scale broadcast to x.
struct RMSNormOp: Operator {
    let axis: Int
    let epsilon: Float

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "X"), scale = try x.required(1, "scale")
        guard a.dtype == .float32, scale.dtype == .float32 else {
            throw SwiftletError.invalidInput("RMSNormalization needs float32 inputs, got \(a.dtype.rawValue) and \(scale.dtype.rawValue)")
        }
        let ax = try normalizeAxis(axis, rank: a.rank)
        let inner = a.shape[ax...].reduce(1, *), rows = inner == 0 ? 0 : a.count / inner
        let normed = try ctx.alloc(.float32, a.shape)
        let src = a.f32, dst = normed.f32, eps = Double(epsilon)
        parallelChunks(rows, threads: ctx.threads, minChunk: Swift.max(1, 4096 / Swift.max(inner, 1))) { range in
            for r in range {
                let base = r * inner
                var sq = 0.0
                for i in 0..<inner { let v = Double(src[base + i]); sq += v * v }
                let inv = 1 / (sq / Double(inner) + eps).squareRoot()
                for i in 0..<inner { dst[base + i] = Float(Double(src[base + i]) * inv) }
            }
        }
        let y = try BinaryOp(.mul).run([normed, scale], ctx)[0]
        guard y.shape == a.shape else {
            throw SwiftletError.shapeMismatch("RMSNormalization scale \(scale.shape) does not broadcast to X \(a.shape)")
        }
        return [y]
    }
}
