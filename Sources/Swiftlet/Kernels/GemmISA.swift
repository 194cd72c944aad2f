import SwiftletAVX512

/// The register-tile family Swiftlet's own GEMM runs, picked from CPUID: 12×32 tiles on
/// AVX-512 (32 zmm registers), 6×16 on AVX2/FMA. Weights are packed for one of them.
public enum GemmISA: String, Sendable, CaseIterable {
    case avx512
    case avx2

    /// The widest family this CPU runs.
    public static let best: GemmISA = CPUFeatures.current.avx512 ? .avx512 : .avx2

    /// Families this CPU can run (tests exercise each).
    static var available: [GemmISA] { CPUFeatures.current.avx512 ? [.avx512, .avx2] : [.avx2] }

    /// Rows of A per register tile.
    var mr: Int { self == .avx512 ? GemmTiles512.mr : GemmTilesAVX2.mr }
    /// Columns of B per register tile (the packed panel width).
    var nr: Int { self == .avx512 ? GemmTiles512.nr : GemmTilesAVX2.nr }

    /// C[rows × nr] (=, or += when accumulating) alpha · Apanel · Bpanel + bias[nr].
    @inline(__always)
    func tile(rows: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, k: Int,
              c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, bias: UnsafePointer<Float>?, accumulate: Bool) {
        switch self {
        case .avx512: GemmTiles512.run(rows: rows, a: a, b: b, k: k, c: c, ldc: ldc, alpha: alpha, bias: bias, accumulate: accumulate)
        case .avx2: GemmTilesAVX2.run(rows: rows, a: a, b: b, k: k, c: c, ldc: ldc, alpha: alpha, bias: bias, accumulate: accumulate)
        }
    }
}

extension GemmISA {
    /// C[rows × nr] = alpha · A·B on operands where they lie: A row r at a + r·lda, B row kk
    /// at b + kk·ldb (no packing; the same FMAs in the same order as `tile`).
    @inline(__always)
    func stridedTile(rows: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, k: Int,
                     c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float) {
        switch self {
        case .avx512: StridedTiles512.run(rows: rows, a: a, lda: lda, b: b, ldb: ldb, k: k, c: c, ldc: ldc, alpha: alpha)
        case .avx2: StridedTilesAVX2.run(rows: rows, a: a, lda: lda, b: b, ldb: ldb, k: k, c: c, ldc: ldc, alpha: alpha)
        }
    }
}
