import Foundation
import XCTest
@testable import Swiftlet
import SwiftletTestSupport

/// Cross-encoder reranking on a cross-encoder with RANDOMLY INITIALISED weights
/// (tools/build_cross_encoder.py: transformers' BertForSequenceClassification, one label,
/// torch.manual_seed(18), all-MiniLM-L6-v2's shape and real tokenizer; no real cross-encoder
/// weights are on PyPI), converted by --hf-dir, against transformers + torch
/// (golden/cross-encoder-random-minilm). Contract: pair token ids identical to the fast HF
/// tokenizer's (`[CLS] q [SEP] d [SEP]`, truncation longest-first to 512, including pairs that
/// overflow on one or both sides), logits and sigmoid scores within 1e-4, rankings identical.
final class RandomWeightRerankerParityTests: XCTestCase {
    static let maxDiffBar: Float = 1e-4

    struct Case {
        let query: String
        let documents: [String]
        let ids: [[Int32]]
        let logits: [Float]
        let scores: [Float]
        let ranking: [Int]
    }

    static func cases() throws -> [Case] {
        try readJSONL(TestPaths.goldenFile("cross-encoder-random-minilm/cases.jsonl")).map { o in
            Case(query: o["query"] as! String, documents: o["documents"] as! [String],
                 ids: (o["ids"] as! [[Int]]).map { $0.map(Int32.init) },
                 logits: (o["logits"] as! [Double]).map(Float.init), scores: (o["scores"] as! [Double]).map(Float.init),
                 ranking: o["ranking"] as! [Int])
        }
    }

    func testPairTokensScoresAndRankingsMatchTorch() throws {
        try Self.checkPairs(model: "cross-encoder-random-minilm")
    }

    /// Every golden case through the file `model` (any route that converts this checkpoint):
    /// pair ids and token types as HF's, logits and scores within 1e-4, rankings identical.
    static func checkPairs(model: String) throws {
        let cases = try Self.cases()
        XCTAssertGreaterThanOrEqual(cases.count, 10)
        let r = try Reranker(path: try TestPaths.model(model), options: .init(threads: 2))
        XCTAssertTrue(r.config.sigmoid)
        var worst: Float = 0, pairs = 0
        for (k, c) in cases.enumerated() {
            for (j, d) in c.documents.enumerated() {
                let e = r.tokenize(query: c.query, document: d)
                XCTAssertEqual(e.ids, c.ids[j], "case \(k) document \(j): pair token ids differ from HF's")
                let sep = e.ids.firstIndex(of: 102) ?? 0
                XCTAssertEqual(e.typeIds, (0..<e.ids.count).map { $0 <= sep ? 0 : 1 }, "case \(k) document \(j): token_type_ids")
            }
            let logits = try r.score(query: c.query, documents: c.documents, raw: true)
            let scores = try r.score(query: c.query, documents: c.documents)
            let dl = maxAbsDiff(logits, c.logits), ds = maxAbsDiff(scores, c.scores)
            XCTAssertLessThanOrEqual(dl, Self.maxDiffBar, "case \(k): logits max |diff| \(dl)")
            XCTAssertLessThanOrEqual(ds, Self.maxDiffBar, "case \(k): scores max |diff| \(ds)")
            XCTAssertEqual(try r.rerank(query: c.query, documents: c.documents).map(\.index), c.ranking, "case \(k): ranking")
            worst = max(worst, dl, ds)
            pairs += c.documents.count
        }
        print("\(model) (random weights) vs torch: \(cases.count) cases, \(pairs) pairs, token ids and rankings identical, "
              + "max |diff| \(worst)")
    }

    /// A document's score does not depend on its batch-mates (padding is masked out).
    func testBatchingDoesNotChangeScores() throws {
        let c = try Self.cases()[0]
        let r = try Reranker(path: try TestPaths.model("cross-encoder-random-minilm"), options: .init(threads: 1, batchSize: 32))
        let batched = try r.score(query: c.query, documents: c.documents)
        for (j, d) in c.documents.prefix(4).enumerated() {
            XCTAssertEqual(try r.score(query: c.query, documents: [d])[0], batched[j], accuracy: 1e-5)
        }
        XCTAssertEqual(try r.score(query: c.query, documents: []), [])
    }

    func testRefusesOtherKinds() throws {
        XCTAssertThrowsError(try Reranker(path: try TestPaths.model("all-MiniLM-L6-v2"))) {
            XCTAssertTrue("\($0)".contains("not a reranker"), "\($0)")
        }
    }
}
