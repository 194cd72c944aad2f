import Foundation
import XCTest
@testable import Swiftlet

/// Conv → Add of a per-channel (or scalar) constant becomes the conv's own bias, added
/// to the same sums: max |diff| ≤ 1e-6.
final class ConvBiasAddFusionTests: XCTestCase {
    func convAdd(bias: Bool, perChannel: Bool) throws -> GraphIR {
        try ConvFoldingGraphs.conv(bias: bias, then: [node("Add", ["conv", "c"], "y")],
                                   constants: ["c": perChannel ? try ConvFoldingGraphs.perChannel(seed: 47) : scalar(0.25)])
    }

    func testAddBecomesTheConvBias() throws {
        for (bias, perChannel) in [(false, true), (true, true), (true, false)] {
            try assertFusion(try convAdd(bias: bias, perChannel: perChannel), fused: ["Conv": 1], tolerance: 1e-6)
        }
    }

    func testSharedConvOutputBlocksIt() throws {
        try assertBlocked(try convAdd(bias: true, perChannel: true), sharing: "conv")
    }
}
