import CBLAS
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
import Dispatch
#else
import Foundation
#endif

/// Times C[m×n] = A[m×k]·B[k×n] on each GEMM path this machine has, for `swiftlet bench
/// --gemm`: Swiftlet's tiles on weights packed once (as models run
/// them) for every ISA level the CPU supports, the int8 tiles (GOP/s counted like
/// GFLOP/s: 2 per multiply-add), and OpenBLAS with whatever kernel it picked.
public enum GemmBenchmark {
    /// The best time of one GEMM path.
    public struct Result: Sendable {
        /// The path's name, e.g. "swiftlet-avx512", "swiftlet-int8-vnni", "openblas-Haswell".
        public let path: String
        /// The fastest of the timed runs, in seconds.
        public let bestSeconds: Double
        /// 2·m·n·k over `bestSeconds`, in billions per second.
        public let gflops: Double
    }

    /// Times every path on one shape: one untimed run, then the best of `runs`.
    public static func run(m: Int, n: Int, k: Int, threads: Int, runs: Int = 5) -> [Result] {
        _ = BLASThreads.pinnedToOne
        let a = Storage.alignedAlloc(m * k * 4).assumingMemoryBound(to: Float.self)
        let b = Storage.alignedAlloc(k * n * 4).assumingMemoryBound(to: Float.self)
        let c = Storage.alignedAlloc(m * n * 4).assumingMemoryBound(to: Float.self)
        defer { free(a); free(b); free(c) }
        for i in 0..<(m * k) { a[i] = Float(i % 17) * 0.01 - 0.08 }
        for i in 0..<(k * n) { b[i] = Float(i % 13) * 0.01 - 0.06 }
        let flops = 2.0 * Double(m) * Double(n) * Double(k)
        func best(_ body: () -> Void) -> Double {
            body()
            var t = Double.infinity
            for _ in 0..<runs {
                let t0 = DispatchTime.now().uptimeNanoseconds
                body()
                t = min(t, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            return t
        }
        var out: [Result] = []
        let pool = threads > 1 ? WorkerPool(size: threads) : nil
        for isa in GemmISA.available {
            let packed = PackedMatrix(b, k: k, n: n, isa: isa, threads: threads)
            let s = best { CurrentPool.with(pool) { PackedGemm.gemm(m: m, a: a, lda: k, b: packed, c: c, ldc: n, threads: threads) } }
            out.append(Result(path: "swiftlet-\(isa.rawValue)", bestSeconds: s, gflops: flops / s / 1e9))
        }
        // int8 weights (per-column scales), activations quantized per row inside the call.
        var q = [Int8](repeating: 0, count: k * n), scales = [Float](repeating: 0.01, count: n)
        for i in 0..<(k * n) { q[i] = Int8(i % 255 - 127) }
        let int8 = q.withUnsafeBufferPointer { Int8PackedMatrix($0.baseAddress!, scales: &scales, k: k, n: n, threads: threads) }
        for isa in Int8ISA.available {
            let s = best { CurrentPool.with(pool) { Int8Gemm.gemm(m: m, a: a, lda: k, b: int8, c: c, ldc: n, threads: threads, isa: isa) } }
            out.append(Result(path: "swiftlet-int8-\(isa.rawValue)", bestSeconds: s, gflops: flops / s / 1e9))
        }
        let s = best { CurrentPool.with(pool) { Gemm.sgemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: c, ldc: n, threads: threads, blas: true) } }
        out.append(Result(path: "openblas-\(BLASInfo.current.coreName)", bestSeconds: s, gflops: flops / s / 1e9))
        return out
    }
}
