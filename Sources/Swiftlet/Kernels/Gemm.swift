import CBLAS

/// Single-precision GEMM on operands that change per run (activations, attention, im2col).
/// Constant weights go to `PackedGemm` directly (packed once at load). Here OpenBLAS runs
/// when it has picked a kernel that matches the CPU; when it has fallen back to an older
/// ISA (see `BLASInfo`), Swiftlet's own tiles run instead, B packed per call as BLAS would.
/// Either way work is split across our own threads; OpenBLAS is kept single-threaded
/// (see `BLASThreads`), so the thread count asked for is exactly the number of cores used.
enum Gemm {
    /// Whether variable-operand GEMMs go to OpenBLAS on this machine.
    static let useBLAS = !BLASInfo.current.belowCPU

    /// Which library runs `sgemm` here, for `swiftlet inspect`/`bench`.
    static var path: String {
        useBLAS ? "OpenBLAS \(BLASInfo.current.coreName) kernels" : "Swiftlet \(GemmISA.best.rawValue) tiles (OpenBLAS \(BLASInfo.current.coreName) is below this CPU)"
    }

    /// C[m×n] = alpha · op(A)·op(B) + beta · C, all row-major.
    static func sgemm(m: Int, n: Int, k: Int,
                      a: UnsafePointer<Float>, lda: Int, transA: Bool = false,
                      b: UnsafePointer<Float>, ldb: Int, transB: Bool = false,
                      c: UnsafeMutablePointer<Float>, ldc: Int,
                      alpha: Float = 1, beta: Float = 0, threads: Int, blas: Bool = useBLAS) {
        if m == 0 || n == 0 { return }
        if !blas {
            own(m: m, n: n, k: k, a: a, lda: lda, transA: transA, b: b, ldb: ldb, transB: transB,
                c: c, ldc: ldc, alpha: alpha, beta: beta, threads: threads)
            return
        }
        if k == 0 {
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
            return
        }
        let work = m * n * k
        let t = work < 1 << 18 ? 1 : threads
        // Each BLAS call packs the whole of the B panel it is given. Splitting rows makes
        // every thread pack all of B (the weights, for a short batch), so when B has more
        // columns than A has rows the split goes along columns instead: each thread then
        // packs only its share of the weights and the small A is what gets packed twice.
        if t > 1 && n > m && n >= 64 * t {
            let per = ((n + t - 1) / t + 31) & ~31
            parallelChunks((n + per - 1) / per, threads: t) { r in
                for j in r {
                    let c0 = j * per, cols = min(n, c0 + per) - c0
                    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(cols), Int32(k), alpha,
                                a, Int32(lda), b + (transB ? c0 * ldb : c0), Int32(ldb), beta,
                                c + c0, Int32(ldc))
                }
            }
            return
        }
        // Row blocks of at least 16 keep each BLAS call efficient.
        parallelChunks(m, threads: t, minChunk: 16) { rows in
            let aOff = transA ? rows.lowerBound : rows.lowerBound * lda
            cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                        Int32(rows.count), Int32(n), Int32(k), alpha,
                        a + aOff, Int32(lda), b, Int32(ldb), beta,
                        c + rows.lowerBound * ldc, Int32(ldc))
        }
    }
}

extension Gemm {
    /// The same product on Swiftlet's tiles: B packed for this call, then `PackedGemm`.
    static func own(m: Int, n: Int, k: Int,
                    a: UnsafePointer<Float>, lda: Int, transA: Bool,
                    b: UnsafePointer<Float>, ldb: Int, transB: Bool,
                    c: UnsafeMutablePointer<Float>, ldc: Int,
                    alpha: Float, beta: Float, threads: Int, isa: GemmISA = .best) {
        if beta != 0 && beta != 1 {
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] *= beta } }
        }
        let packed = PackedMatrix(b, k: k, n: n, ldb: ldb, transposed: transB, isa: isa, threads: threads)
        PackedGemm.gemm(m: m, a: a, lda: lda, transA: transA, b: packed, c: c, ldc: ldc,
                        alpha: alpha, accumulate: beta != 0, threads: threads)
    }
}

enum BLASThreads {
    /// OpenBLAS would otherwise start one thread per core and fight our own parallel loops.
    static let pinnedToOne: Void = { openblas_set_num_threads(1) }()
}
