import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Einsum: every ONNX node test of it is float64 (out of a .swl's dtypes), so the float32
/// equations are checked here against the definition — the sum over every assignment of
/// the letters — evaluated in Double on seeded pseudo-random inputs.
final class EinsumTests: XCTestCase {
    func einsum(_ equation: String, _ inputs: [Tensor]) throws -> Tensor {
        let n = Node(name: "e0", op: "Einsum", inputs: inputs.indices.map { "i\($0)" }, outputs: ["y"], attrs: ["equation": .string(equation)])
        return try OpRegistry.make(n, opset: 12).run(inputs, ExecContext(pool: BufferPool(), threads: 2))[0]
    }

    /// Deterministic values in [-1, 1) (a fixed LCG, so failures reproduce).
    func tensor(_ shape: [Int], seed: UInt64) -> Tensor {
        var s = seed
        let v: [Float] = (0..<shape.reduce(1, *)).map { _ in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return Float(Double(s >> 40) / Double(1 << 24) * 2 - 1)
        }
        return try! Tensor(floats: v, shape: shape)
    }

    /// The definition: out[o] = Σ over the other letters of Π inputs, in Double.
    func reference(_ terms: [String], _ output: String, _ inputs: [Tensor]) -> [Double] {
        var size: [Character: Int] = [:]
        for (t, x) in zip(terms, inputs) { for (c, d) in zip(t, x.shape) { size[c] = d } }
        let letters = Array(size.keys).sorted()
        let outLetters = Array(output)
        let outShape = outLetters.map { size[$0]! }
        var out = [Double](repeating: 0, count: outShape.reduce(1, *))
        let total = letters.reduce(1) { $0 * size[$1]! }
        let values = inputs.map { $0.floatArray() }
        for flat in 0..<total {
            var idx: [Character: Int] = [:], r = flat
            for c in letters.reversed() { idx[c] = r % size[c]!; r /= size[c]! }
            var p = 1.0
            for (k, t) in terms.enumerated() {
                var off = 0
                for (c, d) in zip(t, inputs[k].shape) { off = off * d + idx[c]! }
                p *= Double(values[k][off])
            }
            var o = 0
            for (c, d) in zip(outLetters, outShape) { o = o * d + idx[c]! }
            out[o] += p
        }
        return out
    }

    func check(_ equation: String, _ shapes: [[Int]], output: String, shape: [Int], file: StaticString = #filePath, line: UInt = #line) throws {
        let inputs = shapes.enumerated().map { tensor($0.element, seed: UInt64($0.offset + 7)) }
        let y = try einsum(equation, inputs)
        XCTAssertEqual(y.shape, shape, equation, file: file, line: line)
        let lhs = equation.split(separator: "-").first!.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let want = reference(lhs, output, inputs)
        let got = y.floatArray()
        XCTAssertEqual(got.count, want.count, file: file, line: line)
        for (g, w) in zip(got, want) { XCTAssertEqual(Double(g), w, accuracy: 1e-5, equation, file: file, line: line) }
    }

    func testMatmulLikeEquations() throws {
        try check("ij,jk->ik", [[3, 4], [4, 5]], output: "ik", shape: [3, 5])
        try check("bhid,bhjd->bhij", [[2, 3, 4, 8], [2, 3, 5, 8]], output: "bhij", shape: [2, 3, 4, 5])
        try check("bij,bjk->bik", [[2, 3, 4], [2, 4, 2]], output: "bik", shape: [2, 3, 2])
        try check("ik,jk", [[3, 4], [2, 4]], output: "ij", shape: [3, 2])  // implicit output
        try check("bn,anm->bam", [[2, 3], [4, 3, 5]], output: "bam", shape: [2, 4, 5])
        try check("i,i->", [[6], [6]], output: "", shape: [])
        try check("i,j->ij", [[3], [4]], output: "ij", shape: [3, 4])
        try check("ij,j->i", [[3, 4], [4]], output: "i", shape: [3])
        try check("ijk,ik->j", [[2, 3, 4], [2, 4]], output: "j", shape: [3])  // contraction over two letters
        try check("ij,kl->ik", [[2, 3], [4, 5]], output: "ik", shape: [2, 4])  // letters summed away first
    }

    func testSingleOperandTransposeAndSum() throws {
        try check("ij->ji", [[3, 4]], output: "ji", shape: [4, 3])
        try check("ijk->ki", [[2, 3, 4]], output: "ki", shape: [4, 2])
        try check("ij->", [[3, 4]], output: "", shape: [])
    }

    func testUnsupportedEquationsAreRefusedNamingTheEquation() {
        for eq in ["ii->i", "...ij,...jk->...ik", "ij,jk,kl->il", "ij->k", "i-j"] {
            XCTAssertThrowsError(try einsum(eq, [tensor([2, 2], seed: 1)]), eq) { e in
                let text = String(describing: e)
                XCTAssertTrue(text.contains("Einsum(equation=\"\(eq)\""), text)
                XCTAssertTrue(text.contains("e0"), text)
            }
        }
        XCTAssertThrowsError(try einsum("ij,jk->ik", [tensor([2, 3], seed: 1), tensor([4, 2], seed: 2)])) { e in
            XCTAssertTrue(String(describing: e).contains("letter 'j'"), String(describing: e))
        }
    }
}
