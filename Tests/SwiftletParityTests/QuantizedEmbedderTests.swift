import Foundation
import XCTest
@testable import Swiftlet
import SwiftletTestSupport

/// all-MiniLM-L6-v2 with quantized weights (tools/setup.sh builds both) against the float32
/// sentence-transformers reference on the golden corpus:
/// - `-int8`: per-channel int8, SmoothQuant factors from a separate calibration corpus.
///   Issue 14's bars: cosine ≥ 0.995 for every text and ≥ 0.999 on average; the int8 path must
///   really run (integer GEMM on every MatMul weight) and must not depend on batching, like
///   the float embedder.
/// - `-q4`: llama.cpp blocks, Q4_0 for the attention query/key weights and Q8_0 for the rest
///   and for the token table (plain Q4_0 everywhere gives worst 0.84). Issue 14's bars:
///   cosine ≥ 0.98 for every text and ≥ 0.995 on average, plus the retrieval figure below.
final class QuantizedEmbedderTests: XCTestCase {
    static let minCosine = 0.995
    static let minMeanCosine = 0.999
    /// Issue 14's bars for the 4-bit model (a looser pair than int8's: 4-bit weights).
    static let q4MinCosine = 0.98
    static let q4MinMeanCosine = 0.995
    /// The retrieval check: the corpus opens with 30 search queries (golden/corpus/
    /// build_corpus.py, SEARCH_QUERIES); each retrieves its top 10 among the other 384 texts,
    /// with the float32 reference vectors and with the Q4 model's, and the overlap of the two
    /// top-10 lists is averaged. No issue sets this bar; it is set from measurements
    /// (tools/quant_quality.py, same queries): plain Q4_0 everywhere 0.81, this file 0.94,
    /// Q8_0 everywhere 0.98, the int8 file 0.96. 0.9 catches a fall back towards plain Q4_0;
    /// each query keeps at least 7 of its 10 (measured: 8).
    static let searchQueries = 30
    static let searchTopK = 10
    static let q4MinMeanSearchOverlap = 0.9
    static let q4MinSearchOverlap = 0.7

    func corpus() throws -> [String] {
        try readJSONL(TestPaths.goldenFile("corpus/en.jsonl")).map { $0["text"] as! String }
    }

    func referenceVectors(count: Int) throws -> [[Float]] {
        let ref = try NPY.read(TestPaths.goldenFile("all-MiniLM-L6-v2/embeddings.npy").path).floatArray()
        XCTAssertEqual(ref.count, count * 384)
        return (0..<count).map { Array(ref[($0 * 384)..<(($0 + 1) * 384)]) }
    }

    /// Per query (the first `searchQueries` texts), the indices of its `searchTopK` nearest
    /// passages (all other texts) by cosine.
    static func searchTop(_ vectors: [[Float]]) -> [Set<Int>] {
        let queries = vectors.prefix(searchQueries), passages = Array(vectors.dropFirst(searchQueries))
        return queries.map { q in
            let scores = passages.map { cosine(q, $0) }
            let ranked = scores.indices.sorted { (scores[$0], -$0) > (scores[$1], -$1) }
            return Set(ranked.prefix(searchTopK))
        }
    }

    func testInt8MiniLMAgainstFloatReference() throws {
        let texts = try corpus()
        let ref = try NPY.read(TestPaths.goldenFile("all-MiniLM-L6-v2/embeddings.npy").path).floatArray()
        let e = try Embedder(path: try TestPaths.model("all-MiniLM-L6-v2-int8"), options: .init(threads: 2, batchSize: 32))
        let got = try e.embed(texts)
        var worst = 1.0, sum = 0.0
        for (i, v) in got.enumerated() {
            let c = cosine(v, Array(ref[(i * 384)..<((i + 1) * 384)]))
            worst = min(worst, c)
            sum += c
            XCTAssertGreaterThanOrEqual(c, Self.minCosine, "text #\(i) '\(texts[i].prefix(40))' cosine \(c)")
        }
        let mean = sum / Double(texts.count)
        XCTAssertGreaterThanOrEqual(mean, Self.minMeanCosine)
        print("int8 all-MiniLM-L6-v2: \(texts.count) texts, worst cosine \(worst), mean \(mean)")
    }

    func testEveryMatMulWeightRunsTheIntegerGemm() throws {
        let model = try ModelFile(path: try TestPaths.model("all-MiniLM-L6-v2-int8"))
        let g = Fusions.apply(try GraphIR(model: model))
        XCTAssertEqual(g.encoded.count, 36, "6 layers × (Q, K, V, attention out, FFN in, FFN out)")
        let quantized = try g.nodes.filter { try QuantizedMatMulOp.make($0, encoded: g.encoded, threads: 1) != nil }
        XCTAssertEqual(quantized.count, 36)
        // Each smoothing Mul was folded into its MatMul's quantization pass.
        XCTAssertTrue(quantized.allSatisfy { if case .int8MatMul? = $0.fused { return true }; return false })
        XCTAssertLessThan(model.weightBytes, 60_000_000)
    }

