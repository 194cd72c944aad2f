import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// MatMul by constant weights followed by Add of a constant bias becomes one
/// Swiftlet.MatMulBias whose GEMM starts from the bias. Same products, the bias added at
/// another point of the sum: max |diff| ≤ 1e-6 on outputs of magnitude ~1.
final class MatMulBiasFusionTests: XCTestCase {
    func linear() throws -> GraphIR {
        let (k, n) = (24, 40)
        return testGraph(inputs: [("x", [2, 7, k])], outputs: ["y"], nodes: [
            node("MatMul", ["x", "W"], "product"),
            node("Add", ["product", "b"], "y"),
        ], constants: [
            "W": try Tensor(floats: testRandoms(k * n, seed: 31).map { $0 / 4 }, shape: [k, n]),
            "b": try Tensor(floats: testRandoms(n, seed: 32), shape: [n]),
        ])
    }

    func testBiasJoinsTheGemm() throws {
        try assertFusion(try linear(), fused: ["Swiftlet.MatMulBias": 1], tolerance: 1e-6)
    }

    func testSharedProductBlocksIt() throws {
        try assertBlocked(try linear(), sharing: "product")
    }
}
