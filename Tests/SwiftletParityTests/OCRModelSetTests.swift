import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// The whole OCR pipeline with the PP-OCRv5 set (the default models of `swiftlet ocr`) and
/// the English set (en PP-OCRv3 det + en PP-OCRv4 rec + cls v2.0) on the shared samples,
/// against RapidOCR 1.4.4 on onnxruntime with the same ONNX models and dictionaries
/// (golden/ocr/sets/*.json, tools/golden.py ocr-sets). Both detector presets.
/// Contract (OCRParityTally): boxes within 2 px, text identical on ≥ 98% of lines, CER ≤ 1%.
final class OCRModelSetTests: XCTestCase {
    func testPPOCRv5MatchesRapidOCROnSharedSamples() throws {
        try checkSet("ppocrv5", minLines: 25)
    }

    func testEnglishModelsMatchRapidOCROnSharedSamples() throws {
        try checkSet("en", minLines: 15)
    }

    /// The en rec model's ONNX metadata 'character' is an HTML page; the en_dict.txt the
    /// converter attached must win (as RapidOCR's rec_keys_path does): 95 characters, with
    /// blank and the appended space 97 classes — the model's output width.
    func testDictionaryFileWinsOverRecMetadata() throws {
        let ocr = try ocrEngine(models: ["en-ppocrv3-det", "en-ppocrv4-rec", "ppocr-cls-v2"], preset: .rapidocr)
        let rec = try XCTUnwrap(ocr.models as? SessionOCRModels).rec
        XCTAssertNotNil(rec.model.metadata["character"], "the en rec model is expected to carry the misleading metadata")
        XCTAssertEqual(ocr.decoder.characters.count, 97)
        XCTAssertEqual(Array(ocr.decoder.characters[1...10]), (0...9).map(String.init))
    }

    private func checkSet(_ name: String, minLines: Int) throws {
        let ref = try XCTUnwrap(OCRGolden.json("sets/\(name).json") as? [String: Any])
        let models = try XCTUnwrap(ref["models"] as? [String])
        let runs = try XCTUnwrap(ref["runs"] as? [String: [String: Any]])
        // The RapidOCR 1.4.4 presets; `rapidocr3` is checked with its own models (PPOCRv6ParityTests).
        XCTAssertEqual(Set(runs.keys), Set([OCROptions.Preset.rapidocr, .paddle].map(\.rawValue)))
        var tally = OCRParityTally()
        var images = 0
        for (presetName, byImage) in runs.sorted(by: { $0.key < $1.key }) {
            let ocr = try ocrEngine(models: models, preset: try XCTUnwrap(OCROptions.Preset(rawValue: presetName)))
            for (image, rec) in byImage.sorted(by: { $0.key < $1.key }) {
                let want = try XCTUnwrap((rec as? [String: Any])?["lines"] as? [[String: Any]])
                let got = try ocr.recognize(path: try OCRSamples.path(image))
                tally.compare(got, want, context: "\(name)/\(presetName)/\(image)")
                images += 1
            }
        }
        XCTAssertGreaterThanOrEqual(images, 12, "\(name): expected every shared sample in the reference")
        tally.assertWithinContract(minLines: minLines, name)
    }
}
