import Foundation
import XCTest
@testable import Swiftlet

/// Vector math against libm on dense grids: the approximations must stay far inside the
/// 1e-4 parity budget wherever activations actually land.
final class KernelTests: XCTestCase {
    func testExpMatchesLibm() {
        var worst: Float = 0
        var x: Float = -80
        while x < 80 {
            let got = VectorMath.exp(x), want = Foundation.exp(x)
            worst = max(worst, abs(got - want) / want)
            x += 0.01
        }
        XCTAssertLessThan(worst, 5e-7)
    }

    /// Within 2 ulp of libm over the whole positive float range (every 997th bit pattern,
    /// subnormals included), and libm's answers at the edges.
    func testLogMatchesLibmWithin2Ulp() {
        var worstUlps: Float = 0
        var bits: UInt32 = 1
        while bits < 0x7f80_0000 {
            let x = Float(bitPattern: bits)
            let want = Foundation.log(Double(x))
            let got = VectorMath.log(SIMD8<Float>(repeating: x))[0]
            let ulp = Float(want).ulp
            worstUlps = max(worstUlps, Float(abs(Double(got) - want)) / ulp)
            bits += 997
        }
        XCTAssertLessThanOrEqual(worstUlps, 2, "worst error \(worstUlps) ulp")
        let edges = VectorMath.log(SIMD8<Float>(0, -0.0, -1, .infinity, -.infinity, .nan, 1, 2))
        XCTAssertEqual(edges[0], -.infinity)
        XCTAssertEqual(edges[1], -.infinity)
        XCTAssertTrue(edges[2].isNaN)
        XCTAssertEqual(edges[3], .infinity)
        XCTAssertTrue(edges[4].isNaN)
        XCTAssertTrue(edges[5].isNaN)
        XCTAssertEqual(edges[6], 0)
        XCTAssertEqual(edges[7], Float(0.6931472), accuracy: 1e-7)
    }

    func testErfMatchesLibm() {
        var worst: Float = 0
        var x: Float = -6
        while x < 6 {
            worst = max(worst, abs(VectorMath.erf(x) - Foundation.erf(x)))
            x += 0.001
        }
        // A&S 7.1.26 is good to 1.5e-7; float32 evaluation of 1 − p·e^(−x²) adds a few ulp.
        XCTAssertLessThan(worst, 1e-6)
    }

    func testBroadcastPlanCollapsesBias() throws {
        let p = try BroadcastPlan([[4, 5, 384], [384]])
        XCTAssertEqual(p.outShape, [4, 5, 384])
        XCTAssertEqual(p.inner, 384)
        XCTAssertThrowsError(try BroadcastPlan([[2, 3], [4]]))
    }
}
