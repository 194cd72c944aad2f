#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Fused multi-head attention (internal op `Swiftlet.Attention`, made by AttentionFusion).
/// Q, K, V: [B, S, H·D]; optional additive mask broadcastable to [B, H, S, S]; output
/// [B, S, H·D]. Each (batch, head) pair computes its S×S scores in a private scratch
/// buffer that stays in cache, instead of materializing [B, H, S, S] in memory.
///
/// Key padding costs nothing: the keys after the last one whose mask is above
/// `AttentionOp.droppedMask` in any query row (BERT's key-padding mask, [B, 1, 1, S] or
/// expanded to [B, 1, S, S]) are left out of QKᵀ, softmax and P×V — see `attendPrefix`.
/// A causal mask has no such keys and takes the full path.
struct AttentionOp: Operator {
    /// Either may be 0 (the export left it to be inferred); the other then decides.
    let heads: Int
    let headSize: Int
    let scale: Float
    let zeroNaNRows: Bool
    /// Leave out keys that the mask rules out for every query row (see `attendPrefix`);
    /// false forces the full S×S computation (tests compare the two).
    var dropPaddedKeys = true

    /// Keys whose additive mask is ≤ this may be dropped (HF's padding value is -10000
    /// in older exports, finfo(float32).min or -inf in newer ones).
    static let droppedMask: Float = -1e4

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
        let out = try ctx.alloc(.float32, q.shape)
        if out.count == 0 { return [out] }
        let qp = q.f32, kp = k.f32, vp = v.f32, op = out.f32, mp = mask?.f32
        let scale = self.scale, zeroNaN = zeroNaNRows
        // Key-padding skip: per mask slice (batch row × mask head, as the mask broadcasts),
        // the key prefix any query row can use and the largest mask value past it.
        let mb = ms[0] == 0 ? 1 : b, mh = ms[1] == 0 ? 1 : h
        let rows = ms[2] == 0 ? 1 : s, droppedMask = Self.droppedMask
        let prefixes: [(lk: Int, dropped: Float)] = !dropPaddedKeys || ms[3] == 0 ? [] : mp.map { mp in
            (0..<(mb * mh)).map { slice in
                let m = mp + (slice / mh) * ms[0] + (slice % mh) * ms[1]
                // One backward scan per row to its last key with mask > -1e4 (or NaN, which
                // must reach the output); `dropped` covers each row's own masked tail, a
                // superset of the keys finally dropped (an upper bound is all it needs).
                var lk = 0, dropped = -Float.infinity
                for i in 0..<rows where lk < s {
                    let row = m + i * ms[2]
                    var j = s
                    while j > 0, row[(j - 1) * ms[3]] <= droppedMask { dropped = Swift.max(dropped, row[(j - 1) * ms[3]]); j -= 1 }
                    lk = Swift.max(lk, j)
                }
                return (lk, dropped)
            }
        } ?? []
        // Heads of a tile width's multiple run their products on unpacked operands.
        let tiles = HeadProducts(isa: .best)
        let products = tiles.supports(headSize: d) ? tiles : nil
        let ld = products?.paddedKeys(s) ?? s
        let scratchFloats = s * ld + (products?.transposeFloats(keys: s, headSize: d) ?? 0)
        parallelChunks(b * h, threads: ctx.threads) { range in
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchFloats)
            defer { scratch.deallocate() }
            for bh in range {
                let bi = bh / h, hi = bh % h
                let base = bi * s * hd + hi * d
                let mbase = mp.map { $0 + bi * ms[0] + hi * ms[1] }
                if products != nil {
                    // V is read after the scores and softmax; the next head's Q and K next.
                    prefetchRows(vp + base, rows: s, width: d, ld: hd)
                    if bh + 1 < range.upperBound {
                        let next = ((bh + 1) / h) * s * hd + ((bh + 1) % h) * d
                        prefetchRows(qp + next, rows: s, width: d, ld: hd)
                        prefetchRows(kp + next, rows: s, width: d, ld: hd)
                    }
                }
                if !prefixes.isEmpty, let mbase {
                    let p = prefixes[(ms[0] == 0 ? 0 : bi) * mh + (ms[1] == 0 ? 0 : hi)]
                    if p.lk > 0, p.lk < s,
                       Self.attendPrefix(p.lk, s: s, d: d, hd: hd, q: qp + base, k: kp + base, v: vp + base, out: op + base,
                                         mask: mbase, maskRowStride: ms[2], maskKeyStride: ms[3], droppedMaskMax: p.dropped,
                                         scale: scale, zeroNaN: zeroNaN, scratch: scratch, products: products) {
                        continue
                    }
                }
                if let products {
                    products.scores(q: qp + base, ldq: hd, rows: s, k: kp + base, ldk: hd, keys: s, d: d,
                                    scale: scale, kt: scratch + s * ld, into: scratch)
                } else {
                    Gemm.sgemm(m: s, n: s, k: d, a: qp + base, lda: hd, b: kp + base, ldb: hd, transB: true,
                               c: scratch, ldc: s, alpha: scale, threads: 1)
                }
                for i in 0..<s {
                    let row = scratch + i * ld
                    if let mbase, ms[3] != 1 {
                        let mrow = mbase + i * ms[2]
                        for j in 0..<s { row[j] += mrow[j * ms[3]] }
                        softmaxRow(row, row, s, false)
                    } else {
                        maskedSoftmaxRow(row, mask: mbase.map { $0 + i * ms[2] }, s)
                    }
                    if zeroNaN, row[0].isNaN { for j in 0..<s { row[j] = 0 } }
                }
                if let products {
                    products.weightedValues(p: scratch, ldp: ld, rows: s, keys: s, v: vp + base, ldv: hd, d: d, out: op + base, ldo: hd)
                } else {
                    Gemm.sgemm(m: s, n: d, k: s, a: scratch, lda: s, b: vp + base, ldb: hd,
                               c: op + base, ldc: hd, threads: 1)
                }
            }
        }
        return [out]
    }

    /// Attention of all `s` query rows over the first `lk` keys only, when every key past
    /// them has a mask ≤ -1e4 in every query row (`droppedMaskMax` is the largest of those
    /// mask values). Returns false, having written nothing to `out`, when it cannot prove
    /// the dropped keys irrelevant; the caller then runs the full S×S computation.
    ///
    /// Why this is exact: a dropped key j has mask m_ij ≤ -1e4, so its logit is
    /// x_ij = s_ij + m_ij with the raw score s_ij = scale·q_i·k_j bounded by
    /// |s_ij| ≤ |scale|·‖q_i‖·‖k_j‖ (Cauchy–Schwarz). With M_i the row maximum over the kept
    /// keys, we check per row (in double, with a relative allowance for float32 rounding in
    /// the GEMM and the additions) that
    ///     |scale|·‖q_i‖·max_j‖k_j‖ + max_ij m_ij < M_i - 104        (j over dropped keys),
    /// or that every dropped mask is -inf. Then every dropped logit is more than 104 below
    /// M_i: it is not the row maximum, and exp(x_ij - M_i) < e^-104 is under half the
    /// smallest float32 denormal, so it is exactly 0 in float32 (and `VectorMath.exp`
    /// returns 0 for anything below -87.34). The softmax maxima and denominators, the
    /// probabilities of the kept keys and P×V are therefore those of the full S keys, up to
    /// summation order (last-bit differences); the dropped keys would only have added
    /// exact zeros. For BERT (scores of order 10; mask -1e4, finfo(float32).min or -inf) the
    /// check always passes, and it costs O(S·D) next to the O(S·Lk·D) products it saves.
    /// A query row whose keys are all masked makes it fail (its maximum is itself ≤ -1e4 or
    /// -inf), so such rows keep the reference's uniform / NaN / zeroNaNRows results.
    @inline(never)   // inlined, it pushed VectorMath.exp out of line in run's softmax loop
    static func attendPrefix(_ lk: Int, s: Int, d: Int, hd: Int,
                             q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                             out: UnsafeMutablePointer<Float>, mask: UnsafePointer<Float>,
                             maskRowStride: Int, maskKeyStride: Int, droppedMaskMax: Float,
                             scale: Float, zeroNaN: Bool, scratch: UnsafeMutablePointer<Float>,
                             products: HeadProducts? = nil) -> Bool {
        let mMax = Double(droppedMaskMax)
        guard mMax <= Double(droppedMask) else { return false }
        // Largest ‖k_j‖ over the dropped keys.
        var kMax = 0.0
        for j in lk..<s {
            let n = norm(k + j * hd, d)
            guard n.isFinite else { return false }
            kMax = Swift.max(kMax, n)
        }
        // Scores over the kept keys: s × lk, row stride ld (lk padded to whole tiles).
        let ld = products?.paddedKeys(lk) ?? lk
        if let products {
            products.scores(q: q, ldq: hd, rows: s, k: k, ldk: hd, keys: lk, d: d, scale: scale, kt: scratch + s * ld, into: scratch)
        } else {
            Gemm.sgemm(m: s, n: lk, k: d, a: q, lda: hd, b: k, ldb: hd, transB: true,
                       c: scratch, ldc: lk, alpha: scale, threads: 1)
        }
        let absScale = Double(abs(scale))
        for i in 0..<s {
            let row = scratch + i * ld, mrow = mask + i * maskRowStride
            let mx: Float
            if maskKeyStride == 1 {
                let logits = addMaskAndMax(row, mask: mrow, lk)
                guard !logits.nan else { return false }
                mx = logits.max
            } else {
                for j in 0..<lk { row[j] += mrow[j * maskKeyStride] }
                var m = -Float.infinity
                for j in 0..<lk {
                    guard !row[j].isNaN else { return false }
                    m = Swift.max(m, row[j])
                }
                mx = m
            }
            let qk = norm(q + i * hd, d) * kMax, m = Double(mx), sb = absScale * qk
            // Written as "not (… < …)" so that NaN anywhere falls back to the full path.
            guard m.isFinite, qk < 1e30, sb < 1e30 else { return false }
            if mMax == -.infinity { continue }   // every dropped logit is -inf
            if !(sb + mMax + 104 + 1e-4 * (sb + abs(mMax) + abs(m)) < m) { return false }
        }
        for i in 0..<s {
            let row = scratch + i * ld
            maskedSoftmaxRow(row, mask: nil, lk)
            if zeroNaN, row[0].isNaN { for j in 0..<lk { row[j] = 0 } }
        }
        if let products {
            products.weightedValues(p: scratch, ldp: ld, rows: s, keys: lk, v: v, ldv: hd, d: d, out: out, ldo: hd)
        } else {
            Gemm.sgemm(m: s, n: d, k: lk, a: scratch, lda: lk, b: v, ldb: hd, c: out, ldc: hd, threads: 1)
        }
        return true
    }

    /// Euclidean norm in float32 (its relative error, ~n·6e-8, is covered by the 1e-4
    /// allowance of the bound); inf on overflow, which makes the bound refuse.
    @inline(__always)
    private static func norm(_ p: UnsafePointer<Float>, _ n: Int) -> Double {
        var acc = SIMD8<Float>(repeating: 0)
        var i = 0
        let r = UnsafeRawPointer(p)
        while i + 8 <= n {
            let x = r.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            acc = acc.addingProduct(x, x)
            i += 8
        }
        var sum = acc.sum()
        while i < n { sum += p[i] * p[i]; i += 1 }
        return Double(sum.squareRoot())
    }
}
