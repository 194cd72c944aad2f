import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// LayerNormalization(Add(x, residual)) becomes Swiftlet.SkipLayerNorm, which adds and
/// normalizes in one pass over each row: the same sums in the same order, max |diff| ≤ 1e-6.
final class SkipLayerNormFusionTests: XCTestCase {
    func residual() throws -> GraphIR {
        let d = 32
        return testGraph(inputs: [("x", [2, 3, d]), ("skip", [2, 3, d])], outputs: ["y"], nodes: [
            node("Add", ["x", "skip"], "sum"),
            node("LayerNormalization", ["sum", "gamma", "beta"], "y", ["axis": .int(-1), "epsilon": .float(1e-12)]),
        ], constants: [
            "gamma": try Tensor(floats: testRandoms(d, seed: 21), shape: [d]),
            "beta": try Tensor(floats: testRandoms(d, seed: 22), shape: [d]),
        ])
    }

    func testResidualAddJoinsTheLayerNorm() throws {
        try assertFusion(try residual(), fused: ["Swiftlet.SkipLayerNorm": 1], tolerance: 1e-6)
    }

    func testSharedSumBlocksIt() throws {
        try assertBlocked(try residual(), sharing: "sum")
    }
}
