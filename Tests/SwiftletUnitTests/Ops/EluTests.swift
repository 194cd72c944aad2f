import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// ONNX Elu on a one-node graph, against the spec's formula evaluated in Double here:
/// f(x) = alpha · (exp(x) − 1) for x < 0, x otherwise (alpha defaults to 1).
///
/// Tolerance for x < 0: VectorMath.exp has a relative error below 5e-7 (KernelTests), so
/// ≤ 5e-7 absolute for exp(x) < 1; subtracting 1 is exact for exp(x) ≥ 0.5 and rounds by
/// ≤ 6e-8 below; the product by alpha (a result of magnitude ≤ alpha) rounds by ≤ 6e-8 ·
/// alpha — so |diff| ≤ alpha · 6.2e-7. From zero up the op returns its input, bit for bit.
final class EluTests: XCTestCase {
    static let inputs: [Float] = [-Float.infinity, -100, -87.5, -20, -3, -1, -0.5, -1e-3, -1e-7, -0.0, 0, 1e-7, 0.25, 1, 7, 1e6, .infinity]
        + testRandoms(4096 + 13, seed: 11).map { $0 * 6 }   // several SIMD vectors and a ragged tail

    func run(alpha: Float?) throws -> [Float] {
        let attrs: [String: Attribute] = alpha.map { ["alpha": .float($0)] } ?? [:]
        let g = testGraph(inputs: [("x", [Self.inputs.count])], outputs: ["y"], nodes: [node("Elu", ["x"], "y", attrs)], constants: [:])
        let session = try GraphFile.session(g, options: SessionOptions(threads: 2))
        let y = try session.run(["x": try Tensor(floats: Self.inputs, shape: [Self.inputs.count])])
        return try XCTUnwrap(y["y"]).floatArray()
    }

    func check(alpha: Float?) throws {
        let a = alpha ?? 1
        let got = try run(alpha: alpha)
        XCTAssertEqual(got.count, Self.inputs.count)
        let tolerance = Double(a) * 6.2e-7
        for (x, y) in zip(Self.inputs, got) {
            if x < 0 {
                let want = Double(a) * (Foundation.exp(Double(x)) - 1)
                XCTAssertLessThanOrEqual(abs(Double(y) - want), tolerance, "Elu(\(x), alpha \(a)) = \(y), want \(want)")
            } else {
                XCTAssertEqual(y.bitPattern, x.bitPattern, "Elu(\(x)) must be x")
            }
        }
    }

    func testDefaultAlpha() throws { try check(alpha: nil) }

    func testAlphaAttribute() throws {
        try check(alpha: 0.5)
        try check(alpha: 2.5)
    }

    func testNaNStaysNaN() throws {
        let g = testGraph(inputs: [("x", [2])], outputs: ["y"], nodes: [node("Elu", ["x"], "y")], constants: [:])
        let y = try GraphFile.session(g, options: SessionOptions(threads: 1)).run(["x": try Tensor(floats: [.nan, -.nan], shape: [2])])
        XCTAssertTrue(try XCTUnwrap(y["y"]).floatArray().allSatisfy(\.isNaN))
    }
}
