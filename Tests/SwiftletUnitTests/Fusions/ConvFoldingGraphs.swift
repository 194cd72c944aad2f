import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// A 3×3 Conv of x [1, 3, 9, 11] into 4 channels followed by `tail`, the shape the conv
/// folding fusions work on; per-channel constants broadcast as [1, 4, 1, 1].
enum ConvFoldingGraphs {
    static let channels = 4

    static func conv(bias: Bool, then tail: [Node], constants: [String: Tensor] = [:], output: String = "y") throws -> GraphIR {
        let m = channels
        var consts = constants
        consts["W"] = try Tensor(floats: testRandoms(m * 3 * 3 * 3, seed: 41).map { $0 / 2 }, shape: [m, 3, 3, 3])
        if bias { consts["B"] = try Tensor(floats: testRandoms(m, seed: 42), shape: [m]) }
        let c = node("Conv", bias ? ["x", "W", "B"] : ["x", "W"], "conv",
                     ["kernel_shape": .ints([3, 3]), "pads": .ints([1, 1, 1, 1])])
        return testGraph(inputs: [("x", [1, 3, 9, 11])], outputs: [output], nodes: [c] + tail, constants: consts)
    }

    static func perChannel(seed: UInt64, offset: Float = 0) throws -> Tensor {
        try Tensor(floats: testRandoms(channels, seed: seed).map { $0 + offset }, shape: [1, channels, 1, 1])
    }
}
