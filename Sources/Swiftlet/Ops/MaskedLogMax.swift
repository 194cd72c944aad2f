#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import _Builtin_intrinsics.intel

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
                    Self.maxRow(src + (bi * s + si) * v + v0, n, addend: c, mask: mv, into: o)
                }
            }
        }
        return [out]
    }

    /// o[i] = max(o[i], log(row[i] + addend) · mask), keeping o[i] where the value is NaN.
    @inline(__always)
    static func maxRow(_ row: UnsafePointer<Float>, _ n: Int, addend: Float, mask: Float, into o: UnsafeMutablePointer<Float>) {
        // Intrinsics rather than SIMD8 arithmetic, which the compiler scalarised around the log.
        let c = _mm256_set1_ps(addend), mv = _mm256_set1_ps(mask)
        var i = 0
        @inline(__always) func step(_ x: SIMD8<Float>, _ cur: SIMD8<Float>) -> SIMD8<Float> {
            let sum = unsafeBitCast(_mm256_add_ps(unsafeBitCast(x, to: __m256.self), c), to: SIMD8<Float>.self)
            let val = _mm256_mul_ps(unsafeBitCast(VectorMath.log(sum), to: __m256.self), mv), m = unsafeBitCast(cur, to: __m256.self)
            // maxps(val, m) is `val > m ? val : m`: a NaN value keeps m, as ReduceMax's
            // Swift.max does; the two differ only in which zero wins a tie of +0 and -0.
            return unsafeBitCast(_mm256_max_ps(val, m), to: SIMD8<Float>.self)
        }
        let r = UnsafeRawPointer(row), d = UnsafeMutableRawPointer(o)
        while i + 8 <= n {
            let cur = d.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            d.storeBytes(of: step(r.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self), cur), toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        if i < n {
            // The tail through padded vectors (1 in the unused lanes: a valid log input).
            var xs = SIMD8<Float>(repeating: 1), cur = SIMD8<Float>(repeating: 0)
            for k in 0..<(n - i) { xs[k] = row[i + k]; cur[k] = o[i + k] }
            let res = step(xs, cur)
            for k in 0..<(n - i) { o[i + k] = res[k] }
        }
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
