import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// MatMul → Add(bias) → Gelu/Relu becomes one Swiftlet.MatMulBias with the activation in
/// the GEMM epilogue. The fused node must give the same bits as the three ops one after
/// another on packed weights (same tile, same activation code), and agree to 1e-6 through BLAS.
final class MatMulActivationFusionTests: XCTestCase {
    func graph(_ act: String, m: Int, k: Int, n: Int, extraReader: Bool = false) throws -> GraphIR {
        let consts: [String: Tensor] = [
            "W": try Tensor(floats: testRandoms(k * n, seed: 1), shape: [k, n]),
            "b": try Tensor(floats: testRandoms(n, seed: 2), shape: [n]),
        ]
        var nodes = [
            Node(name: "mm", op: "MatMul", inputs: ["x", "W"], outputs: ["t"], attrs: [:]),
            Node(name: "add", op: "Add", inputs: ["t", "b"], outputs: ["u"], attrs: [:]),
            Node(name: "act", op: act, inputs: ["u"], outputs: ["y"], attrs: [:]),
        ]
        var outputs = [ValueInfo(name: "y", dtype: .float32, dims: [])]
        if extraReader {
            nodes.append(Node(name: "neg", op: "Neg", inputs: ["u"], outputs: ["z"], attrs: [:]))
            outputs.append(ValueInfo(name: "z", dtype: .float32, dims: []))
        }
        return GraphIR(inputs: [ValueInfo(name: "x", dtype: .float32, dims: [.fixed(m), .fixed(k)])],
                       outputs: outputs, nodes: nodes, constants: consts, opset: 17)
    }

    /// Runs the nodes in order (constant-weight MatMuls packed, as `Session` does, or not).
    func run(_ g: GraphIR, prepack: Bool, threads: Int, m: Int, k: Int) throws -> [Float] {
        var values = g.constants
        values["x"] = try Tensor(floats: testRandoms(m * k, seed: 3), shape: [m, k])
        let ctx = ExecContext(pool: BufferPool(), threads: threads)
        for n in g.nodes {
            var op = try OpRegistry.make(n, opset: g.opset)
            if prepack, let p = try PackedMatMulOp.make(n, constants: g.constants, threads: threads) { op = p }
            let outs = try op.run(n.inputs.map { $0.isEmpty ? nil : values[$0] }, ctx)
            for (name, t) in zip(n.outputs, outs) { values[name] = t }
        }
        return try XCTUnwrap(values["y"]).floatArray()
    }

    func testActivationJoinsTheGemm() throws {
        for act in ["Gelu", "Relu"] {
            let (m, k, n) = (37, 50, 70)
            let g = try graph(act, m: m, k: k, n: n)
            let fused = Fusions.apply(g)
            XCTAssertEqual(fused.nodes.map(\.op), ["Swiftlet.MatMulBias"], act)
            XCTAssertEqual(fused.nodes.first?.fused, .matMulBias(act == "Gelu" ? .gelu : .relu), act)
            for prepack in [true, false] {
                for threads in [1, 2] {
                    let want = try run(g, prepack: prepack, threads: threads, m: m, k: k)
                    let got = try run(fused, prepack: prepack, threads: threads, m: m, k: k)
                    if prepack {
                        // Same tile, bias added to the same sums, same activation code: same bits.
                        XCTAssertEqual(got, want, "\(act) threads \(threads)")
                    } else {
                        // BLAS accumulating onto the bias may round differently from GEMM-then-Add.
                        XCTAssertLessThanOrEqual(maxAbsDiff(got, want), 1e-6, "\(act) threads \(threads)")
                    }
                }
            }
        }
    }

    func testLeavesSharedOutputAlone() throws {
        let fused = Fusions.apply(try graph("Gelu", m: 4, k: 8, n: 8, extraReader: true))
        XCTAssertEqual(fused.nodes.map(\.op), ["Swiftlet.MatMulBias", "Gelu", "Neg"])
    }
}
