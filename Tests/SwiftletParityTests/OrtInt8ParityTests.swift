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
/// scale_a · scale_b · |w|, and with one scale per tensor every later layer of the text is
/// re-quantized against the changed values, so a flip can cascade. Most texts never flip and
/// agree to float rounding; a tail does. onnxruntime against itself (optimized vs
/// ORT_DISABLE_ALL, golden README "Reference noise floor") shows the size of that tail on this
/// corpus: worst cosine 0.99105, max |diff| 0.0244, 71 of 414 texts below 0.9999, mean
/// 0.99964, median 1 − 1e-8. The issue's ≥ 0.9999 on every text is therefore beyond what the
/// rounding rules allow even between two onnxruntime runs; the bars are that floor with a
/// margin: every text cosine ≥ 0.99 and max |diff| ≤ 0.03; median cosine ≥ 0.9999999 (a text
/// without a flip agrees to float rounding); mean ≥ 0.9995; at most a quarter of the texts
/// below 0.9999. Measured (AVX512-VNNI machine, onnxruntime 1.31.1): worst 0.99100 (text #124,
/// onnxruntime's own worst too), max |diff| 0.0246, 84 below 0.9999, mean 0.99959.
final class OrtInt8ParityTests: XCTestCase {
    /// Per-model bars (see the class comment and testE5EmbeddingsMatchOnnxruntime for why).
    struct Bars {
        let minCosine: Double, maxDiff: Float, minMedianCosine: Double, minMeanCosine: Double, maxTailFraction: Double
    }
    static let miniLM = Bars(minCosine: 0.99, maxDiff: 0.03, minMedianCosine: 0.9999999, minMeanCosine: 0.9995, maxTailFraction: 0.25)

    func testEmbeddingsMatchOnnxruntime() throws {
        let texts = try readJSONL(TestPaths.goldenFile("corpus/en.jsonl")).map { $0["text"] as! String }
        try check(model: "all-MiniLM-L6-v2-ort-int8", golden: "all-MiniLM-L6-v2-ort-int8", texts: texts, bars: Self.miniLM)
    }

    /// multilingual-e5-small through the same quantize_dynamic (tools/setup.d/50-ort-int8.sh),
    /// against golden/multilingual-e5-small-ort-int8 on the 1,173-text multilingual corpus. Twice
    /// the layers of MiniLM, so more room for a flipped level to cascade: onnxruntime against
    /// itself (optimized vs ORT_DISABLE_ALL) gives worst cosine 0.99565, max |diff| 0.0146, median
    /// 0.9999998, mean 0.99954, and 486 of 1173 texts (41%) below 0.9999. Bars: that floor with a
    /// margin, as for MiniLM — every text ≥ 0.99 and max |diff| ≤ 0.03, mean ≥ 0.999, at most 60%
    /// of the texts below 0.9999. The median is no longer a no-flip text here (the flipped tail is
    /// close to half the corpus, so the median text sits at its edge): median ≥ 0.9999. Measured
    /// (AVX512-VNNI machine, onnxruntime 1.31.1): worst 0.99618, max |diff| 0.0146, median
    /// 0.99996, mean 0.99951, 540 below 0.9999 (46%).
    static let e5 = Bars(minCosine: 0.99, maxDiff: 0.03, minMedianCosine: 0.9999, minMeanCosine: 0.999, maxTailFraction: 0.6)

    func testE5EmbeddingsMatchOnnxruntime() throws {
        try check(model: "multilingual-e5-small-ort-int8", golden: "multilingual-e5-small-ort-int8",
                  texts: try MultilingualCorpus.texts(), bars: Self.e5)
    }

    func check(model: String, golden: String, texts: [String], bars: Bars) throws {
        let ref = try NPY.read(TestPaths.goldenFile("\(golden)/embeddings.npy").path).floatArray()
        XCTAssertEqual(ref.count, texts.count * 384)
        // Batch 1: DynamicQuantizeLinear's scale is per tensor, so batch-mates and padding would
        // change every text's quantization; the reference ran one text at a time too.
        let e = try Embedder(path: try TestPaths.model(model), options: .init(threads: 2, batchSize: 1))
        let got = try e.embed(texts)
        XCTAssertEqual(got.count, texts.count)
        let a = RowAgreement(got, reference: ref, dim: 384)
        for i in a.cosines.indices {
            XCTAssertGreaterThanOrEqual(a.cosines[i], bars.minCosine, "\(model) text #\(i) '\(texts[i].prefix(40))' cosine \(a.cosines[i])")
            XCTAssertLessThanOrEqual(a.maxDiffs[i], bars.maxDiff, "\(model) text #\(i) '\(texts[i].prefix(40))' max |diff| \(a.maxDiffs[i])")
        }
        let tail = a.cosines.filter { $0 < 0.9999 }.count
        XCTAssertGreaterThanOrEqual(a.medianCosine, bars.minMedianCosine, model)
        XCTAssertGreaterThanOrEqual(a.meanCosine, bars.minMeanCosine, model)
        XCTAssertLessThanOrEqual(Double(tail), bars.maxTailFraction * Double(texts.count), "\(model): texts below cosine 0.9999")
        print("ort-int8 \(model) vs onnxruntime: \(texts.count) texts, worst cosine \(a.worstCosine) (text #\(a.worstIndex)), "
              + "max |diff| \(a.maxDiff), median cosine \(a.medianCosine), mean \(a.meanCosine), \(tail) below 0.9999, "
              + "\(a.identical) bit-identical")
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
