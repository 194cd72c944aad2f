import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// The opset < 17 LayerNorm spelled out in nine ops, with its affine tail, becomes one
/// LayerNormalization. Fused and spelled-out differ only in float rounding of the mean and
/// variance over 24 values: max |diff| ≤ 1e-5 on outputs of magnitude ~1.
final class LayerNormFusionTests: XCTestCase {
    func decomposed() throws -> GraphIR {
        let d = 24
        let nodes = [
            node("ReduceMean", ["x"], "mean", ["axes": .ints([-1])]),
            node("Sub", ["x", "mean"], "centered"),
            node("Pow", ["centered", "two"], "squared"),
            node("ReduceMean", ["squared"], "variance", ["axes": .ints([-1])]),
            node("Add", ["variance", "eps"], "shifted"),
            node("Sqrt", ["shifted"], "std"),
            node("Div", ["centered", "std"], "normed"),
            node("Mul", ["normed", "gamma"], "scaled"),
            node("Add", ["scaled", "beta"], "y"),
        ]
        return testGraph(inputs: [("x", [3, 5, d])], outputs: ["y"], nodes: nodes, constants: [
            "two": scalar(2), "eps": scalar(1e-5),
            "gamma": try Tensor(floats: testRandoms(d, seed: 11), shape: [d]),
            "beta": try Tensor(floats: testRandoms(d, seed: 12), shape: [d]),
        ], opset: 13)
    }

    func testNineOpsBecomeOne() throws {
        try assertFusion(try decomposed(), fused: ["LayerNormalization": 1], tolerance: 1e-5)
    }

    func testSharedIntermediateBlocksIt() throws {
        try assertBlocked(try decomposed(), sharing: "centered")
    }
}
