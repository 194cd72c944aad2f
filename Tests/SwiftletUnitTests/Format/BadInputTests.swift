import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Corrupt files and wrong inputs must produce a clear SwiftletError, never a crash.
final class BadInputTests: XCTestCase {
    /// y = x + b, the smallest valid graph (BadInputTableTests breaks it too).
    static func addGraph() -> SWLBuilder {
        var b = SWLBuilder()
        b.inputs = [["name": "x", "dtype": "float32", "shape": ["batch", 3]]]
        b.outputs = [["name": "y", "dtype": "float32", "shape": ["batch", 3]]]
        b.nodes = [["name": "add", "op": "Add", "inputs": ["x", "b"], "outputs": ["y"]]]
        b.floatTensor("b", [1, 2, 3], [3])
        return b
    }

    func testValidSmallGraphRuns() throws {
        let s = try Session(path: try Self.addGraph().write())
        let out = try XCTUnwrap(s.run(["x": try Tensor(floats: [1, 1, 1, 2, 2, 2], shape: [2, 3])])["y"])
        XCTAssertEqual(out.floatArray(), [2, 3, 4, 3, 4, 5])
    }

    func testWrongMagic() throws {
        var b = Self.addGraph()
        b.magic = Array("ONNX".utf8)
        let p = try b.write()
        expectError({ _ = try ModelFile(path: p) }, contains: "not a Swiftlet model")
    }

    func testWrongVersion() throws {
        var b = Self.addGraph()
        b.version = 99
        let p = try b.write()
        expectError({ _ = try ModelFile(path: p) }, contains: "format version 99")
    }

    func testTruncatedFiles() throws {
        let full = try Self.addGraph().bytes()
        // Every prefix must fail cleanly: inside the preamble, the header, or the data.
        for cut in [0, 3, 8, 15, 16, 40, full.count / 2, full.count - 1] {
            let p = NSTemporaryDirectory() + "trunc-\(cut)-\(UUID().uuidString).swl"
            try Data(full.prefix(cut)).write(to: URL(fileURLWithPath: p))
            XCTAssertThrowsError(try ModelFile(path: p), "prefix of \(cut) bytes loaded")
        }
    }

    func testTensorPastEndOfFile() throws {
        var b = Self.addGraph()
        b.tensors = [("b", "float32", [3000], [UInt8](repeating: 0, count: 12))]
        let p = try b.write()
        expectError({ _ = try ModelFile(path: p) }, contains: "tensor 'b'")
    }

    func testHeaderNotJSON() throws {
        var bytes = try Self.addGraph().bytes()
        bytes[16] = UInt8(ascii: "#")
        let p = NSTemporaryDirectory() + "badjson-\(UUID().uuidString).swl"
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        expectError({ _ = try ModelFile(path: p) }, contains: "not a JSON object")
    }

    func testMissingFileAndDirectory() {
        expectError({ _ = try ModelFile(path: "/nonexistent/model.swl") }, contains: "cannot open")
        expectError({ _ = try ModelFile(path: NSTemporaryDirectory()) }, contains: "not a regular file")
    }

    func testUnsupportedOpNamesOpAndNode() throws {
        var b = Self.addGraph()
        b.nodes = [["name": "the_node", "op": "FancyOp", "inputs": ["x"], "outputs": ["y"]]]
        let p = try b.write()
        expectError({ _ = try Session(path: p) }, contains: "unsupported operator 'FancyOp' (node 'the_node')")
    }

    func testDanglingNodeInput() throws {
        var b = Self.addGraph()
        b.nodes = [["name": "add", "op": "Add", "inputs": ["x", "nothing"], "outputs": ["y"]]]
        let p = try b.write()
        expectError({ _ = try ModelFile(path: p) }, contains: "reads 'nothing'")
    }

    func testWrongInputNameDtypeRankAndDims() throws {
        let s = try Session(path: try Self.addGraph().write())
        let good = try Tensor(floats: [1, 2, 3], shape: [1, 3])
        expectError({ _ = try s.run(["z": good]) }, contains: "unknown input 'z'")
        expectError({ _ = try s.run([:]) }, contains: "missing input 'x'")
        expectError({ _ = try s.run(["x": try Tensor(int64s: [1, 2, 3], shape: [1, 3])]) }, contains: "must be float32")
        expectError({ _ = try s.run(["x": try Tensor(floats: [1, 2, 3], shape: [3])]) }, contains: "rank 2")
        expectError({ _ = try s.run(["x": try Tensor(floats: [1, 2, 3, 4], shape: [1, 4])]) }, contains: "dim 1 must be 3")
        expectError({ _ = try Tensor(floats: [1, 2], shape: [3]) }, contains: "do not fill shape")
    }

    func testOutputDisagreeingWithDeclaredShapeIsReported() throws {
        var b = Self.addGraph()
        b.outputs = [["name": "y", "dtype": "float32", "shape": ["batch", 4]]]
        let s = try Session(path: try b.write())
        expectError({ _ = try s.run(["x": try Tensor(floats: [1, 2, 3], shape: [1, 3])]) }, contains: "dim 1 is 3, the model declares 4")
    }

    func testEmbedderRefusesGraphOnlyModel() throws {
        let p = try Self.addGraph().write()
        expectError({ _ = try Embedder(path: p) }, contains: "not an embedder")
    }

    func testNPYRoundTripAndErrors() throws {
        let t = try Tensor(floats: [1.5, -2, 3.25, 0], shape: [2, 2])
        let back = try NPY.decode(NPY.encode(t))
        XCTAssertEqual(back.shape, [2, 2])
        XCTAssertEqual(back.floatArray(), t.floatArray())
        XCTAssertThrowsError(try NPY.decode(Data("not numpy".utf8)))
        var enc = NPY.encode(t)
        enc.removeLast(3)
        XCTAssertThrowsError(try NPY.decode(enc))
    }
}
