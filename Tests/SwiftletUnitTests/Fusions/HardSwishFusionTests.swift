import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// x · Clip(x + 3, 0, 6) / 6 (or · 1/6), older Paddle exports' HardSwish, becomes one
/// HardSwish: max |diff| ≤ 1e-6 on |x| ≤ 5, which covers both clip edges.
final class HardSwishFusionTests: XCTestCase {
    func decomposed(divide: Bool) -> GraphIR {
        testGraph(inputs: [("x", [3, 41])], outputs: ["y"], nodes: [
            node("Add", ["x", "three"], "shifted"),
            node("Clip", ["shifted", "zero", "six"], "clipped"),
            node("Mul", ["x", "clipped"], "product"),
            divide ? node("Div", ["product", "six"], "y") : node("Mul", ["product", "sixth"], "y"),
        ], constants: ["three": scalar(3), "zero": scalar(0), "six": scalar(6), "sixth": scalar(1.0 / 6.0)])
    }

    func testBothSpellingsBecomeOneHardSwish() throws {
        for divide in [true, false] {
            let x = try Tensor(floats: testRandoms(3 * 41, seed: 51).map { $0 * 5 }, shape: [3, 41])
            try assertFusion(decomposed(divide: divide), fused: ["HardSwish": 1], tolerance: 1e-6, feeds: ["x": x])
        }
    }

    func testSharedClipBlocksIt() throws {
        try assertBlocked(decomposed(divide: true), sharing: "clipped")
    }
}
