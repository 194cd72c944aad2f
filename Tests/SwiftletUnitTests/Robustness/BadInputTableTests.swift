import Foundation
import XCTest
import SwiftletTestSupport
import SwiftletTokenizers
@testable import Swiftlet

/// The bad-input table (issue 16 item 5): malformed models, tokenizer files, strings, images,
/// .npy files and API arguments, each with the error a user must see. Every row must throw
/// (never trap, never succeed) and its message must name what is wrong. Bad C ABI calls (NULLs,
/// lengths, closed and wrong-kind handles: each EXPECT with its status and message) are in
/// clients/c/test_swiftlet.c and test_ocr.c, run under valgrind by tools/test-clients.sh; bad
/// HTTP requests in Tests/ServerTests/test_errors.py; the text-length limit with a real model
/// in Tests/SwiftletParityTests/BadInputTests.swift.
final class BadInputTableTests: XCTestCase {
    struct Row {
        let what: String
        let expect: String
        let run: () throws -> Void
    }

    static func addGraph() -> SWLBuilder { BadInputTests.addGraph() }

    static func model(_ change: @escaping (inout SWLBuilder) -> Void) -> () throws -> Void {
        {
            var b = addGraph()
            change(&b)
            _ = try Session(path: try b.write())
        }
    }

    /// Loads the changed graph and runs it on x = [[1, 2, 3]]: for what only shows at run time.
    static func modelRun(_ change: @escaping (inout SWLBuilder) -> Void) -> () throws -> Void {
        {
            var b = addGraph()
            change(&b)
            _ = try Session(path: try b.write()).run(["x": try Tensor(floats: [1, 2, 3], shape: [1, 3])])
        }
    }

    static func pipeline(_ settings: [String: Any]) -> () throws -> Void {
        {
            var b = addGraph()
            b.pipeline = settings
            _ = try PipelineConfig(model: ModelFile(path: try b.write()))
        }
    }

    static func rawModel(_ bytes: [UInt8]) -> () throws -> Void {
        {
            let p = NSTemporaryDirectory() + "bad-\(UUID().uuidString).swl"
            try Data(bytes).write(to: URL(fileURLWithPath: p))
            defer { try? FileManager.default.removeItem(atPath: p) }
            _ = try Session(path: p)
        }
    }

    static func run(_ inputs: @escaping () throws -> [String: Tensor]) -> () throws -> Void {
        { _ = try Session(path: try addGraph().write()).run(try inputs()) }
    }

    static func tokenizer(_ json: String) -> () throws -> Void {
        { _ = try Tokenizer(json: Data(json.utf8)) }
    }

    static func image(_ bytes: [UInt8], maxPixels: Int = ImageDecodeOptions.defaultMaxPixels) -> () throws -> Void {
        { _ = try RGBImage(encoded: bytes, name: "img", options: ImageDecodeOptions(maxPixels: maxPixels)) }
    }

    static func npy(_ bytes: [UInt8]) -> () throws -> Void {
        { _ = try NPY.decode(Data(bytes)) }
    }

    /// A .npy file with the given header dictionary and data bytes.
    static func npyFile(_ header: String, data: [UInt8] = []) -> [UInt8] {
        var h = Array(header.utf8)
        let total = 10 + h.count + 1
        h += [UInt8](repeating: UInt8(ascii: " "), count: (64 - total % 64) % 64) + [UInt8(ascii: "\n")]
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(h.count & 0xFF), UInt8(h.count >> 8)] + h + data
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A PNG whose IHDR declares width × height (valid CRC), followed by `rest`.
    static func pngHeader(width: UInt32, height: UInt32, bitDepth: UInt8 = 8, colorType: UInt8 = 2, rest: [UInt8] = []) -> [UInt8] {
        pngSignature + pngChunk("IHDR", be(width) + be(height) + [bitDepth, colorType, 0, 0, 0]) + rest
    }

