import Foundation
import XCTest
import CSwiftlet
import Swiftlet
import SwiftletTestSupport
import SwiftletTokenizers

/// The C ABI against the Swift API, in one process: the same model, texts and options
/// must give the same bits through swiftlet_* as through Embedder / Tokenizer. (The
/// client tests under clients/ check the built libswiftlet.so against the golden files.)
final class ABIParityTests: XCTestCase {
    func model(_ name: String) throws -> String { try TestPaths.model(name) }

    static func corpus() throws -> [String] {
        try readJSONL(TestPaths.goldenFile("corpus/en.jsonl")).map { try XCTUnwrap($0["text"] as? String) }
    }

    /// Runs body with the texts as C pointers + byte lengths.
    func withCTexts<R>(_ texts: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) throws -> R) rethrows -> R {
        let buffers = texts.map { Array($0.utf8CString) }
        let ptrs = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: max(1, texts.count))
        defer { ptrs.deallocate() }
        let copies = buffers.map { b -> UnsafeMutablePointer<CChar> in
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: b.count)
            p.initialize(from: b, count: b.count)
            return p
        }
        defer { copies.forEach { $0.deallocate() } }
        for (i, p) in copies.enumerated() { ptrs[i] = UnsafePointer(p) }
        let lengths = texts.map { $0.utf8.count }
        return try lengths.withUnsafeBufferPointer { try body(ptrs, $0.baseAddress!) }
    }

    func testEmbedThroughTheABIEqualsTheSwiftAPIBitForBit() throws {
        let path = try model("all-MiniLM-L6-v2")
        let texts = try Self.corpus()
        let reference = try Embedder(path: path, options: .init(threads: 2, batchSize: 32)).embed(texts)

        var handle: OpaquePointer?
        var options = swiftlet_embedder_options(threads: 2, batch_size: 32)
        XCTAssertEqual(swiftlet_embedder_open(path, &options, &handle), swiftlet_status(SWIFTLET_OK), String(cString: swiftlet_last_error()))
        defer { _ = swiftlet_embedder_close(handle) }
        var dim = 0
        XCTAssertEqual(swiftlet_embedder_dimension(handle, &dim), swiftlet_status(SWIFTLET_OK))
        var out = [Float](repeating: .nan, count: texts.count * dim)
        let status = withCTexts(texts) { ptrs, lengths in
            out.withUnsafeMutableBufferPointer { swiftlet_embedder_embed(handle, ptrs, lengths, texts.count, swiftlet_prefix(SWIFTLET_PREFIX_NONE), $0.baseAddress, $0.count) }
        }
        XCTAssertEqual(status, swiftlet_status(SWIFTLET_OK), String(cString: swiftlet_last_error()))
        var differing = 0
        for (i, v) in reference.enumerated() where v.map(\.bitPattern) != out[i * dim..<(i + 1) * dim].map(\.bitPattern) {
            differing += 1
        }
        XCTAssertEqual(differing, 0, "\(differing) of \(texts.count) vectors differ from Embedder.embed")
    }

    func testTokenizerThroughTheABIEqualsTheSwiftAPI() throws {
        let path = try model("all-MiniLM-L6-v2")
        let texts = try Self.corpus()
        let embedder = try Embedder(path: path, options: .init(threads: 1))
        var handle: OpaquePointer?
        XCTAssertEqual(swiftlet_tokenizer_open(path, &handle), swiftlet_status(SWIFTLET_OK))
        defer { _ = swiftlet_tokenizer_close(handle) }
        var ids = [Int32](repeating: 0, count: 4096)
        for (i, text) in texts.enumerated() {
            let enc = embedder.tokenize(text)
            var count = 0
            let status = text.utf8CString.withUnsafeBufferPointer { t in
                ids.withUnsafeMutableBufferPointer { swiftlet_tokenizer_encode(handle, t.baseAddress, text.utf8.count, 0, 0, $0.baseAddress, nil, $0.count, &count) }
            }
            XCTAssertEqual(status, swiftlet_status(SWIFTLET_OK))
            XCTAssertEqual(Array(ids[..<count]), enc.ids, "text \(i)")
            var length = 0
            var text = [CChar](repeating: 0, count: 65536)
            XCTAssertEqual(swiftlet_tokenizer_decode(handle, enc.ids, enc.ids.count, 0, &text, text.count, &length), swiftlet_status(SWIFTLET_OK))
            XCTAssertEqual(String(cString: text), embedder.tokenizer.decode(enc.ids), "text \(i)")
        }
    }
}
