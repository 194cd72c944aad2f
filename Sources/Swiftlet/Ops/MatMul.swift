#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// ONNX MatMul (numpy matmul semantics, batch dims broadcast), plus an internal variant
/// that reads B transposed so a preceding Transpose node can be fused away.
struct MatMulOp: Operator {
    var transB = false
    var alpha: Float = 1
    /// Swiftlet.MatMulBias: input 2 is a bias [N] the GEMM accumulates onto (2-D B only).
    var hasBias = false
    /// Fused activation (Swiftlet.MatMulBias only), applied after the product.
    var activation: Activation = .none

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        var a = try x.required(0, "A"), b = try x.required(1, "B")
        guard a.dtype == .float32, b.dtype == .float32 else {
            throw SwiftletError.invalidInput("MatMul supports float32 only, got \(a.dtype.rawValue) × \(b.dtype.rawValue)")
        }
        guard a.rank >= 1, b.rank >= 1 else { throw SwiftletError.shapeMismatch("MatMul on a scalar") }
        // 1-D operands are promoted to matrices and the added dimension dropped afterwards.
        let aVec = a.rank == 1, bVec = b.rank == 1
        if aVec { a = a.reshaped([1, a.shape[0]]) }
        if bVec { b = b.reshaped(transB ? [1, b.shape[0]] : [b.shape[0], 1]) }
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1]
        let bk = transB ? b.shape[b.rank - 1] : b.shape[b.rank - 2]
        let n = transB ? b.shape[b.rank - 2] : b.shape[b.rank - 1]
        guard k == bk else { throw SwiftletError.shapeMismatch("MatMul inner dimensions differ: \(a.shape) × \(b.shape)\(transB ? "ᵀ" : "")") }
        let aBatch = Array(a.shape.dropLast(2)), bBatch = Array(b.shape.dropLast(2))
        let batchShape = try BroadcastPlan.outputShape([aBatch, bBatch])
        var outShape = batchShape + [m, n]
        let out = try ctx.alloc(.float32, outShape)
        let ldb = transB ? k : n
        if bBatch.reduce(1, *) == 1 && (aBatch.reduce(1, *) == 1 || aBatch == batchShape) {
            // Shared B (weights): one GEMM over every row of A.
            let rows = aBatch.reduce(1, *) * m
            var beta: Float = 0
            if hasBias {
                let bias = try x.required(2, "bias")
                guard bias.count == n, bias.dtype == .float32 else { throw SwiftletError.shapeMismatch("bias \(bias.shape) for \(n) columns") }
                let c = out.f32, bp = bias.f32
                parallelChunks(rows, threads: ctx.threads, minChunk: 256) { range in
                    for r in range { (c + r * n).update(from: bp, count: n) }
                }
                beta = 1
            }
            Gemm.sgemm(m: rows, n: n, k: k, a: a.f32, lda: k, b: b.f32, ldb: ldb, transB: transB,
                       c: out.f32, ldc: n, alpha: alpha, beta: beta, threads: ctx.threads)
            if activation != .none {
                let c = out.f32, e = Epilogue(act: activation)
                parallelChunks(rows, threads: ctx.threads, minChunk: max(1, 16384 / max(n, 1))) { range in
                    for r in range { e.biasActivate(c + r * n, n, bias: 0) }
                }
            }
        } else {
            guard !hasBias else { throw SwiftletError.shapeMismatch("fused bias needs a 2-D weight, got B \(b.shape)") }
            let batches = batchShape.reduce(1, *)
            let plan = try BroadcastPlan([aBatch.isEmpty ? [1] : aBatch, bBatch.isEmpty ? [1] : bBatch])
            let aStride = m * k, bStride = k * n
            // Per-batch offsets of A and B, honouring broadcast batch dims.
            var aOff = [Int](repeating: 0, count: batches), bOff = [Int](repeating: 0, count: batches)
            var offs = [0, 0]
            let inner = plan.inner, ia = plan.innerStride(0), ib = plan.innerStride(1)
            for r in 0..<plan.outerCount {
                plan.offsets(row: r, into: &offs)
                for i in 0..<inner {
                    aOff[r * inner + i] = (offs[0] + i * ia) * aStride
                    bOff[r * inner + i] = (offs[1] + i * ib) * bStride
                }
            }
            let ap = a.f32, bp = b.f32, cp = out.f32, alpha = self.alpha, transB = self.transB
            parallelChunks(batches, threads: ctx.threads) { range in
                for i in range {
                    Gemm.sgemm(m: m, n: n, k: k, a: ap + aOff[i], lda: k, b: bp + bOff[i], ldb: ldb, transB: transB,
                               c: cp + i * m * n, ldc: n, alpha: alpha, threads: 1)
                }
            }
        }
        if aVec { outShape.remove(at: outShape.count - 2) }
        if bVec { outShape.removeLast() }
        return [out.reshaped(outShape)]
    }
}

/// ONNX Gemm: Y = alpha·op(A)·op(B) + beta·C with C broadcast to [M, N].
struct GemmOp: Operator {
    let transA: Bool, transB: Bool
    let alpha: Float, beta: Float

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "A"), b = try x.required(1, "B")
        guard a.rank == 2, b.rank == 2, a.dtype == .float32, b.dtype == .float32 else {
            throw SwiftletError.shapeMismatch("Gemm needs 2-D float32 A and B, got \(a.shape) and \(b.shape)")
        }
        let m = transA ? a.shape[1] : a.shape[0], k = transA ? a.shape[0] : a.shape[1]
        let bk = transB ? b.shape[1] : b.shape[0], n = transB ? b.shape[0] : b.shape[1]
        guard k == bk else { throw SwiftletError.shapeMismatch("Gemm inner dimensions differ: \(a.shape) × \(b.shape)") }
        let out = try ctx.alloc(.float32, [m, n])
        var beta: Float = 0
        if let c = x.optional(2), self.beta != 0 {
            let plan = try BroadcastPlan([c.shape, [m, n]])
            guard plan.outShape == [m, n] else { throw SwiftletError.shapeMismatch("Gemm C \(c.shape) does not broadcast to [\(m), \(n)]") }
            let cc = c.rank == 0 ? c.reshaped([1]) : c
            let cs = cc.shape.count == 1 ? [1, cc.shape[0]] : cc.shape
            for i in 0..<m {
                for j in 0..<n {
                    let ci = (cs[0] == 1 ? 0 : i) * cs[1] + (cs[1] == 1 ? 0 : j)
                    out.f32[i * n + j] = cc.f32[ci]
                }
            }
            beta = self.beta
        }
        Gemm.sgemm(m: m, n: n, k: k, a: a.f32, lda: a.shape[1], transA: transA, b: b.f32, ldb: b.shape[1], transB: transB,
                   c: out.f32, ldc: n, alpha: alpha, beta: beta, threads: ctx.threads)
        return [out]
    }
}
