#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import _Builtin_intrinsics.intel

/// Exact int32 products of small integers (ONNX MatMulInteger / QLinearMatMul): operands
/// already shifted by their zero points, so every value lies in -255...255 and fits int16.
/// `vpmaddwd` multiplies 16 int16 pairs and adds each pair into an int32 lane; with
/// |a|, |b| ≤ 255 a pair sum is ≤ 130,050, so nothing saturates and the sums are exact
/// (accumulation wraps in two's complement past 2^31, as the ONNX spec allows).
///
/// Layouts (both zero-padded, so padding adds nothing):
/// - A: `rowsPadded` rows of `kp` int16 (kp = k rounded up to even, rowsPadded a multiple of 4);
/// - B: `panels` panels of 16 columns, each `kp/2` steps of [16 columns][2 k] int16.
enum Int16Gemm {
    static let nr = 16
    static let mr = 4

    static func paddedK(_ k: Int) -> Int { (k + 1) & ~1 }
    static func paddedRows(_ m: Int) -> Int { (m + mr - 1) / mr * mr }
    static func panels(_ n: Int) -> Int { (n + nr - 1) / nr }
    /// Int16 elements of a packed B.
    static func packedCount(k: Int, n: Int) -> Int { panels(n) * paddedK(k) * nr }

    /// Packs B[kk][j] = value(kk, j) (already zero-point shifted) into `dst`.
    static func packB(k: Int, n: Int, into dst: UnsafeMutablePointer<Int16>, _ value: (Int, Int) -> Int16) {
        let kp = paddedK(k), panelSize = kp * nr
        dst.initialize(repeating: 0, count: panels(n) * panelSize)
        for p in 0..<panels(n) {
            let base = dst + p * panelSize
            for j in 0..<min(nr, n - p * nr) {
                let col = p * nr + j
                for kk in 0..<k { base[(kk >> 1) * 2 * nr + j * 2 + (kk & 1)] = value(kk, col) }
            }
        }
    }

    /// C[m×n] (int32, row stride ldc) = A · B with A [rowsPadded][kp] and B packed as above.
    static func gemm(m: Int, n: Int, k: Int, a: UnsafePointer<Int16>, b: UnsafePointer<Int16>,
                     c: UnsafeMutablePointer<Int32>, ldc: Int, threads: Int) {
        if m == 0 || n == 0 { return }
        let kp = paddedK(k), quads = paddedRows(m) / mr, np = panels(n)
        // Panel-major work items: a thread's run of items reuses one B panel from cache.
        let t = m * n * max(k, 1) < 1 << 16 ? 1 : threads
        parallelChunks(quads * np, threads: t) { items in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: mr * nr) { tmp in
                let scratch = tmp.baseAddress!
                for item in items {
                    let p = item / quads, q = item % quads
                    let rows = min(mr, m - q * mr), cols = min(nr, n - p * nr)
                    let ap = a + q * mr * kp, bp = b + p * kp * nr
                    let dst = c + q * mr * ldc + p * nr
                    if rows == mr && cols == nr {
                        tile(ap, kp, bp, kp / 2, dst, ldc)
                    } else {
                        tile(ap, kp, bp, kp / 2, scratch, nr)
                        for r in 0..<rows { (dst + r * ldc).update(from: scratch + r * nr, count: cols) }
                    }
                }
            }
        }
    }

    /// 4 rows × 16 columns: per k pair, each row's (a0, a1) broadcast against two vectors
    /// of 8 columns' (b0, b1).
    @inline(never)
    static func tile(_ a: UnsafePointer<Int16>, _ lda: Int, _ b: UnsafePointer<Int16>, _ k2: Int,
                     _ c: UnsafeMutablePointer<Int32>, _ ldc: Int) {
        var c0_0 = _mm256_setzero_si256(), c0_1 = _mm256_setzero_si256()
        var c1_0 = _mm256_setzero_si256(), c1_1 = _mm256_setzero_si256()
        var c2_0 = _mm256_setzero_si256(), c2_1 = _mm256_setzero_si256()
        var c3_0 = _mm256_setzero_si256(), c3_1 = _mm256_setzero_si256()
        let a0 = UnsafeRawPointer(a), a1 = UnsafeRawPointer(a + lda), a2 = UnsafeRawPointer(a + 2 * lda), a3 = UnsafeRawPointer(a + 3 * lda)
        var bp = UnsafeRawPointer(b)
        for s in 0..<k2 {
            let b0 = _mm256_loadu_si256(bp.assumingMemoryBound(to: __m256i.self))
            let b1 = _mm256_loadu_si256((bp + 32).assumingMemoryBound(to: __m256i.self))
            let off = 4 * s
            let x0 = _mm256_set1_epi32(a0.loadUnaligned(fromByteOffset: off, as: Int32.self))
            c0_0 = _mm256_add_epi32(c0_0, _mm256_madd_epi16(x0, b0))
            c0_1 = _mm256_add_epi32(c0_1, _mm256_madd_epi16(x0, b1))
            let x1 = _mm256_set1_epi32(a1.loadUnaligned(fromByteOffset: off, as: Int32.self))
            c1_0 = _mm256_add_epi32(c1_0, _mm256_madd_epi16(x1, b0))
            c1_1 = _mm256_add_epi32(c1_1, _mm256_madd_epi16(x1, b1))
            let x2 = _mm256_set1_epi32(a2.loadUnaligned(fromByteOffset: off, as: Int32.self))
            c2_0 = _mm256_add_epi32(c2_0, _mm256_madd_epi16(x2, b0))
            c2_1 = _mm256_add_epi32(c2_1, _mm256_madd_epi16(x2, b1))
            let x3 = _mm256_set1_epi32(a3.loadUnaligned(fromByteOffset: off, as: Int32.self))
            c3_0 = _mm256_add_epi32(c3_0, _mm256_madd_epi16(x3, b0))
            c3_1 = _mm256_add_epi32(c3_1, _mm256_madd_epi16(x3, b1))
            bp += 64
        }
        func st(_ r: Int, _ h: Int, _ v: __m256i) {
            _mm256_storeu_si256(UnsafeMutableRawPointer(c + r * ldc + 8 * h).assumingMemoryBound(to: __m256i.self), v)
        }
        st(0, 0, c0_0); st(0, 1, c0_1)
        st(1, 0, c1_0); st(1, 1, c1_1)
        st(2, 0, c2_0); st(2, 1, c2_1)
        st(3, 0, c3_0); st(3, 1, c3_1)
    }
}
