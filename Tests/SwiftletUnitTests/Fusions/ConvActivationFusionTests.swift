import Foundation
import XCTest
@testable import Swiftlet

/// Conv → activation (and a scalar ·a / +b after it) becomes Swiftlet.FusedConv with the
/// activation in the kernel epilogue. The epilogue evaluates the activation on the same
/// sums: max |diff| ≤ 1e-6 on outputs of magnitude ~1.
final class ConvActivationFusionTests: XCTestCase {
    static let activations: [(String, [String], [String: Attribute])] = [
        ("Relu", [], [:]),
        ("Sigmoid", [], [:]),
        ("HardSigmoid", [], ["alpha": .float(0.2), "beta": .float(0.5)]),
        ("HardSwish", [], [:]),
        ("LeakyRelu", [], ["alpha": .float(0.1)]),
        ("Clip", ["lo", "hi"], [:]),
        ("Elu", [], ["alpha": .float(0.7)]),
    ]

    func convAct(_ op: String, _ extra: [String], _ attrs: [String: Attribute], post: Bool) throws -> GraphIR {
        var tail = [node(op, ["conv"] + extra, post ? "act" : "y", attrs)]
        if post { tail += [node("Mul", ["act", "a"], "scaled"), node("Add", ["scaled", "b"], "y")] }
        return try ConvFoldingGraphs.conv(bias: true, then: tail, constants: [
            "lo": scalar(-0.5), "hi": scalar(0.75), "a": scalar(1.5), "b": scalar(-0.25),
        ])
    }

    func testActivationsJoinTheConvEpilogue() throws {
        for (op, extra, attrs) in Self.activations {
            try assertFusion(try convAct(op, extra, attrs, post: false), fused: ["Swiftlet.FusedConv": 1], tolerance: 1e-6)
        }
    }

    func testScalarAffineAfterTheActivationJoinsToo() throws {
        try assertFusion(try convAct("Relu", [], [:], post: true), fused: ["Swiftlet.FusedConv": 1], tolerance: 1e-6)
    }

    func testSharedConvOutputBlocksIt() throws {
        try assertBlocked(try convAct("Relu", [], [:], post: false), sharing: "conv")
    }
}
