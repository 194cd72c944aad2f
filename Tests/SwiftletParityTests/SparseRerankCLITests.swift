import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// `swiftlet embed --sparse` and `swiftlet rerank` as users call them: JSON lines on stdout
/// equal to the Swift API's results, errors on stderr with a non-zero exit.
final class SparseRerankCLITests: XCTestCase {
    typealias Result = CLIRunner.Result

    func swiftlet(_ args: [String]) throws -> Result { try CLIRunner.run(args) }

    func lines(_ r: Result) throws -> [[String: Any]] { try CLIRunner.jsonLines(r) }

    func testEmbedSparsePrintsIndicesAndValues() throws {
        let texts = ["Hello world", "", "Sparse vectors weight vocabulary terms."]
        let api = try SparseEmbedder(path: try TestPaths.model("splade-tiny"), options: .init(threads: 1)).embed(texts)
        let r = try swiftlet(["embed", "--model", "splade-tiny", "--sparse", "--threads", "1"] + texts)
        XCTAssertEqual(r.code, 0, r.err)
        let got = try lines(r)
        XCTAssertEqual(got.count, 3)
        for (o, v) in zip(got, api) {
            XCTAssertEqual(o["indices"] as? [Int], v.indices)
            XCTAssertEqual((o["values"] as? [Double])?.map(Float.init), v.values)
        }
        let top = try lines(try swiftlet(["embed", "--model", "splade-tiny", "--sparse", "--top-k", "2", "Hello world"]))
        XCTAssertEqual((top[0]["indices"] as? [Int])?.count, min(2, api[0].indices.count))
    }

    func testEmbedSparseErrors() throws {
        let dense = try swiftlet(["embed", "--model", "all-MiniLM-L6-v2", "--sparse", "x"])
        XCTAssertNotEqual(dense.code, 0)
        XCTAssertTrue(dense.err.contains("not a sparse-embedder"), dense.err)
        let topK = try swiftlet(["embed", "--model", "splade-tiny", "--top-k", "3", "x"])
        XCTAssertNotEqual(topK.code, 0)
        XCTAssertTrue(topK.err.contains("--sparse"), topK.err)
    }

    func testRerankPrintsSortedIndexScoreLines() throws {
        let docs = ["Flights from New York to London in December", "How to bake sourdough bread", "weather tomorrow berlin"]
        let api = try Reranker(path: try TestPaths.model("cross-encoder-random-minilm"), options: .init(threads: 1))
            .rerank(query: "cheap flights new york to london december", documents: docs)
        let r = try swiftlet(["rerank", "--model", "cross-encoder-random-minilm", "--threads", "1",
                              "--query", "cheap flights new york to london december"] + docs)
        XCTAssertEqual(r.code, 0, r.err)
        let got = try lines(r)
        XCTAssertEqual(got.map { $0["index"] as? Int }, api.map(\.index))
        XCTAssertEqual(got.map { ($0["score"] as? Double).map(Float.init) }, api.map(\.score))
        let bad = try swiftlet(["rerank", "--model", "splade-tiny", "--query", "q", "d"])
        XCTAssertNotEqual(bad.code, 0)
        XCTAssertTrue(bad.err.contains("not a reranker"), bad.err)
    }
}
