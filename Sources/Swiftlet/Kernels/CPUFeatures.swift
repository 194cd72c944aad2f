import CSwiftletCPU

/// What this CPU and OS can execute, read once from CPUID/XGETBV. Kernels are chosen from
/// it at run time; the build baseline (x86-64-v3) is only the floor.
public struct CPUFeatures: Sendable, Equatable {
    public let avx2: Bool
    public let avx512: Bool
    public let avx512VNNI: Bool
    public let avxVNNI: Bool
    /// CPUID brand string, e.g. "AMD EPYC 9R14 96-Core Processor".
    public let brand: String

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
