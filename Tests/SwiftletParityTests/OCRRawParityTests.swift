import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Raw graph outputs of the OCR models against onnxruntime on the original ONNX files
/// (golden/ocr-raw, made by tools/golden.py ocr-raw from real images).
/// Tolerance: max |diff| ≤ 1e-3 on every probability (the OCR contract for raw outputs).
final class OCRRawParityTests: XCTestCase {
    static let maxDiff: Float = 1e-3

    func input(_ kind: String) throws -> Tensor {
        try NPY.read(TestPaths.goldenFile("ocr-raw/inputs/\(kind).npy").path)
    }

    func run(_ model: String, _ x: Tensor, threads: Int = 2) throws -> Tensor {
        let s = try Session(path: try TestPaths.model(model), options: SessionOptions(threads: threads))
        let name = try XCTUnwrap(s.inputs.first?.name)
        let out = try s.run([name: x])
        return try XCTUnwrap(out[try XCTUnwrap(s.outputs.first?.name)])
    }

    /// Dense reference (det maps, cls probabilities).
    func checkDense(_ model: String, kind: String) throws {
        let want = try NPY.read(TestPaths.goldenFile("ocr-raw/\(model)/output.npy").path)
        for threads in [1, 2] {
            let got = try run(model, try input(kind), threads: threads)
            XCTAssertEqual(got.shape, want.shape, model)
            let d = maxAbsDiff(got.floatArray(), want.floatArray())
            print("ocr raw \(model) threads \(threads): max|diff| \(d)")
            XCTAssertLessThanOrEqual(d, Self.maxDiff, model)
        }
    }

    /// Sparse reference (rec): entries above the floor are stored; the rest of onnxruntime's
    /// output lies in [0, 1e-4], so ours must lie in [0, 1e-3] there for |diff| ≤ 1e-3.
    func checkRec(_ model: String) throws {
        let all = try input("rec")
        let per = all.count / all.shape[0]
        let first = try Tensor(floats: Array(all.floatArray()[..<per]), shape: [1] + Array(all.shape.dropFirst()))
        for (tag, x) in [("b1", first), ("b2", all)] {
            let ref = try SparseReference(golden: "ocr-raw/\(model)/\(tag)")
            let shape = ref.shape, idx = ref.index, val = ref.value
            let got = try run(model, x)
            XCTAssertEqual(got.shape, shape, model)
            guard got.shape == shape else { continue }
            let g = got.floatArray()
            let (d, rest) = ref.compare(g)
            print("ocr raw \(model) \(tag): max|diff| \(d) on \(idx.count) stored entries, max elsewhere \(rest)")
            XCTAssertLessThanOrEqual(d, Self.maxDiff, "\(model) \(tag)")
            XCTAssertLessThanOrEqual(rest, Self.maxDiff, "\(model) \(tag) (entries onnxruntime puts below 1e-4)")
            // Decoding must agree too: the best class per time step.
            let classes = shape[2]
            var mismatched = 0
            for t in 0..<(g.count / classes) {
                let row = g[(t * classes)..<((t + 1) * classes)]
                let best = row.indices.max { row[$0] < row[$1] }!
                let refBest = idx.indices.filter { idx[$0] / classes == t }.max { val[$0] < val[$1] }.map { idx[$0] }
                if let refBest, refBest != best, abs(row[refBest] - row[best]) > 1e-6 { mismatched += 1 }
            }
            XCTAssertEqual(mismatched, 0, "\(model) \(tag): argmax differs from onnxruntime")
        }
    }

    func testPPOCRv5Det() throws { try checkDense("ppocrv5-det", kind: "det") }
    func testPPOCRv5Rec() throws { try checkRec("ppocrv5-rec") }
    func testPPOCRv5Cls() throws { try checkDense("ppocrv5-cls", kind: "cls") }
    func testPPOCRv4Det() throws { try checkDense("ppocrv4-det", kind: "det") }
    func testPPOCRv4Rec() throws { try checkRec("ppocrv4-rec") }
    func testPPOCRClsV2() throws { try checkDense("ppocr-cls-v2", kind: "cls") }
    func testEnglishV3Det() throws { try checkDense("en-ppocrv3-det", kind: "det") }
    func testEnglishV4Rec() throws { try checkRec("en-ppocrv4-rec") }

    /// Dynamic H/W: one session serves different image sizes back to back, and a repeat of
    /// the first size gives identical outputs (buffers are recycled, never stale).
    func testDetAcrossSizes() throws {
        let s = try Session(path: try TestPaths.model("ppocrv5-det"), options: SessionOptions(threads: 2))
        let x = try input("det")
        let name = try XCTUnwrap(s.inputs.first?.name), out = try XCTUnwrap(s.outputs.first?.name)
        let first = try XCTUnwrap(s.run([name: x])[out]).floatArray()
        for (h, w) in [(64, 96), (96, 32), (32, 256)] {
            let t = Tensor(zeros: .float32, shape: [1, 3, h, w])
            for i in 0..<t.count { t.f32[i] = Float(i % 97) / 97 - 0.5 }
            let y = try XCTUnwrap(s.run([name: t])[out])
            XCTAssertEqual(y.shape, [1, 1, h, w])
        }
        XCTAssertEqual(try XCTUnwrap(s.run([name: x])[out]).floatArray(), first)
    }

    /// The literal graphs (no fusions: standalone BatchNormalization, Clip, HardSwish chains)
    /// meet the same tolerance, so the fused kernels are checked against the plain ops too.
    func testUnfusedGraphsMatch() throws {
        for (model, kind) in [("ppocrv4-det", "det"), ("ppocrv5-det", "det"), ("ppocr-cls-v2", "cls")] {
            let s = try Session(path: try TestPaths.model(model), options: SessionOptions(threads: 2, fusions: false))
            let name = try XCTUnwrap(s.inputs.first?.name), out = try XCTUnwrap(s.outputs.first?.name)
            let got = try XCTUnwrap(s.run([name: try input(kind)])[out])
            let want = try NPY.read(TestPaths.goldenFile("ocr-raw/\(model)/output.npy").path)
            XCTAssertEqual(got.shape, want.shape, model)
            let d = maxAbsDiff(got.floatArray(), want.floatArray())
            print("ocr raw \(model) unfused: max|diff| \(d)")
            XCTAssertLessThanOrEqual(d, Self.maxDiff, model)
        }
    }

    func testFusionsApplyToOCRGraphs() throws {
        let path = try TestPaths.model("ppocrv4-det")
        let plain = try Session(path: path, options: SessionOptions(threads: 1, fusions: false)).opCounts
        let fused = try Session(path: path, options: SessionOptions(threads: 1)).opCounts
        XCTAssertLessThan(fused["BatchNormalization"] ?? 0, plain["BatchNormalization"] ?? 0, "Conv+BatchNormalization not folded: \(fused)")
        XCTAssertGreaterThan(fused["Swiftlet.FusedConv"] ?? 0, 0, "no Conv+activation fused: \(fused)")
    }
}
