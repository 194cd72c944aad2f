import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Ops the ONNX backend node tests (tools/onnx_conformance.py) found wrong or missing, each
/// checked against the spec here: expected values are the node tests' reference outputs or
/// the spec's formula evaluated in Double.
final class ConformanceFixesTests: XCTestCase {
    func run(_ n: Node, _ inputs: [Tensor?], opset: Int = 17) throws -> [Tensor] {
        try OpRegistry.make(n, opset: opset).run(inputs, ExecContext(pool: BufferPool(), threads: 1))
    }

    func node(_ op: String, _ inputs: [String], _ outputs: [String], _ attrs: [String: Attribute] = [:]) -> Node {
        Node(name: "n0", op: op, inputs: inputs, outputs: outputs, attrs: attrs)
    }

    func floats(_ v: [Float], _ shape: [Int]) -> Tensor { try! Tensor(floats: v, shape: shape) }

    /// An error's text names the node, the op and the attribute (an unsupported variant).
    func assertNames(_ body: () throws -> Void, _ parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { e in
            let text = String(describing: e)
            for p in parts { XCTAssertTrue(text.contains(p), "'\(text)' should name \(p)", file: file, line: line) }
        }
    }

    // test_resize_downsample_scales_linear_align_corners: 2×4 at scale 0.6 gives 1×2 and
    // the spec maps x by (4 − 1)/(2.4 − 1), the unrounded output length.
    // Found by the swl fuzz target (Fuzz/Regressions/swl/where-empty-inner-dim): a broadcast
    // whose last output dim is 0 divided by it. Empty outputs of every broadcasting op.
    func testBroadcastOpsWithAnEmptyDimension() throws {
        let cond = Tensor(zeros: .bool, shape: [2, 0])
        for (op, inputs) in [("Where", [cond, floats([1], [1]), floats([2], [1])]),
                             ("Add", [Tensor(zeros: .float32, shape: [2, 0]), floats([1], [1])]),
                             ("Mul", [floats([1, 2], [2, 1]), Tensor(zeros: .float32, shape: [0])]),
                             ("Pow", [Tensor(zeros: .float32, shape: [3, 0]), floats([2], [1])])] as [(String, [Tensor])] {
            let names = (0..<inputs.count).map { "x\($0)" }
            let out = try run(node(op, names, ["y"]), inputs)[0]
            XCTAssertEqual(out.count, 0, op)
            XCTAssertTrue(out.shape.contains(0), "\(op): \(out.shape)")
        }
    }

    func testResizeAlignCornersDividesByUnroundedLength() throws {
        let n = node("Resize", ["X", "", "scales"], ["Y"], ["mode": .string("linear"), "coordinate_transformation_mode": .string("align_corners")])
        let y = try run(n, [floats((1...8).map(Float.init), [1, 1, 2, 4]), nil, floats([1, 1, 0.6, 0.6], [4])])[0]
        XCTAssertEqual(y.shape, [1, 1, 1, 2])
        let v = y.floatArray()
        XCTAssertEqual(v[0], 1, accuracy: 1e-6)
        XCTAssertEqual(v[1], 3.142857, accuracy: 1e-5)
    }

    func testLayerNormalizationMeanAndInvStdDevOutputs() throws {
        let x: [Float] = [1, 2, 4, -3, 0.5, 7]
        let n = node("LayerNormalization", ["X", "S"], ["Y", "Mean", "InvStdDev"], ["axis": .int(1), "epsilon": .float(1e-3)])
        let outs = try run(n, [floats(x, [2, 3]), floats([1, 1, 1], [3])])
        XCTAssertEqual(outs.count, 3)
        XCTAssertEqual(outs[1].shape, [2, 1])
        XCTAssertEqual(outs[2].shape, [2, 1])
        for r in 0..<2 {
            let row = x[(r * 3)..<(r * 3 + 3)].map(Double.init)
            let mean = row.reduce(0, +) / 3
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3
            XCTAssertEqual(Double(outs[1].floatArray()[r]), mean, accuracy: 1e-6)
            XCTAssertEqual(Double(outs[2].floatArray()[r]), 1 / (variance + 1e-3).squareRoot(), accuracy: 1e-6)
        }
    }

