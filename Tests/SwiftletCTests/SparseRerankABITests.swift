import Foundation
import XCTest
import CSwiftlet
import Swiftlet
import SwiftletTestSupport

/// The sparse-embedder and reranker C ABI (1.2) against the Swift API in one process, and
/// their argument checks: wrong handle kinds, NULL outputs, short buffers, bad flags.
final class SparseRerankABITests: XCTestCase {
    let ok = swiftlet_status(SWIFTLET_OK)

    func withCTexts<R>(_ texts: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) throws -> R) rethrows -> R {
        let copies = texts.map { t -> UnsafeMutablePointer<CChar> in
            let b = Array(t.utf8CString)
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: b.count)
            p.initialize(from: b, count: b.count)
            return p
        }
        defer { copies.forEach { $0.deallocate() } }
        let ptrs = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: max(1, texts.count))
        defer { ptrs.deallocate() }
        for (i, p) in copies.enumerated() { ptrs[i] = UnsafePointer(p) }
        return try texts.map { $0.utf8.count }.withUnsafeBufferPointer { try body(ptrs, $0.baseAddress!) }
    }

    func testSparseEmbedThroughTheABIEqualsTheSwiftAPI() throws {
        let path = try TestPaths.model("splade-tiny")
        let texts = try readJSONL(TestPaths.goldenFile("corpus/en.jsonl")).prefix(40).map { $0["text"] as! String }
        let reference = try SparseEmbedder(path: path, options: .init(threads: 2)).embed(texts)
        var h: OpaquePointer?
        var options = swiftlet_embedder_options(threads: 2, batch_size: 0)
        XCTAssertEqual(swiftlet_sparse_embedder_open(path, &options, &h), ok, String(cString: swiftlet_last_error()))
        defer { _ = swiftlet_sparse_embedder_close(h) }
        var dim = 0
        XCTAssertEqual(swiftlet_sparse_embedder_dimension(h, &dim), ok)
        XCTAssertEqual(dim, 30522)
        var result: OpaquePointer?
        XCTAssertEqual(withCTexts(texts) { swiftlet_sparse_embedder_embed(h, $0, $1, texts.count, 0, &result) }, ok,
                       String(cString: swiftlet_last_error()))
        defer { _ = swiftlet_sparse_result_free(result) }
        var count = 0
        XCTAssertEqual(swiftlet_sparse_result_count(result, &count), ok)
        XCTAssertEqual(count, texts.count)
        for (i, v) in reference.enumerated() {
            var ids: UnsafePointer<UInt32>?, vals: UnsafePointer<Float>?, n = 0
            XCTAssertEqual(swiftlet_sparse_result_row(result, i, &ids, &vals, &n), ok)
            XCTAssertEqual(Array(UnsafeBufferPointer(start: ids, count: n)).map(Int.init), v.indices, "text #\(i)")
            XCTAssertEqual(Array(UnsafeBufferPointer(start: vals, count: n)).map(\.bitPattern), v.values.map(\.bitPattern), "text #\(i)")
        }
        var ids: UnsafePointer<UInt32>?, vals: UnsafePointer<Float>?, n = 0
        XCTAssertEqual(swiftlet_sparse_result_row(result, texts.count, &ids, &vals, &n), swiftlet_status(SWIFTLET_ERR_INVALID_ARGUMENT))
        XCTAssertEqual(swiftlet_sparse_result_row(result, 0, nil, &vals, &n), swiftlet_status(SWIFTLET_ERR_INVALID_ARGUMENT))
        // A sparse embedder handle is not a dense one, nor a result.
        XCTAssertEqual(swiftlet_embedder_dimension(h, &dim), swiftlet_status(SWIFTLET_ERR_INVALID_HANDLE))
        XCTAssertEqual(swiftlet_sparse_result_count(h, &count), swiftlet_status(SWIFTLET_ERR_INVALID_HANDLE))
    }

    func testSparseOpenRefusesADenseModel() throws {
        var h: OpaquePointer?
        XCTAssertEqual(swiftlet_sparse_embedder_open(try TestPaths.model("all-MiniLM-L6-v2"), nil, &h), swiftlet_status(SWIFTLET_ERR_INVALID_MODEL))
        XCTAssertTrue(String(cString: swiftlet_last_error()).contains("not a sparse-embedder"))
    }

    func testRerankerScoresThroughTheABIEqualTheSwiftAPI() throws {
        let path = try TestPaths.model("cross-encoder-random-minilm")
        let query = "cheap flights new york to london december"
        let docs = ["Flights from New York to London in December", "How to bake sourdough bread", "", "weather tomorrow berlin"]
        let reference = try Reranker(path: path, options: .init(threads: 1)).score(query: query, documents: docs)
        let logits = try Reranker(path: path, options: .init(threads: 1)).score(query: query, documents: docs, raw: true)
        var h: OpaquePointer?
        var options = swiftlet_embedder_options(threads: 1, batch_size: 0)
        XCTAssertEqual(swiftlet_reranker_open(path, &options, &h), ok, String(cString: swiftlet_last_error()))
        defer { _ = swiftlet_reranker_close(h) }
        var out = [Float](repeating: .nan, count: docs.count)
        let q = Array(query.utf8CString)
        for raw in [Int32(0), 1] {
            let s = withCTexts(docs) { d, l in
                out.withUnsafeMutableBufferPointer { swiftlet_reranker_score(h, q, query.utf8.count, d, l, docs.count, raw, $0.baseAddress, $0.count) }
            }
            XCTAssertEqual(s, ok, String(cString: swiftlet_last_error()))
            XCTAssertEqual(out.map(\.bitPattern), (raw == 0 ? reference : logits).map(\.bitPattern))
        }
        let short = withCTexts(docs) { d, l in
            out.withUnsafeMutableBufferPointer { swiftlet_reranker_score(h, q, query.utf8.count, d, l, docs.count, 0, $0.baseAddress, 2) }
        }
        XCTAssertEqual(short, swiftlet_status(SWIFTLET_ERR_BUFFER_TOO_SMALL))
        let badRaw = withCTexts(docs) { d, l in
            out.withUnsafeMutableBufferPointer { swiftlet_reranker_score(h, q, query.utf8.count, d, l, docs.count, 7, $0.baseAddress, $0.count) }
        }
        XCTAssertEqual(badRaw, swiftlet_status(SWIFTLET_ERR_INVALID_ARGUMENT))
        XCTAssertEqual(swiftlet_reranker_score(h, nil, 5, nil, nil, 0, 0, nil, 0), swiftlet_status(SWIFTLET_ERR_INVALID_ARGUMENT))
        var other: OpaquePointer?
        XCTAssertEqual(swiftlet_reranker_open(try TestPaths.model("splade-tiny"), nil, &other), swiftlet_status(SWIFTLET_ERR_INVALID_MODEL))
    }
}
