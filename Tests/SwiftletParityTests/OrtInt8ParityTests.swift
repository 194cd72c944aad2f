import Foundation
import XCTest
@testable import Swiftlet
import SwiftletTestSupport

/// all-MiniLM-L6-v2 quantized by onnxruntime itself (quantize_dynamic, QInt8 weights;
/// tools/setup.d/50-ort-int8.sh), converted with the plain --onnx route and run by Swiftlet's
/// ONNX quantization ops, against onnxruntime running the same quantized ONNX
/// (golden/all-MiniLM-L6-v2-ort-int8, one text per run).
///
/// Tolerance from the rounding rules: every integer step is exact, so the two engines differ
/// only where their float arithmetic (LayerNorm, softmax, GELU, the scale products) differs in
/// the last bit and DynamicQuantizeLinear's round(x / scale) then lands on the other side of a
/// half: that activation moves one level, which moves its row of the product by
/// scale_a · scale_b · |w| per weight and propagates through the later layers. onnxruntime
/// against itself with its graph optimizations off shows the size of that effect on this
/// corpus (golden README, "Reference noise floor"); the bars below are the cosine
/// (≥ 0.9999) and a max |diff| of the same order as that floor.
final class OrtInt8ParityTests: XCTestCase {
    static let minCosine = 0.9999
    static let maxAbsDiff: Float = 0.01

    func testEmbeddingsMatchOnnxruntime() throws {
        let texts = try readJSONL(TestPaths.goldenFile("corpus/en.jsonl")).map { $0["text"] as! String }
        let ref = try NPY.read(TestPaths.goldenFile("all-MiniLM-L6-v2-ort-int8/embeddings.npy").path).floatArray()
        XCTAssertEqual(ref.count, texts.count * 384)
        // Batch 1: DynamicQuantizeLinear's scale is per tensor, so batch-mates and padding would
        // change every text's quantization; the reference ran one text at a time too.
        let e = try Embedder(path: try TestPaths.model("all-MiniLM-L6-v2-ort-int8"), options: .init(threads: 2, batchSize: 1))
        let got = try e.embed(texts)
        var worst = 1.0, worstAt = 0, maxDiff: Float = 0, identical = 0
        for (i, v) in got.enumerated() {
            let r = Array(ref[(i * 384)..<((i + 1) * 384)])
            let c = cosine(v, r), d = maxAbsDiff(v, r)
            if c < worst { worst = c; worstAt = i }
            maxDiff = max(maxDiff, d)
            if v == r { identical += 1 }
            XCTAssertGreaterThanOrEqual(c, Self.minCosine, "text #\(i) '\(texts[i].prefix(40))' cosine \(c)")
            XCTAssertLessThanOrEqual(d, Self.maxAbsDiff, "text #\(i) '\(texts[i].prefix(40))' max |diff| \(d)")
        }
        print("ort-int8 all-MiniLM-L6-v2 vs onnxruntime: \(texts.count) texts, worst cosine \(worst) (text #\(worstAt)), "
              + "max |diff| \(maxDiff), \(identical) bit-identical")
    }

    /// The quantized graph really runs the ONNX quantization ops (nothing folded them away).
    func testGraphRunsTheQuantizationOps() throws {
        let s = try Session(path: try TestPaths.model("all-MiniLM-L6-v2-ort-int8"), options: SessionOptions(threads: 1))
        let ops = s.opCounts
        XCTAssertEqual(ops["MatMulInteger"], 36, "6 layers × (Q, K, V, attention out, FFN in, FFN out)")
        XCTAssertEqual(ops["DynamicQuantizeLinear"], 24, "Q/K/V share one quantization of their input")
        XCTAssertGreaterThanOrEqual(ops["DequantizeLinear"] ?? 0, 1, "the word-embedding table is dequantized per lookup")
    }
}
