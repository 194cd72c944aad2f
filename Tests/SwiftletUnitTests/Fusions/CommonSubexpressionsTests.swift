import Foundation
import XCTest
@testable import Swiftlet

/// Nodes computing the same op on the same inputs and attributes run once; small constants
/// count as the same input when their values are equal. Same ops on the same values: the
/// same bits.
final class CommonSubexpressionsTests: XCTestCase {
    func repeated() -> GraphIR {
        testGraph(inputs: [("x", [4, 9])], outputs: ["y"], nodes: [
            node("Mul", ["x", "two"], "first"),
            node("Mul", ["x", "alsoTwo"], "second"),
            node("Relu", ["first"], "r1"),
            node("Relu", ["second"], "r2"),
            node("Add", ["r1", "r2"], "y"),
        ], constants: ["two": scalar(2), "alsoTwo": scalar(2)])
    }

    func testRepeatedWorkRunsOnce() throws {
        try assertFusion(repeated(), fused: ["Mul": 1, "Relu": 1, "Add": 1], tolerance: 0)
    }

    func testGraphOutputsAreNotMerged() throws {
        var g = repeated()
        g.outputs += [ValueInfo(name: "first", dtype: .float32, dims: []), ValueInfo(name: "second", dtype: .float32, dims: [])]
        let counts = try GraphFile.session(g, options: SessionOptions(threads: 1)).opCounts
        XCTAssertEqual(counts["Mul"], 2, "\(counts)")
    }
}
