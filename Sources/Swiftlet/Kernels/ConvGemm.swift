#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// C[m×n] = act(A[m×k] · B[k×n] + bias[row]) with the bias/activation pass done per
/// thread on the block it just computed. Convolutions have few output channels and many
/// pixels, so work is split along n (pixels) when there are enough of them, else along m.
enum ConvGemm {
    static func multiply(m: Int, n: Int, k: Int,
                         a: UnsafePointer<Float>, lda: Int,
                         b: UnsafePointer<Float>, ldb: Int,
                         c: UnsafeMutablePointer<Float>, ldc: Int,
                         bias: UnsafePointer<Float>?, _ act: Epilogue, threads: Int) {
        if m == 0 || n == 0 { return }
        let t = m * n * k < 1 << 17 ? 1 : threads
        func block(rows: Range<Int>, cols: Range<Int>) {
            Gemm.sgemm(m: rows.count, n: cols.count, k: k, a: a + rows.lowerBound * lda, lda: lda,
                       b: b + cols.lowerBound, ldb: ldb, c: c + rows.lowerBound * ldc + cols.lowerBound, ldc: ldc, threads: 1)
            epilogue(c + rows.lowerBound * ldc + cols.lowerBound, rows: rows, cols: cols.count, ldc: ldc, bias: bias, act)
        }
        if t > 1 && n >= 64 * t {
            // Column blocks that are multiples of 16 keep BLAS on its full-width kernels.
            let per = ((n + t - 1) / t + 15) & ~15
            parallelChunks((n + per - 1) / per, threads: t) { r in
                for j in r { block(rows: 0..<m, cols: (j * per)..<min(n, (j + 1) * per)) }
            }
        } else {
            parallelChunks(m, threads: t, minChunk: 8) { rows in block(rows: rows, cols: 0..<n) }
        }
    }

    @inline(__always)
    static func epilogue(_ c: UnsafeMutablePointer<Float>, rows: Range<Int>, cols: Int, ldc: Int,
                         bias: UnsafePointer<Float>?, _ act: Epilogue) {
        if bias == nil && act == Epilogue() { return }
        for (i, r) in rows.enumerated() { act.biasActivate(c + i * ldc, cols, bias: bias?[r] ?? 0) }
    }
}
