import CBLAS

/// Which kernel OpenBLAS picked on this machine, and whether that is below what the CPU
/// runs. OpenBLAS names its core at load (overridable by OPENBLAS_CORETYPE); a release that
/// does not know a CPU model silently falls back to its SSE3 "Prescott" kernels, 3–5×
/// slower. Swiftlet then keeps every GEMM on its own kernels instead.
public struct BLASInfo: Sendable {
    /// OpenBLAS's core name, e.g. "Haswell", "SkylakeX", "Prescott".
    public let coreName: String
    /// 2 = AVX-512 kernels, 1 = AVX2/FMA kernels, 0 = older.
    public let level: Int

    /// What the OpenBLAS linked into this process reports, read once.
    public static let current: BLASInfo = {
        let name = openblas_get_corename().map { String(cString: $0) } ?? "unknown"
        return BLASInfo(coreName: name, level: level(of: name))
    }()

    static func level(of core: String) -> Int {
        switch core.lowercased() {
        case "skylakex", "cooperlake", "sapphirerapids": return 2
        case "haswell", "zen": return 1
        default: return 0
        }
    }

    /// True when OpenBLAS runs kernels narrower than the CPU supports.
    public var belowCPU: Bool { level < (CPUFeatures.current.avx512 ? 2 : CPUFeatures.current.avx2 ? 1 : 0) }
}
