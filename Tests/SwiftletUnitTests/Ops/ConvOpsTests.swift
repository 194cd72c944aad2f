import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Single-op graphs for the attribute corners of Conv, ConvTranspose, pooling, Resize,
/// Upsample and Pad (tools/golden.py ocr-op-cases), built in Swift from golden/ocr-ops/cases.json,
/// against onnxruntime outputs in golden/ocr-ops. Tolerance: max |diff| ≤ 1e-4 (float
/// reordering only); indices exact.
final class ConvOpsTests: XCTestCase {
    static let maxDiff: Float = 1e-4

    /// One case of golden/ocr-ops/cases.json: the node, its initializers and its files.
    struct Case {
        let name: String
        let inputs: [String]
        let outputs: [String]
        let spec: [String: Any]
    }

    func cases() throws -> [Case] {
        let data = try Data(contentsOf: try TestPaths.goldenFile("ocr-ops/cases.json"))
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try XCTUnwrap(root["cases"] as? [[String: Any]]).map {
            Case(name: $0["case"] as! String, inputs: $0["inputs"] as! [String], outputs: $0["outputs"] as! [String], spec: $0)
        }
    }

    /// The one-node graph tools/golden.py ocr-op-cases gives onnxruntime, with the shapes of
    /// its golden inputs and outputs declared as the converter would declare them.
    func graph(_ c: Case, feeds: [String: Tensor], outputs: [String: Tensor]) throws -> SWLBuilder {
        var b = SWLBuilder()
        b.opset = c.spec["opset"] as! Int
        b.inputs = c.inputs.map { ["name": $0, "dtype": "float32", "shape": feeds[$0]!.shape] }
        b.outputs = c.outputs.map { ["name": $0, "dtype": outputs[$0]!.dtype.rawValue, "shape": outputs[$0]!.shape] }
        for k in c.spec["consts"] as! [[String: Any]] {
            let name = k["name"] as! String, shape = k["shape"] as! [Int], values = k["values"] as! [NSNumber]
            switch k["dtype"] as! String {
            case "float32": b.floatTensor(name, values.map(\.floatValue), shape)
            case "int64": b.tensors.append((name, "int64", shape, values.map(\.int64Value).withUnsafeBytes { Array($0) }))
            case let t: throw SwiftletError.invalidInput("\(c.name): constant \(name) of dtype \(t)")
            }
        }
        b.nodes = [["name": c.name, "op": c.spec["op"] as! String, "inputs": c.spec["node_inputs"] as! [String],
                    "outputs": c.outputs, "attrs": c.spec["attrs"] as! [String: Any]]]
        return b
    }

    func check(_ c: Case, threads: Int) throws -> Bool {
        var feeds: [String: Tensor] = [:], wants: [String: Tensor] = [:]
        for n in c.inputs { feeds[n] = try NPY.read(TestPaths.goldenFile("ocr-ops/\(c.name)/\(n).npy").path) }
        for n in c.outputs { wants[n] = try NPY.read(TestPaths.goldenFile("ocr-ops/\(c.name)/out_\(n).npy").path) }
        let s = try GraphFile.session(try graph(c, feeds: feeds, outputs: wants), options: SessionOptions(threads: threads))
        let got = try s.run(feeds)
        var ok = true
        for n in c.outputs {
            let want = try XCTUnwrap(wants[n])
            let y = try XCTUnwrap(got[n], "\(c.name): no output \(n)")
            guard y.shape == want.shape else {
                XCTFail("\(c.name) \(n): shape \(y.shape), onnxruntime \(want.shape)")
                ok = false
                continue
            }
            if want.dtype == .int64 {
                XCTAssertEqual(y.int64Array(), want.int64Array(), "\(c.name) \(n)")
                ok = ok && y.int64Array() == want.int64Array()
            } else {
                let d = maxAbsDiff(y.floatArray(), want.floatArray())
                XCTAssertLessThanOrEqual(d, Self.maxDiff, "\(c.name) \(n) (threads \(threads))")
                ok = ok && d <= Self.maxDiff
            }
        }
        return ok
    }

