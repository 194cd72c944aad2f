import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// The Model2Vec static model of tokenlearn-static-model (`convert.py --model2vec`) against
/// model2vec's StaticModel.encode on the multilingual golden corpus: max |diff| ≤ 1e-6 per
/// vector, token ids identical.
///
/// The text-level tests need the Unigram + Precompiled tokenizer (branch tokenizers2); until
/// it is merged they fail at `Embedder(path:)` with the tokenizer's error. The golden-ids
/// test checks the lookup/weight/mean/normalize arithmetic without the tokenizer.
final class StaticEmbedderTests: XCTestCase {
    static let maxDiff: Float = 1e-6
    static let model = "tokenlearn-static"
    static let dim = 64

    func corpus() throws -> [String] {
        try MultilingualCorpus.texts()
    }

    func goldenIds() throws -> [[Int32]] {
        try readJSONL(TestPaths.goldenFile("tokenlearn-static/tokens.jsonl")).map { ($0["ids"] as! [Int]).map { Int32($0) } }
    }

    func reference(rows: Int) throws -> [[Float]] {
        let t = try NPY.read(TestPaths.goldenFile("tokenlearn-static/embeddings.npy").path)
        XCTAssertEqual(t.shape, [rows, Self.dim])
        let v = t.floatArray()
        return (0..<rows).map { Array(v[($0 * Self.dim)..<(($0 + 1) * Self.dim)]) }
    }

    func loadTable() throws -> StaticEmbedder {
        let m = try ModelFile(path: try TestPaths.model(Self.model))
        return try StaticEmbedder(model: m, config: PipelineConfig(model: m))
    }

    func check(_ got: [[Float]], _ want: [[Float]], _ what: String) {
        XCTAssertEqual(got.count, want.count, what)
        var worst: Float = 0, exact = 0
        for (i, (g, w)) in zip(got, want).enumerated() {
            XCTAssertEqual(g.count, Self.dim, "\(what): text #\(i) dimension")
            let d = maxAbsDiff(g, w)
            worst = max(worst, d)
            if g == w { exact += 1 }
            XCTAssertLessThanOrEqual(d, Self.maxDiff, "\(what): text #\(i) max diff \(d)")
        }
        print("static parity \(what): \(got.count) texts, worst max|diff| \(worst), \(exact) bit-identical")
    }

    // MARK: without the tokenizer (golden ids)

    func testGoldenIdsMatchModel2Vec() throws {
        let ids = try goldenIds()
        let table = try loadTable()
        XCTAssertEqual(table.dimension, Self.dim)
        check(try ids.map { try table.vector(ids: $0) }, try reference(rows: ids.count), "golden ids")
    }

    func testConvertedPipeline() throws {
        let m = try ModelFile(path: try TestPaths.model(Self.model))
        let c = try PipelineConfig(model: m)
        XCTAssertEqual(c.kind, .staticEmbedder)
        XCTAssertTrue(c.normalize)
        XCTAssertEqual(c.maxLength, 512)
        XCTAssertEqual(c.maxChars, 512 * 6)   // model2vec: max_length × median token length
        XCTAssertEqual(c.skipIds, [3])         // the Unigram unk_id model2vec drops
        XCTAssertEqual(m.nodeCount, 0)
        XCTAssertNotNil(m.blob("tokenizer.json"))
    }

    func testEmptyAndSkippedInputsGiveZeroVector() throws {
        let table = try loadTable()
        XCTAssertEqual(try table.vector(ids: []), [Float](repeating: 0, count: Self.dim))
        XCTAssertEqual(try table.vector(ids: [3, 3]), [Float](repeating: 0, count: Self.dim))
        let v = try table.vector(ids: [35376, 3, 8997])
        XCTAssertEqual(v, try table.vector(ids: [35376, 8997]))
        let norm = v.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        XCTAssertEqual(norm, 1, accuracy: 1e-6)
    }

    func testOutOfRangeTokenIdThrows() throws {
        let table = try loadTable()
        XCTAssertThrowsError(try table.vector(ids: [1, Int32(table.tokenCount)])) { e in
            guard case SwiftletError.invalidInput(let msg)? = e as? SwiftletError else { return XCTFail("\(e)") }
            XCTAssertTrue(msg.contains("token id \(table.tokenCount)"), msg)
        }
        XCTAssertThrowsError(try table.vector(ids: [-1]))
    }

    // MARK: through Embedder (needs the Unigram tokenizer)

    func testTokenIdsIdenticalToModel2Vec() throws {
        let texts = try corpus()
        let want = try goldenIds()
        XCTAssertEqual(want.count, texts.count)
        let e = try Embedder(path: try TestPaths.model(Self.model), options: .init(threads: 1))
        var mismatches = 0
        for (i, t) in texts.enumerated() where e.tokenize(t).ids != want[i] {
            mismatches += 1
            if mismatches <= 20 { XCTFail("text #\(i) \(t.prefix(60).debugDescription): ids \(e.tokenize(t).ids.prefix(20)) vs model2vec \(want[i].prefix(20))") }
        }
        XCTAssertEqual(mismatches, 0, "token id mismatches")
        print("static tokenizer parity: \(texts.count - mismatches)/\(texts.count) identical")
    }

    func testTextsMatchModel2VecThroughEmbedder() throws {
        let texts = try corpus()
        let e = try Embedder(path: try TestPaths.model(Self.model), options: .init(threads: 2))
        XCTAssertNil(e.session)
        XCTAssertEqual(e.dimension, Self.dim)
        check(try e.embed(texts), try reference(rows: texts.count), "Embedder")
    }
}
