/// Which kernels run on this machine, in words: `swiftlet inspect` and `bench` print it so a
/// figure can always be traced to the CPU and code path that produced it.
public enum KernelPaths {
    /// The CPU's brand string, or "unknown CPU".
    public static var cpu: String { CPUFeatures.current.brand.isEmpty ? "unknown CPU" : CPUFeatures.current.brand }
    /// The vector extensions in use, e.g. "AVX-512, AVX512-VNNI".
    public static var isa: String { CPUFeatures.current.isaLevel }
    /// Path of constant-weight MatMuls (packed at load) and of every other GEMM.
    public static var gemm: String {
        let t = GemmISA.best
        return "weights: Swiftlet \(t.rawValue) \(t.mr)×\(t.nr) tiles, packed at load; other products: \(Gemm.path)"
    }
    /// Path of MatMuls on int8 / Q8_0 / Q4_0 weights.
    public static var int8Gemm: String {
        switch Int8ISA.best {
        case .vnni: return "Swiftlet AVX512-VNNI vpdpbusd 6×32 scaled tiles"
        case .avx2: return "Swiftlet AVX2 vpmaddubsw 4×16 tiles"
        }
    }
}