    static func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    /// One PNG chunk: length, type, data, CRC.
    static func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be(UInt32(data.count)) + body + be(crc32(body))
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c >> 1) ^ (c & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~c
    }

    static func validPNG() throws -> [UInt8] {
        try [UInt8](Data(contentsOf: TestPaths.goldenFile("ocr/synthetic/025.png")))
    }

    static let wordPieceJSON = """
    {"model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
     "max_input_chars_per_word": 100, "vocab": {"[UNK]": 0, "hello": 1}}}
    """

    static var rows: [Row] {
        var r: [Row] = []
        // Model files: the preamble and header.
        r.append(Row(what: "empty file", expect: "is empty", run: rawModel([])))
        r.append(Row(what: "5-byte file", expect: "too short for a .swl header", run: rawModel(Array("SWLT\u{1}".utf8))))
        r.append(Row(what: "ONNX file given as .swl", expect: "not a Swiftlet model", run: rawModel([0x08, 0x07, 0x12, 0x04] + [UInt8](repeating: 0, count: 60))))
        r.append(Row(what: "future format version", expect: "format version 7", run: model { $0.version = 7 }))
        r.append(Row(what: "header length past the end", expect: "is truncated", run: {
            var bytes = try addGraph().bytes()
            bytes[8] = 0xFF; bytes[9] = 0xFF; bytes[10] = 0xFF
            try rawModel(bytes)()
        }))
        r.append(Row(what: "header not JSON", expect: "not a JSON object", run: {
            var bytes = try addGraph().bytes()
            bytes[16] = UInt8(ascii: "#")
            try rawModel(bytes)()
        }))
        r.append(Row(what: "model cut in the data section", expect: "truncated", run: {
            let bytes = try addGraph().bytes()
            try rawModel(Array(bytes.prefix(bytes.count - 4)))()
        }))
        // The tensor table.
        r.append(Row(what: "tensor of unknown dtype", expect: "unknown dtype", run: model { $0.tensors = [("b", "complex64", [3], [UInt8](repeating: 0, count: 24))] }))
        r.append(Row(what: "tensor shorter than its shape", expect: "needs 12", run: model { $0.tensors = [("b", "float32", [3], [UInt8](repeating: 0, count: 8))] }))
        r.append(Row(what: "tensor past the end of the file", expect: "tensor 'b'", run: model { $0.tensors = [("b", "float32", [3000], [UInt8](repeating: 0, count: 12))] }))
        r.append(Row(what: "tensor with a negative dim", expect: "tensor 'b'", run: model { $0.tensors = [("b", "float32", [-3], [UInt8](repeating: 0, count: 12))] }))
        r.append(Row(what: "tensor whose dims overflow", expect: "tensor 'b'", run: model { $0.tensors = [("b", "float32", [Int.max / 2, 4], [UInt8](repeating: 0, count: 12))] }))
        // The graph.
        r.append(Row(what: "unsupported operator", expect: "unsupported operator 'FancyOp' (node 'n')", run: model { $0.nodes = [["name": "n", "op": "FancyOp", "inputs": ["x"], "outputs": ["y"]]] }))
        r.append(Row(what: "node reading a name nothing produces", expect: "reads 'nothing'", run: model { $0.nodes = [["name": "add", "op": "Add", "inputs": ["x", "nothing"], "outputs": ["y"]]] }))
        r.append(Row(what: "graph output never produced", expect: "never produced", run: model { $0.nodes = [["name": "add", "op": "Add", "inputs": ["x", "b"], "outputs": ["z"]]] }))
        r.append(Row(what: "graph without nodes producing its output", expect: "never produced", run: model { $0.nodes = [] }))
        r.append(Row(what: "Add with one input", expect: "Add", run: modelRun { $0.nodes = [["name": "add", "op": "Add", "inputs": ["x"], "outputs": ["y"]]] }))
        r.append(Row(what: "Softmax axis out of range", expect: "axis 9 out of range", run: modelRun {
            $0.nodes = [["name": "sm", "op": "Softmax", "inputs": ["x"], "outputs": ["y"], "attrs": ["axis": ["i": 9]]]]
        }))
        r.append(Row(what: "input of an unknown dtype", expect: "dtype", run: model { $0.inputs = [["name": "x", "dtype": "float128", "shape": ["batch", 3]]] }))
        r.append(Row(what: "pipeline of an unknown kind", expect: "unknown pipeline kind 'teleporter'", run: pipeline(["kind": "teleporter"])))
        r.append(Row(what: "pipeline of an unknown pooling", expect: "unknown pooling 'median'", run: pipeline(["kind": "embedder", "pooling": "median"])))
        r.append(Row(what: "pipeline max_length below 2", expect: "max_length 1 is too small", run: pipeline(["kind": "embedder", "max_length": 1])))
        // Session inputs.
        r.append(Row(what: "unknown input name", expect: "unknown input 'z'", run: run { ["z": try Tensor(floats: [1, 2, 3], shape: [1, 3])] }))
        r.append(Row(what: "missing input", expect: "missing input 'x'", run: run { [:] }))
        r.append(Row(what: "input of the wrong dtype", expect: "must be float32", run: run { ["x": try Tensor(int64s: [1, 2, 3], shape: [1, 3])] }))
        r.append(Row(what: "input of the wrong rank", expect: "rank 2", run: run { ["x": try Tensor(floats: [1, 2, 3], shape: [3])] }))
        r.append(Row(what: "input of the wrong fixed dim", expect: "dim 1 must be 3", run: run { ["x": try Tensor(floats: [1, 2, 3, 4], shape: [1, 4])] }))
        r.append(Row(what: "tensor data not filling its shape", expect: "do not fill shape", run: { _ = try Tensor(floats: [1, 2], shape: [3]) }))
        r.append(Row(what: "Tensor value with a negative dim", expect: "shape", run: { _ = try Tensor(floats: [], shape: [-1]) }))
        // Pipelines on the wrong model or options.
        r.append(Row(what: "Embedder on a graph-only model", expect: "not an embedder", run: { _ = try Embedder(path: try addGraph().write()) }))
        r.append(Row(what: "Embedder on a missing file", expect: "cannot open", run: { _ = try Embedder(path: "/nonexistent/model.swl") }))
        r.append(Row(what: "model path that is a directory", expect: "not a regular file", run: { _ = try Session(path: NSTemporaryDirectory()) }))
        r.append(Row(what: "OCR with a non-positive side limit", expect: "limitSideLen must be positive", run: {
            var o = OCROptions()
            o.limitSideLen = 0
            try o.validate()
        }))
        // tokenizer.json.
        r.append(Row(what: "tokenizer.json not JSON", expect: "JSON", run: tokenizer("{\"model\": ")))
        r.append(Row(what: "tokenizer.json top level an array", expect: "top level is not an object", run: tokenizer("[1, 2]")))
        r.append(Row(what: "tokenizer.json without a model", expect: "model", run: tokenizer("{}")))
        r.append(Row(what: "tokenizer model of an unknown type", expect: "Teleporter", run: tokenizer("{\"model\": {\"type\": \"Teleporter\"}}")))
        r.append(Row(what: "WordPiece vocab not an object", expect: "vocab", run: tokenizer("{\"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\", \"vocab\": [1]}}")))
        r.append(Row(what: "WordPiece unk token not in the vocab", expect: "[UNK]", run: tokenizer(
            "{\"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\", \"continuing_subword_prefix\": \"##\", \"max_input_chars_per_word\": 100, \"vocab\": {\"a\": 0}}}")))
        r.append(Row(what: "BPE merges naming unknown tokens", expect: "merge", run: tokenizer(
            "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1}, \"merges\": [\"a c\"]}}")))
        r.append(Row(what: "Unigram vocab entry not a pair", expect: "vocab", run: tokenizer(
            "{\"model\": {\"type\": \"Unigram\", \"unk_id\": 0, \"vocab\": [[\"a\"]]}}")))
        r.append(Row(what: "Unigram unk_id out of range", expect: "unk_id", run: tokenizer(
            "{\"model\": {\"type\": \"Unigram\", \"unk_id\": 5, \"vocab\": [[\"a\", -1.0]]}}")))
        r.append(Row(what: "normalizer of an unknown type", expect: "Teleporter", run: tokenizer(
            "{\"normalizer\": {\"type\": \"Teleporter\"}, " + wordPieceJSON.dropFirst())))
        r.append(Row(what: "pre-tokenizer of an unknown type", expect: "Teleporter", run: tokenizer(
            "{\"pre_tokenizer\": {\"type\": \"Teleporter\"}, " + wordPieceJSON.dropFirst())))
        r.append(Row(what: "Split pattern that is not a valid regex", expect: "pattern", run: tokenizer(
            "{\"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": {\"Regex\": \"(unclosed\"}, \"behavior\": \"Isolated\", \"invert\": false}, "
                + wordPieceJSON.dropFirst())))
        r.append(Row(what: "Precompiled charsmap not base64", expect: "precompiled", run: tokenizer(
            "{\"normalizer\": {\"type\": \"Precompiled\", \"precompiled_charsmap\": \"!!!not base64!!!\"}, " + wordPieceJSON.dropFirst())))
        r.append(Row(what: "added token with a non-integer id", expect: "id", run: tokenizer(
            "{\"added_tokens\": [{\"id\": \"one\", \"content\": \"[X]\"}], " + wordPieceJSON.dropFirst())))
        // Found by the tokenizer-json campaign (Fuzz/Regressions/tokenizer-json/added-token-id-beyond-int32):
        // ids beyond Int32 trapped converting.
        r.append(Row(what: "added token id beyond 32 bits", expect: "4294967296 does not fit a 32-bit id", run: tokenizer(
            "{\"added_tokens\": [{\"id\": 4294967296, \"content\": \"[X]\"}], " + wordPieceJSON.dropFirst())))
        r.append(Row(what: "padding pad_id beyond 32 bits", expect: "pad_id", run: tokenizer(
            "{\"padding\": {\"strategy\": \"BatchLongest\", \"direction\": \"Right\", \"pad_id\": -2147483649, \"pad_type_id\": 0, \"pad_token\": \"[PAD]\"}, "
                + wordPieceJSON.dropFirst())))
        r.append(Row(what: "padding to a fixed length of a trillion tokens", expect: "Fixed", run: tokenizer(
            "{\"padding\": {\"strategy\": {\"Fixed\": 1000000000000}, \"direction\": \"Right\", \"pad_id\": 0, \"pad_type_id\": 0, \"pad_token\": \"[PAD]\"}, "
                + wordPieceJSON.dropFirst())))
        r.append(Row(what: "tokenizer.json nested 100,000 arrays deep", expect: "nested deeper than 128", run: tokenizer(
            String(repeating: "[", count: 100_000))))
        r.append(Row(what: "tokenizer file missing", expect: "/nonexistent/tokenizer.json", run: {
            _ = try Tokenizer(contentsOf: URL(fileURLWithPath: "/nonexistent/tokenizer.json"))
        }))
        // Images.
        r.append(Row(what: "empty image", expect: "img", run: image([])))
        r.append(Row(what: "text given as an image", expect: "img", run: image(Array("hello, world".utf8))))
        r.append(Row(what: "PNG signature only", expect: "img", run: image(pngSignature)))
        r.append(Row(what: "PNG header without pixel data", expect: "img", run: image(pngHeader(width: 4, height: 4))))
        r.append(Row(what: "PNG of zero width", expect: "img", run: image(pngHeader(width: 0, height: 4))))
        r.append(Row(what: "PNG over the pixel limit", expect: "over the limit", run: image(pngHeader(width: 100_000, height: 100_000,
                                                                                                   rest: pngChunk("IDAT", [0x78, 0x9C, 0, 0]) + pngChunk("IEND", [])))))
        r.append(Row(what: "PNG over a caller's pixel limit", expect: "over the limit of 100 pixels", run: {
            try image(try validPNG(), maxPixels: 100)()
        }))
        r.append(Row(what: "PNG with a bad IHDR CRC", expect: "img", run: {
            var b = pngHeader(width: 4, height: 4)
            b[29] ^= 0xFF
            try image(b)()
        }))
        r.append(Row(what: "PNG with an invalid bit depth", expect: "img", run: image(pngHeader(width: 4, height: 4, bitDepth: 7))))
        r.append(Row(what: "PNG cut in its pixel data", expect: "img", run: {
            let b = try validPNG()
            try image(Array(b.prefix(b.count / 2)))()
        }))
        r.append(Row(what: "JPEG start marker only", expect: "img", run: image([0xFF, 0xD8, 0xFF])))
        r.append(Row(what: "JPEG with a garbage segment", expect: "img", run: image([0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x02] + [UInt8](repeating: 0xAB, count: 64))))
        r.append(Row(what: "image file missing", expect: "/nonexistent/page.png", run: { _ = try RGBImage(contentsOf: "/nonexistent/page.png") }))
        // .npy.
        r.append(Row(what: ".npy with a wrong magic", expect: "is not a .npy file", run: npy(Array("not numpy at all".utf8))))
        r.append(Row(what: ".npy header cut short", expect: "truncated .npy header", run: npy([0x93] + Array("NUMPY".utf8) + [1, 0, 200, 0])))
        r.append(Row(what: ".npy of complex numbers", expect: "unsupported dtype", run: npy(npyFile("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", data: [UInt8](repeating: 0, count: 8)))))
        r.append(Row(what: ".npy in Fortran order", expect: "Fortran-order", run: npy(npyFile("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", data: [0, 0, 0, 0]))))
        r.append(Row(what: ".npy without a shape", expect: "has no shape", run: npy(npyFile("{'descr': '<f4', 'fortran_order': False, }"))))
        r.append(Row(what: ".npy with a negative dim", expect: "bad shape entry", run: npy(npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }"))))
        r.append(Row(what: ".npy with too few data bytes", expect: "needs 16", run: npy(npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", data: [0, 0, 0, 0]))))
        return r
    }

    func testEveryRowFailsWithItsError() {
        let rows = Self.rows
        XCTAssertGreaterThanOrEqual(rows.count, 50, "the table issue 16 asks for")
        XCTAssertEqual(Set(rows.map(\.what)).count, rows.count, "each row a distinct case")
        for row in rows {
            do {
                try row.run()
                XCTFail("\(row.what): succeeded, expected an error mentioning '\(row.expect)'")
            } catch {
                let message = "\(error)"
                XCTAssertTrue(message.contains(row.expect), "\(row.what): error '\(message)' does not mention '\(row.expect)'")
            }
        }
        print("bad-input table: \(rows.count) rows, each a clear error")
    }
}
