import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// ConvTranspose → Add(bias) → BatchNormalization folds into one ConvTranspose. The fused
/// node must compute what the three ops compute one after the other, up to the rounding
/// of the folded weights: max |diff| ≤ 1e-5 on outputs of magnitude ~1.
final class ConvTransposeFusionTests: XCTestCase {
    static let maxDiff: Float = 1e-5

    /// X [1, c, h, w] → ConvTranspose(group) → Add [1, m, 1, 1] → BatchNormalization.
    func graph(c: Int, m: Int, group: Int, k: Int, stride: Int, pads: Int, h: Int, w: Int) throws -> GraphIR {
        let mg = m / group
        var consts: [String: Tensor] = [:]
        consts["W"] = try Tensor(floats: testRandoms(c * mg * k * k, seed: 1), shape: [c, mg, k, k])
        consts["addB"] = try Tensor(floats: testRandoms(m, seed: 2), shape: [1, m, 1, 1])
        consts["scale"] = try Tensor(floats: testRandoms(m, seed: 3), shape: [m])
        consts["beta"] = try Tensor(floats: testRandoms(m, seed: 4), shape: [m])
        consts["mean"] = try Tensor(floats: testRandoms(m, seed: 5), shape: [m])
        consts["var"] = try Tensor(floats: testRandoms(m, seed: 6).map { abs($0) + 0.2 }, shape: [m])
        let nodes = [
            Node(name: "ct", op: "ConvTranspose", inputs: ["x", "W"], outputs: ["t"],
                 attrs: ["group": .int(group), "kernel_shape": .ints([k, k]), "strides": .ints([stride, stride]), "pads": .ints([pads, pads, pads, pads])]),
            Node(name: "add", op: "Add", inputs: ["t", "addB"], outputs: ["u"], attrs: [:]),
            Node(name: "bn", op: "BatchNormalization", inputs: ["u", "scale", "beta", "mean", "var"], outputs: ["y"], attrs: ["epsilon": .float(1e-5)]),
        ]
        return GraphIR(inputs: [ValueInfo(name: "x", dtype: .float32, dims: [.fixed(1), .fixed(c), .fixed(h), .fixed(w)])],
                       outputs: [ValueInfo(name: "y", dtype: .float32, dims: [])], nodes: nodes, constants: consts, opset: 13)
    }

    /// Runs the nodes in order, reading constants from the graph.
    func execute(_ g: GraphIR, _ x: Tensor, threads: Int) throws -> Tensor {
        var values = g.constants
        values["x"] = x
        let ctx = ExecContext(pool: BufferPool(), threads: threads)
        for n in g.nodes {
            let outs = try OpRegistry.make(n, opset: g.opset).run(n.inputs.map { $0.isEmpty ? nil : values[$0] }, ctx)
            for (name, t) in zip(n.outputs, outs) { values[name] = t }
        }
        return try XCTUnwrap(values["y"])
    }

    func testFoldsBiasAddAndBatchNorm() throws {
        // 2×2 stride 2 (the DBNet head, tiled path) and 3×3 stride 2 with pads (overlapping
        // taps, scatter path), with one and two groups.
        for (c, m, group, k, stride, pads) in [(8, 6, 1, 2, 2, 0), (4, 6, 2, 2, 2, 0), (6, 4, 2, 3, 2, 1)] {
            let g = try graph(c: c, m: m, group: group, k: k, stride: stride, pads: pads, h: 13, w: 21)
            let fused = Fusions.apply(g)
            XCTAssertEqual(fused.nodes.map(\.op), ["ConvTranspose"], "c \(c) m \(m) group \(group) k \(k)")
            let x = try Tensor(floats: testRandoms(c * 13 * 21, seed: 9), shape: [1, c, 13, 21])
            for threads in [1, 2] {
                let want = try execute(g, x, threads: threads), got = try execute(fused, x, threads: threads)
                XCTAssertEqual(got.shape, want.shape)
                let d = zip(got.floatArray(), want.floatArray()).map { abs($0 - $1) }.max() ?? .infinity
                XCTAssertLessThanOrEqual(d, Self.maxDiff, "c \(c) m \(m) group \(group) k \(k) threads \(threads)")
            }
        }
    }

    func testLeavesSharedOutputAlone() throws {
        // The ConvTranspose output is also a graph output: folding would change it.
        var g = try graph(c: 4, m: 4, group: 1, k: 2, stride: 2, pads: 0, h: 5, w: 5)
        g.outputs.append(ValueInfo(name: "t", dtype: .float32, dims: []))
        XCTAssertEqual(Fusions.apply(g).nodes.map(\.op), ["ConvTranspose", "Add", "BatchNormalization"])
    }
}