    func testDropoutMaskAndTrainingModeRefused() throws {
        let n = node("Dropout", ["X", "ratio", "training_mode"], ["Y", "mask"])
        let x = floats([1, -2, 3], [3])
        let outs = try run(n, [x, nil, nil])
        XCTAssertEqual(outs[0].floatArray(), [1, -2, 3])
        XCTAssertEqual(outs[1].dtype, .bool)
        XCTAssertEqual((0..<3).map { outs[1].u8[$0] }, [1, 1, 1])
        let training = Tensor(zeros: .bool, shape: [])
        training.u8[0] = 1
        assertNames({ _ = try self.run(n, [x, nil, training]) }, ["training_mode"])
        // test_training_dropout_zero_ratio: training with ratio 0 keeps everything.
        let zero = try run(n, [x, floats([0], []), training])
        XCTAssertEqual(zero[0].floatArray(), [1, -2, 3])
        XCTAssertEqual((0..<3).map { zero[1].u8[$0] }, [1, 1, 1])
        assertNames({ _ = try self.run(self.node("Dropout", ["X"], ["Y"], ["is_test": .int(0)]), [x], opset: 6) }, ["n0", "Dropout", "is_test"])
    }

    func testBatchNormalizationTrainingModeRefusedByName() {
        let n = node("BatchNormalization", ["X", "s", "b", "m", "v"], ["Y", "running_mean", "running_var"], ["training_mode": .int(1)])
        assertNames({ _ = try OpRegistry.make(n, opset: 15) }, ["n0", "BatchNormalization", "training_mode"])
    }

