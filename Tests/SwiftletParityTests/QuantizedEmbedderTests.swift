import Foundation
import XCTest
@testable import Swiftlet
import SwiftletTestSupport

/// all-MiniLM-L6-v2 with int8 weights (per-channel, SmoothQuant factors from a separate
/// calibration corpus; tools/setup.sh builds it) against the float32 sentence-transformers
/// reference on the golden corpus. Issue 14's bars: cosine ≥ 0.995 for every text and
/// ≥ 0.999 on average; the int8 path must really run (integer GEMM on every MatMul weight)
/// and must not depend on batching, like the float embedder.
final class QuantizedEmbedderTests: XCTestCase {
    static let minCosine = 0.995
    static let minMeanCosine = 0.999

    func corpus() throws -> [String] {
        try readJSONL(TestPaths.goldenFile("corpus/en.jsonl")).map { $0["text"] as! String }
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
