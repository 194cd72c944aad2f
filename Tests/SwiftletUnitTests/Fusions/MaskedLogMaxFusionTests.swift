import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// SPLADE's pooling, ReduceMax over the sequence of Log(x + 1) · mask, becomes one
/// Swiftlet.MaskedLogMax: the same values bit for bit (tolerance 0), on a vocabulary that is
/// not a multiple of the vector width or of the kernel's column slab, with padded positions.
final class MaskedLogMaxFusionTests: XCTestCase {
    static let b = 3, s = 5, v = 1037

    /// `maskShape` is how the mask reaches the Mul ([B, S, 1] as SPLADE's Unsqueeze gives it).
    func pooling(maskShape: [Int], keepDims: Bool = false, axesAsInput: Bool = true, constantFirst: Bool = false) -> GraphIR {
        let axes = Tensor(zeros: .int64, shape: [1])
        axes.i64[0] = 1
        var reduce = node("ReduceMax", axesAsInput ? ["product", "axes"] : ["product"], "y", ["keepdims": .int(keepDims ? 1 : 0)])
        if !axesAsInput { reduce.attrs["axes"] = .ints([1]) }
        return testGraph(inputs: [("x", [Self.b, Self.s, Self.v]), ("mask", maskShape)], outputs: ["y"], nodes: [
            node("Add", constantFirst ? ["one", "x"] : ["x", "one"], "shifted"),
            node("Log", ["shifted"], "log"),
            node("Mul", ["log", "mask"], "product"),
            reduce,
        ], constants: ["one": scalar(1), "axes": axes], opset: axesAsInput ? 18 : 17)
    }

    /// Relu'd logits (≥ 0, a quarter exactly 0) and a 0/1 mask with each row's tail padded.
    func feeds(maskShape: [Int]) throws -> [String: Tensor] {
        let n = Self.b * Self.s * Self.v
        let x = try Tensor(floats: testRandoms(n, seed: 61).map { max(0, $0 * 6 - 1.5) }, shape: [Self.b, Self.s, Self.v])
        let count = maskShape.reduce(1, *)
        let mask = try Tensor(floats: (0..<count).map { i in Float((i % Self.s) < Self.s - (i / Self.s) % 3 ? 1 : 0) }, shape: maskShape)
        return ["x": x, "mask": mask]
    }

    func testSpladePoolingBecomesOneNode() throws {
        for (keep, asInput, constantFirst) in [(false, true, false), (true, true, true), (false, false, false)] {
            let shape = [Self.b, Self.s, 1]
            try assertFusion(pooling(maskShape: shape, keepDims: keep, axesAsInput: asInput, constantFirst: constantFirst),
                             fused: ["Swiftlet.MaskedLogMax": 1], tolerance: 0, feeds: try feeds(maskShape: shape))
        }
    }

    /// A mask of another shape (here one value per position and column) takes the fused op's
    /// fallback, the four original ops.
    func testOtherMaskShapesGiveTheUnfusedResult() throws {
        for shape in [[Self.b, Self.s, Self.v], [Self.s, 1], [1, Self.s, 1]] {
            try assertFusion(pooling(maskShape: shape), fused: ["Swiftlet.MaskedLogMax": 1], tolerance: 0, feeds: try feeds(maskShape: shape))
        }
    }

    /// Zeros, negatives, infinities and NaN in x: the log's lane-by-lane path and NaN maxima.
    func testEdgeValues() throws {
        let shape = [Self.b, Self.s, 1]
        var f = try feeds(maskShape: shape)
        let x = f["x"]!
        for (i, value) in [(0, Float.infinity), (9, -1), (10, -.infinity), (17, .nan), (1036, -0.5), (2 * 1037, .nan)] { x.f32[i] = value }
        f["x"] = x
        // maxAbsDiff cannot see NaN or matching infinities: compare element by element.
        let g = pooling(maskShape: shape)
        let plain = try GraphFile.session(g, options: SessionOptions(threads: 1, fusions: false))
        for threads in [1, 2] {
            let fused = try GraphFile.session(g, options: SessionOptions(threads: threads))
            XCTAssertEqual(fused.opCounts["Swiftlet.MaskedLogMax"], 1)
            let want = try XCTUnwrap(plain.run(f)["y"]).floatArray(), got = try XCTUnwrap(fused.run(f)["y"]).floatArray()
            XCTAssertEqual(got.count, want.count)
            for (i, (a, b)) in zip(got, want).enumerated() where !(a == b || (a.isNaN && b.isNaN)) {
                XCTFail("y[\(i)]: fused \(a), unfused \(b)")
                break
            }
            XCTAssertTrue(got.contains(.infinity), "the +inf input survives as the maximum of its column")
        }
    }

    func testSharedLogBlocksIt() throws {
        try assertBlocked(pooling(maskShape: [Self.b, Self.s, 1]), sharing: "log")
    }
}
