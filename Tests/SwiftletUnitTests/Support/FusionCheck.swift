import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// One node whose name is its (first) output, so patterns read like the exports they copy.
func node(_ op: String, _ inputs: [String], _ output: String, _ attrs: [String: Attribute] = [:]) -> Node {
    Node(name: output, op: op, inputs: inputs, outputs: [output], attrs: attrs)
}

/// A float32 graph with fixed-shape inputs; outputs are declared without shapes.
func testGraph(inputs: [(String, [Int])], outputs: [String], nodes: [Node], constants: [String: Tensor], opset: Int = 17) -> GraphIR {
    GraphIR(inputs: inputs.map { ValueInfo(name: $0.0, dtype: .float32, dims: $0.1.map { .fixed($0) }) },
            outputs: outputs.map { ValueInfo(name: $0, dtype: .float32, dims: []) },
            nodes: nodes, constants: constants, opset: opset)
}

func scalar(_ v: Float) -> Tensor { try! Tensor(floats: [v], shape: []) }

/// Deterministic float32 inputs for every graph input.
func randomFeeds(_ g: GraphIR, seed: UInt64 = 7) throws -> [String: Tensor] {
    var feeds: [String: Tensor] = [:]
    for (k, v) in g.inputs.enumerated() {
        let shape = v.dims.map { d -> Int in if case .fixed(let n) = d { return n }; return 1 }
        feeds[v.name] = try Tensor(floats: testRandoms(shape.reduce(1, *), seed: seed + UInt64(k)), shape: shape)
    }
    return feeds
}

/// The contract every fusion keeps, checked through `Session` as a model would run:
/// the fused session has exactly `fused` ops where the unfused one has the graph's own,
/// and both compute the same outputs (max |diff| ≤ `tolerance`; 0 means the same bits).
func assertFusion(_ g: GraphIR, fused: [String: Int], tolerance: Float, feeds: [String: Tensor]? = nil,
                  file: StaticString = #filePath, line: UInt = #line) throws {
    let feeds = try feeds ?? randomFeeds(g)
    let original = g.nodes.reduce(into: [String: Int]()) { $0[$1.op, default: 0] += 1 }
    for threads in [1, 2] {
        let plain = try GraphFile.session(g, options: SessionOptions(threads: threads, fusions: false))
        let fast = try GraphFile.session(g, options: SessionOptions(threads: threads))
        XCTAssertEqual(plain.opCounts, original, "unfused graph changed before running", file: file, line: line)
        XCTAssertEqual(fast.opCounts, fused, "fusion did not give the expected ops", file: file, line: line)
        let want = try plain.run(feeds), got = try fast.run(feeds)
        for o in g.outputs {
            let w = try XCTUnwrap(want[o.name], file: file, line: line), r = try XCTUnwrap(got[o.name], file: file, line: line)
            XCTAssertEqual(r.shape, w.shape, "\(o.name) shape", file: file, line: line)
            let d = maxAbsDiff(r.floatArray(), w.floatArray())
            XCTAssertLessThanOrEqual(d, tolerance, "\(o.name): max |diff| \(d) (threads \(threads))", file: file, line: line)
        }
    }
}

/// An intermediate that is also a graph output must keep the pattern unfused around it:
/// with `shared` exposed, fusing changes nothing.
func assertBlocked(_ g: GraphIR, sharing shared: String, file: StaticString = #filePath, line: UInt = #line) throws {
    var g = g
    g.outputs.append(ValueInfo(name: shared, dtype: .float32, dims: []))
    let original = g.nodes.reduce(into: [String: Int]()) { $0[$1.op, default: 0] += 1 }
    let fast = try GraphFile.session(g, options: SessionOptions(threads: 1))
    XCTAssertEqual(fast.opCounts, original, "fused although '\(shared)' is read outside the pattern", file: file, line: line)
}
