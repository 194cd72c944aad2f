import XCTest
import SwiftletTestSupport
@testable import Swiftlet
import SwiftletAVX512

/// Softmax's exp-and-sum: the 16-lane AVX-512 loop must give the 8-lane loop's bits, both
/// for every exp and for the sum (the same vectors added in the same order).
final class ExpSumTests: XCTestCase {
    /// The loop softmax ran before the AVX-512 path: exp of whole 8-float vectors, their
    /// lane-wise sum in order, across the lanes, then the tail value by value.
    func eightLane(_ x: [Float], shift: Float) -> (y: [Float], sum: Float) {
        let n = x.count, full = n & ~7
        var y = [Float](repeating: 0, count: n), acc = SIMD8<Float>()
        let mv = SIMD8<Float>(repeating: shift)
        for i in stride(from: 0, to: full, by: 8) {
            let e = VectorMath.exp(SIMD8<Float>(x[i..<(i + 8)]) - mv)
            for j in 0..<8 { y[i + j] = e[j] }
            acc += e
        }
        var s = acc.sum()
        if full < n {
            var v = SIMD8<Float>()
            for j in full..<n { v[j - full] = x[j] }
            let e = VectorMath.exp(v - mv)
            for j in full..<n { y[j] = e[j - full]; s += y[j] }
        }
        return (y, s)
    }

    func values(_ n: Int, seed: UInt64) -> [Float] {
        var v = testRandoms(n, seed: seed).map { $0 * 40 - 20 }
        // Masked scores, exp's flush and clamp points, a NaN.
        let specials: [Float] = [-.infinity, -87.4, -87.3, 88.4, 0, -0, .nan, -1e-30]
        for (i, s) in specials.enumerated() where i * 5 < n { v[i * 5] = s }
        return v
    }

    func testSameBitsAsTheEightLaneLoop() {
        for n in [0, 1, 7, 8, 9, 15, 16, 17, 24, 31, 40, 128, 129, 384] {
            let x = values(n, seed: UInt64(n + 3)), shift: Float = 3.25
            let want = eightLane(x, shift: shift)
            var y = [Float](repeating: 0, count: n)
            let s = x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { expShiftedSum(xp.baseAddress!, $0.baseAddress!, n, shift: shift) }
            }
            XCTAssertEqual(y.map(\.bitPattern), want.y.map(\.bitPattern), "n=\(n)")
            XCTAssertEqual(s.bitPattern, want.sum.bitPattern, "n=\(n): sum \(s) vs \(want.sum)")
        }
    }

    func testAVX512LoopDirectly() throws {
        try XCTSkipUnless(CPUFeatures.current.avx512, "this CPU has no AVX-512: only the 8-lane loop runs here")
        for n in [8, 16, 24, 128, 136] {
            let x = values(n, seed: UInt64(2 * n)), shift: Float = -1.5
            let want = eightLane(x, shift: shift)
            var y = [Float](repeating: 0, count: n)
            let acc = x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { ExpSum512.expSum(xp.baseAddress!, $0.baseAddress!, n, shift: shift) }
            }
            XCTAssertEqual(y.map(\.bitPattern), want.y.map(\.bitPattern), "n=\(n)")
            XCTAssertEqual(acc.sum().bitPattern, want.sum.bitPattern, "n=\(n)")
        }
    }
}
