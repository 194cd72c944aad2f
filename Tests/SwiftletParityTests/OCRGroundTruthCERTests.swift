import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Character error rate against the ground truth of the rendered corpus (golden/ocr/synthetic
/// truth.json: 40 images, every rendered line), per model set, side by side: what the model
/// choice costs or buys, measured on Swiftlet's own output (which the parity tests hold equal
/// to RapidOCR's for each set).
///
/// Per rendered line: the recognised lines whose box centre lies inside the line's bounding
/// rectangle, joined left to right with a space (none found: an empty reading), edit distance
/// over Unicode scalars to the rendered text. CER = Σ distances / Σ rendered characters.
/// Text found outside every rendered line is not counted (the backgrounds hold none).
/// Each set is held to the figure measured when it was added (golden/ppocrv6/README.md) plus
/// one percentage point, so a regression fails here.
final class OCRGroundTruthCERTests: XCTestCase {
    /// set, models [det, rec, cls], preset, CER ceiling in percent.
    static let sets: [(String, [String], OCROptions.Preset, Double)] = [
        // Measured (%): 8.84, 0.69, 0.46, 7.04; ceilings one point above.
        ("ppocrv4", ["ppocrv4-det", "ppocrv4-rec", "ppocr-cls-v2"], .rapidocr, 9.84),
        ("ppocrv5", ["ppocrv5-det", "ppocrv5-rec", "ppocrv5-cls"], .rapidocr, 1.69),
        ("ppocrv6", ["ppocrv6-det", "ppocrv6-rec", "ppocr-cls-v2"], .rapidocr3, 1.46),
        ("ppocrv6-tiny", ["ppocrv6-tiny-det", "ppocrv6-tiny-rec", "ppocr-cls-v2"], .rapidocr3, 8.04),
    ]

    func testCERAgainstRenderedTruth() throws {
        let dir = try OCRGolden.url("synthetic")
        let truth = try XCTUnwrap((OCRGolden.json("synthetic/truth.json") as? [String: Any])?["images"] as? [String: [String: Any]])
        XCTAssertGreaterThanOrEqual(truth.count, 30)
        var table: [String] = []
        for (set, models, preset, ceiling) in Self.sets {
            let ocr = try ocrEngine(models: models, preset: preset)
            var errors = 0, chars = 0, exact = 0, lines = 0
            for (name, rec) in truth.sorted(by: { $0.key < $1.key }) {
                let got = try ocr.recognize(path: dir.appendingPathComponent(name).path)
                for line in try XCTUnwrap(rec["lines"] as? [[String: Any]]) {
                    let text = try XCTUnwrap(line["text"] as? String)
                    let box = try XCTUnwrap(line["box"] as? [[Double]]).map { OCRPoint(x: Float($0[0]), y: Float($0[1])) }
                    let read = got.filter { inside(box, centre($0.box)) }
                        .sorted { $0.box[0].x < $1.box[0].x }.map(\.text).joined(separator: " ")
                    errors += editDistance(Array(read.unicodeScalars), Array(text.unicodeScalars))
                    chars += text.unicodeScalars.count
                    lines += 1
                    if read == text { exact += 1 }
                }
            }
            let cer = Double(errors) / Double(max(chars, 1))
            table.append(String(format: "| %@ | %@ | %d/%d | %.2f%% |", set, preset.rawValue, exact, lines, 100 * cer))
            XCTAssertLessThanOrEqual(100 * cer, ceiling, "\(set): CER \(100 * cer)% vs the rendered text")
        }
        print("OCR ground truth (rendered corpus):\n| set | preset | lines exact | CER |\n|---|---|---|---|\n" + table.joined(separator: "\n"))
    }

    private func centre(_ q: [OCRPoint]) -> OCRPoint {
        OCRPoint(x: q.map(\.x).reduce(0, +) / Float(q.count), y: q.map(\.y).reduce(0, +) / Float(q.count))
    }

    private func inside(_ q: [OCRPoint], _ p: OCRPoint) -> Bool {
        p.x >= q.map(\.x).min()! && p.x <= q.map(\.x).max()! && p.y >= q.map(\.y).min()! && p.y <= q.map(\.y).max()!
    }
}
