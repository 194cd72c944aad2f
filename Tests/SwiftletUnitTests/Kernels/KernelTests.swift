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
