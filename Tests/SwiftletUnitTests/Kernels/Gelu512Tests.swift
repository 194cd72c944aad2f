import XCTest
@testable import Swiftlet
import SwiftletAVX512

/// The 16-lane GELU (AVX-512) must give the SIMD8 version's bits for every input, so the
/// MatMul + GELU epilogue and the Gelu op agree on every CPU.
final class Gelu512Tests: XCTestCase {
    func testSameBitsAsTheEightLaneVersion() throws {
        try XCTSkipUnless(CPUFeatures.current.avx512, "this CPU has no AVX-512: only the SIMD8 GELU runs here")
        var values: [Float] = [0, -0, 1, -1, .infinity, -.infinity, .nan, -.nan, .leastNonzeroMagnitude,
                               -.leastNonzeroMagnitude, .leastNormalMagnitude, -.leastNormalMagnitude,
                               .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 13.2, -13.2, 9.3, -9.3,
                               // around exp's flush point (-87.33654) and clamp (88.37626), via x²/2
                               13.216, -13.217, 13.3, -13.3]
        // Every 4096th bit pattern: all exponents, signs and both NaN kinds.
        for b in stride(from: UInt32(0), to: UInt32.max - 4096, by: 4096) { values.append(Float(bitPattern: b &+ 77)) }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<100_000 { values.append(Float.random(in: -12...12, using: &rng)) }
        // Odd counts so the masked tail runs too.
        for n in [values.count, 1, 7, 15, 17, 33] {
            let x = Array(values.prefix(n))
            var want = [Float](repeating: 0, count: n), got = [Float](repeating: 0, count: n)
            for i in 0..<n { want[i] = VectorMath.gelu(SIMD8<Float>(repeating: x[i]))[0] }
            x.withUnsafeBufferPointer { xp in got.withUnsafeMutableBufferPointer { Gelu512.map(xp.baseAddress!, $0.baseAddress!, n) } }
            for i in 0..<n where want[i].bitPattern != got[i].bitPattern {
                XCTFail("gelu(\(x[i]) = 0x\(String(x[i].bitPattern, radix: 16))): SIMD8 0x\(String(want[i].bitPattern, radix: 16)), AVX-512 0x\(String(got[i].bitPattern, radix: 16))")
                return
            }
        }
    }

    /// In place (x == y), as the GEMM epilogues call it.
    func testInPlace() throws {
        try XCTSkipUnless(CPUFeatures.current.avx512, "this CPU has no AVX-512: only the SIMD8 GELU runs here")
        var x = (0..<37).map { Float($0) * 0.37 - 6 }
        let want = x.map { VectorMath.gelu(SIMD8<Float>(repeating: $0))[0] }
        x.withUnsafeMutableBufferPointer { Gelu512.map($0.baseAddress!, $0.baseAddress!, 37) }
        XCTAssertEqual(x.map(\.bitPattern), want.map(\.bitPattern))
    }

    /// The int8 GEMM's fused store: gelu(acc · scale + bias), the roundings of storing
    /// (multiply, then add) and then mapping; no bias: no addition at all (a -0 stays -0).
    func testScaleBiasMapIsStoreThenGelu() throws {
        try XCTSkipUnless(CPUFeatures.current.avx512, "this CPU has no AVX-512: only the SIMD8 GELU runs here")
        let acc = (0..<37).map { Float($0) * 0.41 - 7 } + [-0.0, 0, .nan]
        let scales = (0..<40).map { 0.5 + Float($0) * 0.013 }, bias = (0..<40).map { Float($0) * 0.07 - 1.3 }
        for n in [32, 16, 17, 5, 40] {
            for withBias in [false, true] {
                let want = (0..<n).map { i -> Float in
                    let v = acc[i] * scales[i]
                    return VectorMath.gelu(SIMD8<Float>(repeating: withBias ? v + bias[i] : v))[0]
                }
                var got = [Float](repeating: 1, count: n)
                acc.withUnsafeBufferPointer { a in scales.withUnsafeBufferPointer { s in bias.withUnsafeBufferPointer { b in
                    got.withUnsafeMutableBufferPointer {
                        Gelu512.scaleBiasMap(a.baseAddress!, scales: s.baseAddress!, bias: withBias ? b.baseAddress! : nil, $0.baseAddress!, n)
                    }
                } } }
                XCTAssertEqual(got.map(\.bitPattern), want.map(\.bitPattern), "n=\(n) bias=\(withBias)")
            }
        }
    }
}