    func testEveryCaseMatchesOnnxRuntime() throws {
        let all = try cases()
        XCTAssertGreaterThan(all.count, 40)
        var failed: [String] = []
        for c in all {
            for threads in [1, 2] {
                do {
                    if try !check(c, threads: threads) { failed.append("\(c.name)@\(threads)") }
                } catch {
                    XCTFail("\(c.name): \(error)")
                    failed.append(c.name)
                }
            }
        }
        print("ocr op cases: \(all.count) cases, failed: \(failed)")
    }

    // Bad shapes reach the operators directly (graph inputs with fixed dims would stop them earlier).
    func runOp(_ op: String, _ attrs: [String: Attribute], _ inputs: [Tensor?]) throws -> [Tensor] {
        let node = Node(name: "n", op: op, inputs: inputs.map { _ in "x" }, outputs: ["y"], attrs: attrs)
        return try OpRegistry.make(node, opset: 13).run(inputs, ExecContext(pool: BufferPool(), threads: 1))
    }

    func testBadConvInputsThrow() throws {
        // 7 channels do not split into 2 groups of the weight's 4.
        let w = Tensor(zeros: .float32, shape: [6, 4, 3, 3])
        XCTAssertThrowsError(try runOp("Conv", ["group": .int(2)], [Tensor(zeros: .float32, shape: [1, 7, 10, 10]), w])) { e in
            XCTAssertTrue("\(e)".contains("group"), "\(e)")
        }
        XCTAssertThrowsError(try runOp("Conv", [:], [Tensor(zeros: .float32, shape: [1, 4, 10, 10]), w, Tensor(zeros: .float32, shape: [5])])) { e in
            XCTAssertTrue("\(e)".contains("bias"), "\(e)")
        }
        XCTAssertThrowsError(try runOp("Conv", [:], [Tensor(zeros: .float32, shape: [1, 4, 2, 3, 3]), Tensor(zeros: .float32, shape: [6, 4, 1, 1, 1])]))
        XCTAssertThrowsError(try runOp("Conv", ["strides": .ints([0, 1])], [])) { e in
            XCTAssertTrue("\(e)".contains("strides"), "\(e)")
        }
    }

    func testTooSmallInputForKernelThrows() throws {
        let w = Tensor(zeros: .float32, shape: [5, 3, 3, 2])
        XCTAssertThrowsError(try runOp("Conv", [:], [Tensor(zeros: .float32, shape: [1, 3, 2, 1]), w])) { e in
            XCTAssertTrue("\(e)".contains("does not fit"), "\(e)")
        }
        XCTAssertThrowsError(try runOp("MaxPool", ["kernel_shape": .ints([5, 5])], [Tensor(zeros: .float32, shape: [1, 1, 3, 3])]))
        XCTAssertThrowsError(try runOp("MaxPool", [:], [Tensor(zeros: .float32, shape: [1, 1, 3, 3])])) { e in
            XCTAssertTrue("\(e)".contains("kernel_shape"), "\(e)")
        }
    }

    func testBadResizeAndPadArgumentsThrow() throws {
        let x = Tensor(zeros: .float32, shape: [1, 1, 4, 4])
        XCTAssertThrowsError(try runOp("Resize", ["mode": .string("cubic")], [x]))
        XCTAssertThrowsError(try runOp("Resize", [:], [x, nil, try Tensor(floats: [1, 2], shape: [2])])) { e in
            XCTAssertTrue("\(e)".contains("scales"), "\(e)")
        }
        XCTAssertThrowsError(try runOp("Resize", [:], [x])) { e in
            XCTAssertTrue("\(e)".contains("scales or sizes"), "\(e)")
        }
        XCTAssertThrowsError(try runOp("Pad", [:], [x, try Tensor(int64s: [0, 0, -3, 0, 0, 0, -3, 0], shape: [8])])) { e in
            XCTAssertTrue("\(e)".contains("Pad"), "\(e)")
        }
    }
}