    func testGeluTanhApproximation() throws {
        let x: [Float] = [-5, -1.5, -0.25, 0, 0.3, 1, 2.5, 6, -0.8]
        let y = try run(node("Gelu", ["X"], ["Y"], ["approximate": .string("tanh")]), [floats(x, [x.count])], opset: 20)[0].floatArray()
        for (a, b) in zip(x, y) {
            let d = Double(a)
            let want = 0.5 * d * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (d + 0.044715 * d * d * d)))
            XCTAssertEqual(Double(b), want, accuracy: 2e-6, "Gelu_tanh(\(a))")
        }
        assertNames({ _ = try OpRegistry.make(self.node("Gelu", ["X"], ["Y"], ["approximate": .string("fast")]), opset: 20) },
                    ["n0", "Gelu", "approximate"])
    }

    func testVariadicMaxMin() throws {
        let a = floats([1, 5, -2], [3]), b = floats([4], [1]), c = floats([0, 9, 3], [3])
        XCTAssertEqual(try run(node("Max", ["a", "b", "c"], ["y"]), [a, b, c])[0].floatArray(), [4, 9, 4])
        XCTAssertEqual(try run(node("Min", ["a", "b", "c"], ["y"]), [a, b, c])[0].floatArray(), [0, 4, -2])
        XCTAssertEqual(try run(node("Max", ["a"], ["y"]), [a])[0].floatArray(), [1, 5, -2])
    }

    /// `swiftlet ops` lists what the registry builds: every activation name must parse.
    func testRegisteredOpsIncludeActivations() {
        for op in Activation.onnxOpTypes {
            XCTAssertNotNil(Activation(onnx: op, float: { _ in nil }, string: { _ in nil }), op)
            XCTAssertTrue(RegisteredOps.onnxOpTypes.contains(op), op)
        }
        XCTAssertTrue(RegisteredOps.onnxOpTypes.contains("Conv"))
        XCTAssertFalse(RegisteredOps.onnxOpTypes.contains("Loop"))
    }

    // Expected values below: onnx.reference.ReferenceEvaluator on the same inputs.

    func testAveragePoolDilations() throws {
        let x = floats((1...16).map(Float.init), [1, 1, 4, 4])
        let ceil = node("AveragePool", ["X"], ["Y"], ["kernel_shape": .ints([2, 2]), "strides": .ints([1, 1]),
                                                      "dilations": .ints([2, 2]), "ceil_mode": .int(1)])
        XCTAssertEqual(try run(ceil, [x], opset: 19)[0].floatArray(), [6, 7, 10, 11])
        for (include, want) in [(1, [Float(1.5), 3.5, 5, 11]), (0, [6, 7, 10, 11])] {
            let n = node("AveragePool", ["X"], ["Y"], ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]), "dilations": .ints([2, 2]),
                                                       "pads": .ints([1, 1, 1, 1]), "count_include_pad": .int(include)])
            XCTAssertEqual(try run(n, [x], opset: 19)[0].floatArray(), want, "count_include_pad=\(include)")
        }
    }

    func testMaxPoolUInt8() throws {
        let x = try [UInt8]([1, 200, 3, 4, 5, 250, 7, 8, 9]).withUnsafeBytes { try Tensor(dtype: .uint8, shape: [1, 1, 3, 3], bytes: $0) }
        let y = try run(node("MaxPool", ["X"], ["Y"], ["kernel_shape": .ints([2, 2])]), [x], opset: 12)[0]
        XCTAssertEqual(y.dtype, .uint8)
        XCTAssertEqual(y.int64Array(), [200, 250, 8, 250])
    }

    /// Float → integer Cast of inf, NaN or out-of-range values saturates instead of trapping.
    func testCastOfNonFiniteFloatsDoesNotTrap() throws {
        let x = floats([.infinity, -.infinity, .nan, 3e20, -7.9], [5])
        XCTAssertEqual(try run(node("Cast", ["X"], ["Y"], ["to": .int(7)]), [x])[0].int64Array(), [0, 0, 0, Int64.max, -7])
        XCTAssertEqual(try run(node("Cast", ["X"], ["Y"], ["to": .int(2)]), [x])[0].count, 5)
    }

    func testClipOnIntegers() throws {
        let y = try run(node("Clip", ["X", "lo", "hi"], ["Y"]), [try Tensor(int64s: [-5, 0, 7, 100], shape: [4]),
                                                                  try Tensor(int64s: [-2], shape: []), try Tensor(int64s: [50], shape: [])], opset: 13)[0]
        XCTAssertEqual(y.dtype, .int64)
        XCTAssertEqual(y.int64Array(), [-2, 0, 7, 50])
    }

    func testPowWithMixedTypes() throws {
        let f = try run(node("Pow", ["X", "Y"], ["Z"]), [floats([1, 2, 3], [3]), try Tensor(int64s: [4, 5, 6], shape: [3])], opset: 15)[0]
        XCTAssertEqual(f.dtype, .float32)
        XCTAssertEqual(f.floatArray(), [1, 32, 729])
        let i = try run(node("Pow", ["X", "Y"], ["Z"]), [try Tensor(int64s: [1, 2, 3], shape: [3]), floats([4, 5, 6], [3])], opset: 15)[0]
        XCTAssertEqual(i.dtype, .int64)
        XCTAssertEqual(i.int64Array(), [1, 32, 729])
    }

    func testReduceMaxMinOnBool() throws {
        let b = Tensor(zeros: .bool, shape: [2, 2])
        b.u8[0] = 1  // [[true, false], [false, false]]
        let axes = try Tensor(int64s: [1], shape: [1])
        let mx = try run(node("ReduceMax", ["X", "axes"], ["Y"], ["keepdims": .int(0)]), [b, axes], opset: 20)[0]
        let mn = try run(node("ReduceMin", ["X", "axes"], ["Y"], ["keepdims": .int(0)]), [b, axes], opset: 20)[0]
        XCTAssertEqual(mx.dtype, .bool)
        XCTAssertEqual(mx.int64Array(), [1, 0])
        XCTAssertEqual(mn.int64Array(), [0, 0])
        // test_reduce_max_empty_set_bool: the max of nothing is false (the least bool).
        let empty = try run(node("ReduceMax", ["X", "axes"], ["Y"], ["keepdims": .int(1)]),
                            [Tensor(zeros: .bool, shape: [2, 0, 4]), axes], opset: 20)[0]
        XCTAssertEqual(empty.shape, [2, 1, 4])
        XCTAssertEqual(empty.int64Array(), [Int64](repeating: 0, count: 8))
    }

    // Resize cubic / antialias; expected values: onnx.reference.ReferenceEvaluator (opset 19)
    // on this 3×4 input.
    func resize(_ scale: Float, _ attrs: [String: Attribute]) throws -> [Float] {
        let x = floats([1, 3, 2, 8, 5, 7, 4, 6, 9, 0, 2, 1], [1, 1, 3, 4])
        return try run(node("Resize", ["X", "roi", "scales"], ["Y"], attrs), [x, nil, floats([1, 1, scale, scale], [4])], opset: 19)[0].floatArray()
    }

    func assertClose(_ got: [Float], _ want: [Float], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.count, want.count, file: file, line: line)
        for (g, w) in zip(got, want) { XCTAssertEqual(g, w, accuracy: 2e-5 * max(1, abs(w)), file: file, line: line) }
    }

    func testResizeCubic() throws {
        assertClose(try resize(1.5, ["mode": .string("cubic")]),
                    [0.47916713, 1.7302525, 2.5975966, 1.4287398, 4.9225283, 8.724592, 2.3618717, 4.3720703,
                     5.4907436, 3.222802, 5.0966797, 7.8403897, 5.8847322, 6.362198, 6.0054617, 4.14028,
                     4.267434, 5.2148943, 9.139584, 4.6677527, 0.6200242, 2.069315, 2.1192875, 1.6274158])
        assertClose(try resize(0.8, ["mode": .string("cubic"), "cubic_coeff_a": .float(-0.5), "exclude_outside": .int(1)]),
                    [1.4683336, 2.8551648, 5.987772, 6.6131616, 4.0468802, 3.7481365])
    }

    func testResizeLinearAntialias() throws {
        assertClose(try resize(0.6, ["mode": .string("linear"), "antialias": .int(1)]), [3.25, 4.138889])
    }
}
