import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// The whole OCR pipeline with the PP-OCRv6 sets and the `rapidocr3` preset against
/// rapidocr==3.10.0 itself (its config.yaml defaults, onnxruntime) with the same ONNX models,
/// fed the same pixels (golden/ppocrv6/SET.json, tools/golden.py ppocrv6-sets): every shared
/// sample (SWIFTLET_OCR_SAMPLES) and every image of the rendered corpus (golden/ocr/synthetic).
/// Contract, stricter than the v4/v5 one: the same lines in the same order, every text
/// identical, every box corner within 2 px.
final class PPOCRv6ParityTests: XCTestCase {
    func testSmallMatchesRapidOCR3() throws { try check("ppocrv6", minLines: 150) }
    func testTinyMatchesRapidOCR3() throws { try check("ppocrv6-tiny", minLines: 150) }

    private func check(_ set: String, minLines: Int) throws {
        let ref = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: TestPaths.goldenFile("ppocrv6/\(set).json"))) as? [String: Any])
        XCTAssertEqual(ref["reference"] as? String, "rapidocr 3.10.0")
        let models = try XCTUnwrap(ref["models"] as? [String])
        let runs = try XCTUnwrap(ref["runs"] as? [String: [String: Any]])
        let samples = try XCTUnwrap(runs["samples"]), synthetic = try XCTUnwrap(runs["synthetic"])
        XCTAssertGreaterThanOrEqual(samples.count, 12, "\(set): expected every shared sample in the reference")
        XCTAssertGreaterThanOrEqual(synthetic.count, 30, "\(set): expected the rendered corpus in the reference")
        let ocr = try ocrEngine(models: models, preset: .rapidocr3)
        let corpus = try OCRGolden.url("synthetic")
        var tally = OCRParityTally()
        for (group, byImage) in [("samples", samples), ("synthetic", synthetic)] {
            for (image, rec) in byImage.sorted(by: { $0.key < $1.key }) {
                let want = try XCTUnwrap((rec as? [String: Any])?["lines"] as? [[String: Any]])
                let path = group == "samples" ? try OCRSamples.path(image) : corpus.appendingPathComponent(image).path
                tally.compare(try ocr.recognize(path: path), want, context: "\(set)/\(group)/\(image)")
            }
        }
        tally.assertWithinContract(minLines: minLines, "\(set) vs rapidocr 3.10.0")
        XCTAssertEqual(tally.identical, tally.lines, "\(set): every line's text must equal RapidOCR 3's: \(tally.summary)")
    }
}