    func testQ4MiniLMAgainstFloatReference() throws {
        let texts = try corpus()
        let ref = try referenceVectors(count: texts.count)
        let e = try Embedder(path: try TestPaths.model("all-MiniLM-L6-v2-q4"), options: .init(threads: 2, batchSize: 32))
        let got = try e.embed(texts)
        XCTAssertEqual(got.count, texts.count)
        var worst = 1.0, sum = 0.0
        for (i, v) in got.enumerated() {
            let c = cosine(v, ref[i])
            worst = min(worst, c)
            sum += c
            XCTAssertGreaterThanOrEqual(c, Self.q4MinCosine, "text #\(i) '\(texts[i].prefix(40))' cosine \(c)")
        }
        let mean = sum / Double(texts.count)
        XCTAssertGreaterThanOrEqual(mean, Self.q4MinMeanCosine)
        print("q4 all-MiniLM-L6-v2: \(texts.count) texts, worst cosine \(worst), mean \(mean)")

        let want = Self.searchTop(ref), have = Self.searchTop(got)
        let overlaps = zip(want, have).map { Double($0.intersection($1).count) / Double(Self.searchTopK) }
        let meanOverlap = overlaps.reduce(0, +) / Double(overlaps.count)
        for (i, o) in overlaps.enumerated() {
            XCTAssertGreaterThanOrEqual(o, Self.q4MinSearchOverlap, "query #\(i) '\(texts[i])': top-\(Self.searchTopK) overlap \(o)")
        }
        XCTAssertGreaterThanOrEqual(meanOverlap, Self.q4MinMeanSearchOverlap)
        print("q4 all-MiniLM-L6-v2: \(Self.searchQueries) queries -> \(texts.count - Self.searchQueries) passages, "
              + "top-\(Self.searchTopK) overlap with float32 mean \(meanOverlap), min \(overlaps.min() ?? 0)")
    }

    /// The Q4 file's MatMul weights all run the integer GEMM — Q4_0 blocks for the 12 query/key
    /// weights, Q8_0 for the other 24 — and its token table is gathered row by row from its
    /// Q8_0 blocks; the whole file stays well under the float32 one (91 MB).
    func testEveryQ4MatMulWeightRunsTheIntegerGemm() throws {
        let path = try TestPaths.model("all-MiniLM-L6-v2-q4")
        let model = try ModelFile(path: path)
        let g = Fusions.apply(try GraphIR(model: model))
        let quantized = try g.nodes.filter { try QuantizedMatMulOp.make($0, encoded: g.encoded, threads: 1) != nil }
        XCTAssertEqual(quantized.count, 36, "6 layers × (Q, K, V, attention out, FFN in, FFN out)")
        let weights = quantized.compactMap { g.encoded[$0.inputs[1]] }
        XCTAssertEqual(weights.count, 36)
        let q4 = weights.filter { $0.encoding == .q4_0(axis: 0) }.map(\.name)
        let q8 = weights.filter { $0.encoding == .q8_0(axis: 0) }.map(\.name)
        XCTAssertEqual(q4.count, 12, "\(q4)")
        XCTAssertTrue(q4.allSatisfy { $0.contains(".attention.self.query.") || $0.contains(".attention.self.key.") }, "\(q4)")
        XCTAssertEqual(q8.count, 24, "\(q8)")
        let gathers = g.nodes.filter { EncodedGatherOp.make($0, encoded: g.encoded) != nil }
        XCTAssertEqual(gathers.count, 1, "the word-embedding table is gathered from its encoding")
        let table = gathers.first.flatMap { g.encoded[$0.inputs[0]] }
        XCTAssertEqual(table?.shape, [30522, 384])
        XCTAssertEqual(table?.encoding, .q8_0(axis: 1))
        XCTAssertEqual(g.encoded.count, 37, "36 MatMul weights and the token table, nothing else")
        let file = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let fileBytes = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        XCTAssertLessThan(fileBytes, 25_000_000)
        print("q4 all-MiniLM-L6-v2: \(fileBytes) bytes, weights by storage \(model.weightBytesByStorage)")
    }

    /// Batch-mates change the padded length, so the float parts (attention over padded keys)
    /// may differ in the last bits, and a value sitting on a rounding boundary of the on-the-
    /// fly int8 quantization can then move one level: unlike the float model (≤ 1e-5), an
    /// int8 vector is batch-independent only to within that quantization step. The bar:
    /// alone vs batched cosine ≥ 0.9998, a third of the int8 model's mean distance from
    /// float32 (1 − 0.9994); measured 0.99992 on an AVX512-VNNI machine, 26 of 32 bit-identical.
    func testVectorAloneAndBatchedAgreeWithinOneQuantizationStep() throws {
        let texts = Array(try corpus().prefix(96))
        let e = try Embedder(path: try TestPaths.model("all-MiniLM-L6-v2-int8"), options: .init(threads: 2, batchSize: 16))
        let batched = try e.embed(texts)
        var worst = 1.0, identical = 0
        for (i, t) in texts.enumerated() where i % 3 == 0 {
            let alone = try e.embed([t])[0]
            let c = cosine(alone, batched[i])
            worst = min(worst, c)
            if alone == batched[i] { identical += 1 }
            XCTAssertGreaterThanOrEqual(c, 0.9998, "text #\(i)")
        }
        print("int8 alone vs batched: worst cosine \(worst), \(identical)/32 bit-identical")
    }
}
