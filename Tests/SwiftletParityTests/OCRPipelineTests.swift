import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

final class OCRPipelineTests: XCTestCase {
    /// Whole pipeline on every sample image with the networks' recorded outputs: the same
    /// network inputs (see ReplayModels), text identical, boxes within 2 px, scores within 1e-5.
    func testPipelineMatchesRapidOCR() throws {
        let dict = try rapidOCRDictionary()
        XCTAssertEqual(dict.count, 6623)
        var worstBox: Float = 0, worstScore: Float = 0, lineCount = 0, worstInput = 0.0
        for run in try RecordedRun.all() {
            let imageName = run.name.hasPrefix("paddle-") ? String(run.name.dropFirst(7)) : run.name
            let image = try RGBImage(contentsOf: try OCRSamples.path(imageName))
            let replay = ReplayModels(run)
            let ocr = try OCR(models: replay, decoder: CTCDecoder(dictionary: dict), options: OCROptions(preset: run.preset, threads: 1))
            let got: [OCRLine]
            do { got = try ocr.recognize(image) } catch { XCTFail("\(run.name): \(error)"); continue }
            XCTAssertTrue(replay.consumedAll, "\(run.name): pipeline made fewer model calls than RapidOCR")
            worstInput = max(worstInput, replay.worstInputRelDiff)
            XCTAssertEqual(got.count, run.lines.count, "\(run.name): line count")
            for (g, r) in zip(got, run.lines) {
                XCTAssertEqual(g.text, r["text"] as? String, "\(run.name)")
                let d = maxPointDistance(g.box, quads([r["box"]!])[0])
                XCTAssertLessThanOrEqual(d, 2, "\(run.name): \(g.text) box \(g.box) vs \(r["box"]!)")
                let ds = abs(g.score - Float(r["score"] as! Double))
                XCTAssertLessThanOrEqual(ds, 1e-5, "\(run.name): \(g.text) score")
                worstBox = max(worstBox, d); worstScore = max(worstScore, ds); lineCount += 1
            }
        }
        print("OCR pipeline (replayed networks) vs RapidOCR: \(lineCount) lines, texts identical, max box diff \(worstBox) px, max score diff \(worstScore), max input checksum rel diff \(worstInput)")
    }
}
