import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Conv → BatchNormalization (inference) folds into the conv's weights and bias. The fused
/// conv computes the affine map before instead of after the sum, so only the rounding of
/// the folded weights differs: max |diff| ≤ 1e-5 on outputs of magnitude ~1.
final class ConvBatchNormFusionTests: XCTestCase {
    func convBN(bias: Bool) throws -> GraphIR {
        let m = ConvFoldingGraphs.channels
        return try ConvFoldingGraphs.conv(bias: bias, then: [
            node("BatchNormalization", ["conv", "scale", "shift", "mean", "var"], "y", ["epsilon": .float(1e-5)]),
        ], constants: [
            "scale": try Tensor(floats: testRandoms(m, seed: 43), shape: [m]),
            "shift": try Tensor(floats: testRandoms(m, seed: 44), shape: [m]),
            "mean": try Tensor(floats: testRandoms(m, seed: 45), shape: [m]),
            "var": try Tensor(floats: testRandoms(m, seed: 46).map { abs($0) + 0.2 }, shape: [m]),
        ])
    }

    func testBatchNormFoldsIntoTheConv() throws {
        for bias in [true, false] {
            try assertFusion(try convBN(bias: bias), fused: ["Conv": 1], tolerance: 1e-5)
        }
    }

    func testSharedConvOutputBlocksIt() throws {
        try assertBlocked(try convBN(bias: true), sharing: "conv")
    }
}
