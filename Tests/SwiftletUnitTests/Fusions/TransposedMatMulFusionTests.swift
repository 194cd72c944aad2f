import Foundation
import XCTest
@testable import Swiftlet

/// MatMul(A, Transpose(B)) and the scalar Div after it (attention's Q·Kᵀ/√d) become one
/// Swiftlet.MatMulTransB with the scale as alpha: B is read transposed instead of copied.
/// Only the rounding of ·(1/c) against /c and the GEMM's summation order differ:
/// max |diff| ≤ 1e-6 on outputs of magnitude ~1.
final class TransposedMatMulFusionTests: XCTestCase {
    func scores() -> GraphIR {
        testGraph(inputs: [("a", [2, 5, 8]), ("b", [2, 6, 8])], outputs: ["y"], nodes: [
            node("Transpose", ["b"], "bT", ["perm": .ints([0, 2, 1])]),
            node("MatMul", ["a", "bT"], "product"),
            node("Div", ["product", "scale"], "y"),
        ], constants: ["scale": scalar(2.828427)])
    }

    func testTransposeAndScaleJoinTheGemm() throws {
        try assertFusion(scores(), fused: ["Swiftlet.MatMulTransB": 1], tolerance: 1e-6)
    }

    func testSharedTransposeBlocksIt() throws {
        // Bᵀ as a graph output: the fused graph would no longer compute it.
        try assertBlocked(scores(), sharing: "bT")
    }

    func testSharedProductKeepsTheScaleSeparate() throws {
        var g = scores()
        g.outputs.append(ValueInfo(name: "product", dtype: .float32, dims: []))
        let counts = try GraphFile.session(g, options: SessionOptions(threads: 1)).opCounts
        XCTAssertEqual(counts, ["Swiftlet.MatMulTransB": 1, "Div": 1])
    }
}
