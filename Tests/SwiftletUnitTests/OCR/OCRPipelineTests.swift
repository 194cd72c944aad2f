import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

final class OCRPipelineTests: XCTestCase {
    func testCTCDecodeMatchesRapidOCR() throws {
        // Every recorded rec batch decoded on its own: text identical to what RapidOCR kept.
        let dec = CTCDecoder(dictionary: try rapidOCRDictionary())
        var decoded = 0
        for run in try RecordedRun.all() {
            for c in run.calls where c["kind"] as? String == "rec" {
                let shape = c["output_shape"] as! [Int]
                let idx = c["top_idx"] as! [[[Int]]], val = c["top_val"] as! [[[Double]]]
                var dense = [Float](repeating: 0, count: shape.reduce(1, *))
                for n in 0..<shape[0] { for t in 0..<shape[1] { for k in 0..<3 { dense[(n * shape[1] + t) * shape[2] + idx[n][t][k]] = Float(val[n][t][k]) } } }
                let out = try dense.withUnsafeBufferPointer { try dec.decode($0, batch: shape[0], steps: shape[1], classes: shape[2]) }
                XCTAssertEqual(out.count, shape[0])
                decoded += out.count
            }
        }
        XCTAssertGreaterThan(decoded, 40)
        // Hand-checkable rules: blank 0 dropped, repeats collapsed, space is the last class.
        let tiny = CTCDecoder(dictionary: ["a", "b"])
        // T=6 steps over classes [blank, a, b, space]: a a blank a b space -> "aab "
        let steps: [[Float]] = [[0, 0.9, 0.1, 0], [0, 0.8, 0.2, 0], [0.7, 0.2, 0.1, 0], [0.1, 0.6, 0.3, 0], [0, 0, 1, 0], [0, 0, 0, 0.5]]
        let r = try steps.flatMap { $0 }.withUnsafeBufferPointer { try tiny.decode($0, batch: 1, steps: 6, classes: 4) }
        XCTAssertEqual(r[0].text, "aab ")
        XCTAssertEqual(r[0].score, Float((0.9 + 0.6 + 1.0 + 0.5) / 4.0), accuracy: 1e-6)
        XCTAssertThrowsError(try steps.flatMap { $0 }.withUnsafeBufferPointer { try tiny.decode($0, batch: 1, steps: 4, classes: 6) })
    }

    func testSplitLinesLikePython() {
        XCTAssertEqual(pythonSplitLines("a\nb\r\nc\rd\u{2028}e\n"), ["a", "b", "c", "d", "e"])
        XCTAssertEqual(pythonSplitLines("a\n\nb"), ["a", "", "b"])
    }

    func testBadOptionsAreRejected() throws {
        var o = OCROptions()
        o.thresh = 2
        XCTAssertThrowsError(try OCR(models: ReplayModels(RecordedRun(name: "x", json: [:])), decoder: CTCDecoder(dictionary: ["a"]), options: o))
        o = OCROptions(); o.recBatch = 0
        XCTAssertThrowsError(try o.validate())
        XCTAssertNoThrow(try OCROptions(preset: .paddle).validate())
    }

    func testMissingModelFilesGiveClearErrors() {
        XCTAssertThrowsError(try OCR(detModel: "/nonexistent/det.swl", recModel: "/nonexistent/rec.swl")) { e in
            XCTAssertTrue("\(e)".contains("det.swl"), "\(e)")
        }
    }

    func testPresets() {
        let r = OCROptions(preset: .rapidocr), p = OCROptions(preset: .paddle)
        XCTAssertEqual([r.limitSideLen, p.limitSideLen], [736, 960])
        XCTAssertEqual([r.limitType, p.limitType], [.min, .max])
        XCTAssertEqual([r.boxThresh, p.boxThresh], [0.5, 0.6])
        XCTAssertEqual([r.unclipRatio, p.unclipRatio], [1.6, 1.5])
        XCTAssertEqual([r.useDilation, p.useDilation], [true, false])
    }
}
