import Foundation
import XCTest
import Swiftlet
import SwiftletTestSupport

/// all-MiniLM-L6-v2 against sentence-transformers (torch) on the golden corpus, through
/// every conversion route. Tolerances are the project's contract: cosine ≥ 0.99999 and
/// max |diff| ≤ 1e-4 per vector, token ids identical.
final class EmbedderParityTests: XCTestCase {
    static let minCosine = 0.99999
    static let maxDiff: Float = 1e-4
    static let routes = ["all-MiniLM-L6-v2", "all-MiniLM-L6-v2-onnx14", "all-MiniLM-L6-v2-onnx17"]

    func corpus() throws -> [String] {
        try readJSONL(TestPaths.goldenFile("corpus/en.jsonl")).map { $0["text"] as! String }
    }

    func testEmbeddingsMatchSentenceTransformersOnEveryRoute() throws {
        let texts = try corpus()
        let ref = try NPY.read(TestPaths.goldenFile("all-MiniLM-L6-v2/embeddings.npy").path)
        XCTAssertEqual(ref.shape, [texts.count, 384])
        let refValues = ref.floatArray()
        for route in Self.routes {
            let e = try Embedder(path: try TestPaths.model(route), options: .init(threads: 2, batchSize: 32))
            let got = try e.embed(texts)
            var worstCos = 1.0, worstDiff: Float = 0
            for (i, v) in got.enumerated() {
                let r = Array(refValues[(i * 384)..<((i + 1) * 384)])
                XCTAssertEqual(v.count, 384)
                let c = cosine(v, r), d = maxAbsDiff(v, r)
                worstCos = min(worstCos, c)
                worstDiff = max(worstDiff, d)
                XCTAssertGreaterThanOrEqual(c, Self.minCosine, "\(route): text #\(i) cosine \(c)")
                XCTAssertLessThanOrEqual(d, Self.maxDiff, "\(route): text #\(i) max diff \(d)")
            }
            print("parity \(route): \(texts.count) texts, worst cosine \(worstCos), worst max|diff| \(worstDiff)")
        }
    }

    func testFusionsOffGivesSameVectors() throws {
        let texts = Array(try corpus().prefix(40))
        let ref = try NPY.read(TestPaths.goldenFile("all-MiniLM-L6-v2/embeddings.npy").path).floatArray()
        let e = try Embedder(path: try TestPaths.model("all-MiniLM-L6-v2-onnx14"), options: .init(threads: 1, fusions: false))
        for (i, v) in try e.embed(texts).enumerated() {
            let r = Array(ref[(i * 384)..<((i + 1) * 384)])
            XCTAssertGreaterThanOrEqual(cosine(v, r), Self.minCosine)
            XCTAssertLessThanOrEqual(maxAbsDiff(v, r), Self.maxDiff)
        }
    }

    func testTokenIdsIdenticalToHFTokenizers() throws {
        let texts = try corpus()
        let ref = try readJSONL(TestPaths.goldenFile("all-MiniLM-L6-v2/tokens.jsonl"))
        XCTAssertEqual(ref.count, texts.count)
        let e = try Embedder(path: try TestPaths.model("all-MiniLM-L6-v2"), options: .init(threads: 1))
        var mismatches = 0
        for (i, t) in texts.enumerated() {
            let enc = e.tokenize(t)
            let want = (ref[i]["ids"] as! [Int]).map { Int32($0) }
            if enc.ids != want {
                mismatches += 1
                XCTFail("text #\(i) \(t.prefix(60).debugDescription): ids \(enc.ids.prefix(20)) vs HF \(want.prefix(20))")
            }
            XCTAssertEqual(enc.tokens, ref[i]["tokens"] as! [String], "text #\(i)")
        }
        print("tokenizer parity: \(texts.count - mismatches)/\(texts.count) identical")
    }

    /// A text's vector must not depend on its batch-mates or on padding.
    func testVectorIndependentOfBatching() throws {
        let texts = Array(try corpus().prefix(48))
        let e = try Embedder(path: try TestPaths.model("all-MiniLM-L6-v2"), options: .init(threads: 2, batchSize: 16))
        let batched = try e.embed(texts)
        let single = Embedder.Options(threads: 1, batchSize: 1)
        let e1 = try Embedder(path: try TestPaths.model("all-MiniLM-L6-v2"), options: single)
        for (i, t) in texts.enumerated() {
            let alone = try e1.embed([t])[0]
            XCTAssertLessThanOrEqual(maxAbsDiff(alone, batched[i]), 1e-5, "text #\(i)")
        }
        // Reordering the inputs returns the same vectors in the new order.
        let reversed = try e.embed(texts.reversed())
        for i in texts.indices { XCTAssertLessThanOrEqual(maxAbsDiff(reversed[texts.count - 1 - i], batched[i]), 1e-5) }
    }

    /// Batches cut by a token budget: the same texts under different budgets (one text per
    /// run, a few, the default, no limit) give the same vectors.
    func testVectorIndependentOfTokenBudget() throws {
        var texts = Array(try corpus().prefix(40))
        // A few long texts, so that budgets actually split batches differently.
        for n in [3, 7, 12] { texts.append(texts.prefix(n).joined(separator: " ")) }
        XCTAssertEqual(Embedder.Options().maxBatchTokens, 32 * 128)
        XCTAssertEqual(Embedder.Options(batchSize: 8).maxBatchTokens, 8 * 128)
        let model = try TestPaths.model("all-MiniLM-L6-v2")
        let reference = try Embedder(path: model, options: .init(threads: 2, batchSize: 64, maxBatchTokens: .max)).embed(texts)
        for budget in [1, 100, 400, 4096] {
            let got = try Embedder(path: model, options: .init(threads: 2, batchSize: 64, maxBatchTokens: budget)).embed(texts)
            XCTAssertEqual(got.count, texts.count)
            for i in texts.indices { XCTAssertLessThanOrEqual(maxAbsDiff(got[i], reference[i]), 1e-5, "budget \(budget), text #\(i)") }
        }
    }

    func testConcurrentCallsOnOneEmbedder() throws {
        let texts = Array(try corpus().prefix(24))
        let e = try Embedder(path: try TestPaths.model("all-MiniLM-L6-v2"), options: .init(threads: 1, batchSize: 8))
        let expected = try e.embed(texts)
        let results = UnsafeMutableBufferPointer<[[Float]]>.allocate(capacity: 4)
        results.initialize(repeating: [])
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 4) { k in results[k] = (try? e.embed(texts)) ?? [] }
        for k in 0..<4 {
            XCTAssertEqual(results[k].count, texts.count)
            for i in texts.indices { XCTAssertLessThanOrEqual(maxAbsDiff(results[k][i], expected[i]), 1e-6) }
        }
    }
}
