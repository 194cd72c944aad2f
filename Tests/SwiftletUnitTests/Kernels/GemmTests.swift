import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Swiftlet's own GEMM tiles (every ISA level this CPU runs) against a double-precision
/// reference: shapes around the tile edges, transposed operands, alpha/beta, bias and a
/// fused activation; and the same bits whatever the thread count.
final class GemmTests: XCTestCase {
    /// Relative to the size of the terms summed: float32 accumulation over k ≤ 700.
    static let tolerance: Double = 2e-6

    struct Case { let m, n, k: Int; let transA, transB: Bool; let alpha, beta: Float; let bias: Bool; let act: Activation }

    static func reference(_ c: Case, _ a: [Float], _ b: [Float], _ c0: [Float], _ bias: [Float]) -> (values: [Double], scale: [Double]) {
        var out = [Double](repeating: 0, count: c.m * c.n), scale = out
        for i in 0..<c.m {
            for j in 0..<c.n {
                var s = 0.0, mag = 0.0
                for kk in 0..<c.k {
                    let x = Double(c.transA ? a[kk * c.m + i] : a[i * c.k + kk])
                    let y = Double(c.transB ? b[j * c.k + kk] : b[kk * c.n + j])
                    s += x * y
                    mag += abs(x * y)
                }
                var v = Double(c.alpha) * s + Double(c.beta) * Double(c0[i * c.n + j]) + (c.bias ? Double(bias[j]) : 0)
                if c.act == .relu { v = max(v, 0) }
                out[i * c.n + j] = v
                scale[i * c.n + j] = abs(Double(c.alpha)) * mag + abs(Double(c.beta * c0[i * c.n + j])) + 1
            }
        }
        return (out, scale)
    }

    func run(_ c: Case, isa: GemmISA, threads: Int, seed: UInt64) -> [Float] {
        let a = testRandoms(c.m * c.k, seed: seed), b = testRandoms(c.k * c.n, seed: seed + 1)
        var out = testRandoms(c.m * c.n, seed: seed + 2)
        let bias = testRandoms(c.n, seed: seed + 3)
        out.withUnsafeMutableBufferPointer { o in
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    bias.withUnsafeBufferPointer { biasP in
                        if c.beta != 0 && c.beta != 1 { for i in 0..<o.count { o[i] *= c.beta } }
                        let packed = PackedMatrix(bp.baseAddress!, k: c.k, n: c.n, transposed: c.transB, isa: isa, threads: threads)
                        let pool = threads > 1 ? WorkerPool(size: threads) : nil
                        CurrentPool.with(pool) {
                            PackedGemm.gemm(m: c.m, a: ap.baseAddress!, lda: c.transA ? c.m : c.k, transA: c.transA, b: packed,
                                            c: o.baseAddress!, ldc: c.n, alpha: c.alpha, accumulate: c.beta != 0,
                                            bias: c.bias ? biasP.baseAddress! : nil, act: c.act, threads: threads)
                        }
                    }
                }
            }
        }
        return out
    }

    func check(_ c: Case, seed: UInt64) {
        let a = testRandoms(c.m * c.k, seed: seed), b = testRandoms(c.k * c.n, seed: seed + 1)
        let c0 = testRandoms(c.m * c.n, seed: seed + 2), bias = testRandoms(c.n, seed: seed + 3)
        let (want, scale) = Self.reference(c, a, b, c0, bias)
        for isa in GemmISA.available {
            let one = run(c, isa: isa, threads: 1, seed: seed)
            var worst = 0.0
            for i in 0..<want.count { worst = max(worst, abs(Double(one[i]) - want[i]) / scale[i]) }
            XCTAssertLessThanOrEqual(worst, Self.tolerance, "\(isa) \(c)")
            for t in [2, 3] {
                XCTAssertEqual(run(c, isa: isa, threads: t, seed: seed), one, "\(isa) \(c): \(t) threads differ from 1")
            }
        }
    }

    func testShapesAroundTileEdges() {
        var seed: UInt64 = 1
        for m in [1, 3, 5, 6, 7, 11, 12, 13, 25, 97] {
            for n in [1, 15, 16, 17, 31, 32, 33, 70] {
                for k in [1, 8, 37] {
                    check(Case(m: m, n: n, k: k, transA: false, transB: false, alpha: 1, beta: 0, bias: false, act: .none), seed: seed)
                    seed += 4
                }
            }
        }
    }

    func testTransposesAlphaBetaBiasActivation() {
        var seed: UInt64 = 1000
        for (ta, tb) in [(false, true), (true, false), (true, true)] {
            for (alpha, beta) in [(Float(1), Float(1)), (0.125, 0), (2, 0.5)] {
                for (bias, act) in [(false, Activation.none), (true, .none), (true, .relu)] {
                    check(Case(m: 29, n: 45, k: 19, transA: ta, transB: tb, alpha: alpha, beta: beta, bias: bias, act: act), seed: seed)
                    seed += 4
                }
            }
        }
    }

    /// Blocks of A larger than one L2 block (several row blocks), long k, threads splitting
    /// both rows and panels.
    func testLargeShapes() {
        check(Case(m: 300, n: 96, k: 700, transA: false, transB: false, alpha: 1, beta: 0, bias: true, act: .none), seed: 7)
        check(Case(m: 130, n: 200, k: 64, transA: false, transB: true, alpha: 1, beta: 1, bias: false, act: .relu), seed: 11)
    }

    func testEmptyInnerDimensionGivesBiasOnly() {
        check(Case(m: 4, n: 5, k: 0, transA: false, transB: false, alpha: 1, beta: 1, bias: true, act: .none), seed: 3)
    }

    /// The variable-operand path (`Gemm.sgemm`) on Swiftlet's tiles matches OpenBLAS.
    func testSgemmOwnPathMatchesBLAS() {
        let m = 37, n = 50, k = 41
        let a = testRandoms(m * k, seed: 5), b = testRandoms(n * k, seed: 6)
        var viaBLAS = [Float](repeating: 0, count: m * n), viaOwn = viaBLAS
        Gemm.sgemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: k, transB: true, c: &viaBLAS, ldc: n, alpha: 0.5, threads: 1, blas: true)
        Gemm.sgemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: k, transB: true, c: &viaOwn, ldc: n, alpha: 0.5, threads: 1, blas: false)
        XCTAssertLessThanOrEqual(maxAbsDiff(viaBLAS, viaOwn), 1e-5)
    }

    func testKernelPathsAreReported() {
        XCTAssertTrue(CPUFeatures.current.avx2, "the build baseline is x86-64-v3")
        XCTAssertFalse(KernelPaths.gemm.isEmpty)
        XCTAssertEqual(BLASInfo.level(of: "Prescott"), 0)
        XCTAssertEqual(BLASInfo.level(of: "Haswell"), 1)
        XCTAssertEqual(BLASInfo.level(of: "SkylakeX"), 2)
        print("cpu: \(KernelPaths.cpu) (\(KernelPaths.isa)); gemm: \(KernelPaths.gemm)")
    }
}
