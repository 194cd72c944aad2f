#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// ReduceMax over axis 1 of Log(x + addend) · mask (internal op `Swiftlet.MaskedLogMax`, made
/// by MaskedLogMaxFusion): SPLADE's pooling, log(1 + relu(logits)) times the attention mask,
/// max over the sequence. Unfused it is four passes over [batch, sequence, vocabulary] with
/// three tensors of that size written in between; here each row of x is read once and the
/// maxima stay in cache. Same arithmetic in the same order (x + addend, VectorMath.log, · mask,
/// max skipping NaN), so the result is the unfused graph's (up to the sign of a zero maximum).
///
/// Inputs x [B, S, V] and mask broadcasting as [B, S, 1]; any other shapes run the four
/// original ops one after the other.
struct MaskedLogMaxOp: Operator {
    let addend: Float
    let keepDims: Bool

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "X"), m = try x.required(1, "mask")
        guard a.dtype == .float32, m.dtype == .float32, a.rank == 3, m.rank <= 3 else { return try unfused(a, m, ctx) }
        let b = a.shape[0], s = a.shape[1], v = a.shape[2]
        let md = [Int](repeating: 1, count: 3 - m.rank) + m.shape
        guard md[2] == 1, md[0] == 1 || md[0] == b, md[1] == 1 || md[1] == s else { return try unfused(a, m, ctx) }
        let out = try ctx.alloc(.float32, keepDims ? [b, 1, v] : [b, v])
        let maskBatchStride = md[0] == 1 ? 0 : md[1], maskSeqStride = md[1] == 1 ? 0 : 1
        // Column slabs small enough that a slab of maxima stays in L1 across the S rows.
        let slab = 1024, slabs = (v + slab - 1) / slab
        let src = a.f32, mask = m.f32, dst = out.f32, c = addend
        parallelChunks(b * slabs, threads: ctx.threads) { items in
            for item in items {
                let bi = item / slabs, v0 = (item % slabs) * slab, n = min(slab, v - v0)
                let o = dst + bi * v + v0
                o.initialize(repeating: -.infinity, count: n)
                for si in 0..<s {
                    let mv = mask[bi * maskBatchStride + si * maskSeqStride]
                    LogMaxRow.apply(src + (bi * s + si) * v + v0, n, addend: c, mask: mv, into: o)
                }
            }
        }
        return [out]
    }

    /// The four ops the fusion replaced, for shapes the fused loop does not take.
    private func unfused(_ a: Tensor, _ m: Tensor, _ ctx: ExecContext) throws -> [Tensor] {
        let c = try Tensor(floats: [addend], shape: [])
        let sum = try BinaryOp(.add).run([a, c], ctx)[0]
        let log = try UnaryOp(kind: .log).run([sum], ctx)[0]
        let product = try BinaryOp(.mul).run([log, m], ctx)[0]
        return try ReduceOp(kind: .max, attrAxes: [1], keepDims: keepDims, noopWithEmptyAxes: false).run([product], ctx)
    }
}
