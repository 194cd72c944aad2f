import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// The whole OCR pipeline with the real PP-OCRv4 det/rec and cls v2.0 models (RapidOCR
/// 1.4.4's defaults) on the shared sample photos and scans, against the lines RapidOCR on
/// onnxruntime returned for the same pixels (golden/ocr/pipeline/*.json). Contract: boxes
/// within 2 px, text identical on ≥ 98% of lines, character error rate ≤ 1% overall.
final class OCREndToEndTests: XCTestCase {
    func testPPOCRv4MatchesRapidOCROnSharedSamples() throws {
        let dir = TestPaths.golden.appendingPathComponent("ocr/pipeline")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 10, "expected the recorded RapidOCR runs in \(dir.path)")
        var engines: [String: OCR] = [:]
        var tally = OCRParityTally()
        for f in files {
            let ref = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent(f))) as? [String: Any])
            let image = try XCTUnwrap(ref["image"] as? String)
            let presetName = try XCTUnwrap(ref["preset"] as? String)
            let preset = try XCTUnwrap(OCROptions.Preset(rawValue: presetName))
            if engines[presetName] == nil {
                engines[presetName] = try ocrEngine(models: ["ppocrv4-det", "ppocrv4-rec", "ppocr-cls-v2"], preset: preset)
            }
            // Runs with the second preset are stored as "paddle-<image>".
            let sample = image.hasPrefix("\(presetName)-") ? String(image.dropFirst(presetName.count + 1)) : image
            let got = try engines[presetName]!.recognize(path: try OCRSamples.path(sample))
            tally.compare(got, try XCTUnwrap(ref["lines"] as? [[String: Any]]), context: f)
        }
        tally.assertWithinContract(minLines: 31, "PP-OCRv4 end to end")
    }

    func testWrongModelKindIsRefused() throws {
        XCTAssertThrowsError(try OCR(detModel: try TestPaths.model("all-MiniLM-L6-v2"), recModel: try TestPaths.model("ppocrv4-rec"))) { e in
            XCTAssertTrue("\(e)".contains("not an OCR detection model"), "\(e)")
        }
        XCTAssertThrowsError(try OCR(detModel: try TestPaths.model("ppocrv4-det"), recModel: try TestPaths.model("ppocrv4-det"))) { e in
            XCTAssertTrue("\(e)".contains("not an OCR recognition model"), "\(e)")
        }
    }
}

func editDistance<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count), cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count { cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)) }
        swap(&prev, &cur)
    }
    return prev[b.count]
}
