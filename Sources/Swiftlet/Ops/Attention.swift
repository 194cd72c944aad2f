import Foundation

/// Fused multi-head attention (internal op `Swiftlet.Attention`, made by AttentionFusion).
/// Q, K, V: [B, S, H·D]; optional additive mask broadcastable to [B, H, S, S]; output
/// [B, S, H·D]. Each (batch, head) pair computes its S×S scores in a private scratch
/// buffer that stays in cache, instead of materializing [B, H, S, S] in memory.
struct AttentionOp: Operator {
    /// Either may be 0 (the export left it to be inferred); the other then decides.
    let heads: Int
    let headSize: Int
    let scale: Float
    let zeroNaNRows: Bool

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let q = try x.required(0, "Q"), k = try x.required(1, "K"), v = try x.required(2, "V")
        let mask = x.optional(3)
        guard q.rank == 3, q.shape == k.shape, q.shape == v.shape, q.dtype == .float32 else {
            throw SwiftletError.shapeMismatch("Attention needs equal [B, S, H·D] float32 Q/K/V, got \(q.shape), \(k.shape), \(v.shape)")
        }
        let b = q.shape[0], s = q.shape[1], hd = q.shape[2]
        let h = heads > 0 ? heads : headSize > 0 ? hd / headSize : 0
        guard h > 0, hd % h == 0, headSize == 0 || hd / h == headSize else {
            throw SwiftletError.shapeMismatch("hidden size \(hd) does not split into \(heads) heads of size \(headSize)")
        }
        let d = hd / h
        // Mask strides over [B, H, S(query), S(key)], 0 where broadcast.
        var ms = [0, 0, 0, 0]
        if let m = mask {
            guard m.dtype == .float32, m.rank <= 4 else { throw SwiftletError.shapeMismatch("Attention mask \(m.shape) must be float32 of rank ≤ 4") }
            let plan = try BroadcastPlan([m.shape, [b, h, s, s]])
            guard plan.outShape == [b, h, s, s] else { throw SwiftletError.shapeMismatch("mask \(m.shape) does not broadcast to [\(b), \(h), \(s), \(s)]") }
            let full = [Int](repeating: 1, count: 4 - m.rank) + m.shape
            var acc = 1
            for i in stride(from: 3, through: 0, by: -1) {
                ms[i] = full[i] == 1 ? 0 : acc
                acc *= full[i]
            }
        }
        let out = ctx.alloc(.float32, q.shape)
        let qp = q.f32, kp = k.f32, vp = v.f32, op = out.f32, mp = mask?.f32
        let scale = self.scale, zeroNaN = zeroNaNRows
        parallelChunks(b * h, threads: ctx.threads) { range in
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: s * s)
            defer { scratch.deallocate() }
            for bh in range {
                let bi = bh / h, hi = bh % h
                let base = bi * s * hd + hi * d
                Gemm.sgemm(m: s, n: s, k: d, a: qp + base, lda: hd, b: kp + base, ldb: hd, transB: true,
                           c: scratch, ldc: s, alpha: scale, threads: 1)
                for i in 0..<s {
                    let row = scratch + i * s
                    if let mp {
                        let mrow = mp + bi * ms[0] + hi * ms[1] + i * ms[2]
                        if ms[3] == 1 {
                            floatRow(row, row, 1, mrow, 1, s, { $0 + $1 }, { $0 + $1 })
                        } else {
                            for j in 0..<s { row[j] += mrow[j * ms[3]] }
                        }
                    }
                    softmaxRow(row, row, s, false)
                    if zeroNaN, row[0].isNaN { for j in 0..<s { row[j] = 0 } }
                }
                Gemm.sgemm(m: s, n: d, k: s, a: scratch, lda: s, b: vp + base, ldb: hd,
                           c: op + base, ldc: hd, threads: 1)
            }
        }
        return [out]
    }
}
