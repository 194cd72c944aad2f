import CSwiftletCPU

/// What this CPU and OS can execute, read once from CPUID/XGETBV. Kernels are chosen from
/// it at run time; the build baseline (x86-64-v3) is only the floor.
public struct CPUFeatures: Sendable, Equatable {
    /// AVX2 and FMA are usable (x86-64-v3).
    public let avx2: Bool
    /// AVX-512 F, CD, BW, DQ and VL are usable, with the OS saving ZMM state.
    public let avx512: Bool
    /// AVX512-VNNI (`vpdpbusd`) is usable: the int8 GEMM's fastest tiles.
    public let avx512VNNI: Bool
    /// The VEX-encoded AVX-VNNI is present (reported by `isaLevel`; no kernel uses it).
    public let avxVNNI: Bool
    /// CPUID brand string, e.g. "AMD EPYC 9R14 96-Core Processor".
    public let brand: String

    /// This machine's features, read once per process.
    public static let current: CPUFeatures = {
        let bits = swl_cpu_features()
        var buf = [CChar](repeating: 0, count: 49)
        swl_cpu_brand(&buf)
        let brand = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return CPUFeatures(avx2: bits & SWIFTLET_CPU_AVX2 != 0,
                           avx512: bits & SWIFTLET_CPU_AVX512 != 0,
                           avx512VNNI: bits & SWIFTLET_CPU_AVX512_VNNI != 0,
                           avxVNNI: bits & SWIFTLET_CPU_AVX_VNNI != 0,
                           brand: String(brand.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()))
    }()

    /// "x86-64-v4 (AVX-512)" style summary for `swiftlet inspect`/`bench`.
    public var isaLevel: String {
        var s = avx512 ? "AVX-512" : avx2 ? "AVX2+FMA" : "below x86-64-v3"
        if avx512VNNI { s += ", AVX512-VNNI" } else if avxVNNI { s += ", AVX-VNNI" }
        return s
    }
}
