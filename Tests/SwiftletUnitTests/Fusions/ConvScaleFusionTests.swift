import Foundation
import XCTest
@testable import Swiftlet

/// Conv → Mul by a per-channel constant folds into the weights and bias; with an Add after
/// it (PP-OCRv4's re-parameterized blocks) both fold, in either order, into one Conv.
/// Only the rounding of the scaled weights differs: max |diff| ≤ 1e-5.
final class ConvScaleFusionTests: XCTestCase {
    func convScale(addAfter: Bool) throws -> GraphIR {
        var tail = [node("Mul", ["conv", "s"], addAfter ? "scaled" : "y")]
        if addAfter { tail.append(node("Add", ["scaled", "c"], "y")) }
        return try ConvFoldingGraphs.conv(bias: true, then: tail, constants: [
            "s": try ConvFoldingGraphs.perChannel(seed: 48, offset: 1.5), "c": try ConvFoldingGraphs.perChannel(seed: 49),
        ])
    }

    func testScaleFoldsIntoTheConv() throws {
        for addAfter in [false, true] {
            try assertFusion(try convScale(addAfter: addAfter), fused: ["Conv": 1], tolerance: 1e-5)
        }
    }

    func testSharedConvOutputBlocksIt() throws {
        try assertBlocked(try convScale(addAfter: false), sharing: "conv")
    }
}
