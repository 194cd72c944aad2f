import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// The rendered corpus of golden/ocr/synthetic (tools/golden.py ocr-corpus: DejaVu and Noto
/// CJK lines in Latin, digits, Chinese and Japanese on plain, gradient, noisy and dark
/// backgrounds, some rotated by 1–4°), read with PP-OCRv4 and PP-OCRv5:
///  (a) parity with RapidOCR 1.4.4 on every image (OCRParityTally: boxes within 2 px, text
///      identical on ≥ 98% of lines, CER ≤ 1%);
///  (b) on the clean lines (truth.json `clean`: plain background, no rotation, size ≥ 20 px,
///      characters in the dictionary, read exactly by the reference), Swiftlet's text equals
///      the rendered text exactly.
final class OCRSyntheticTests: XCTestCase {
    func testPPOCRv4OnRenderedCorpus() throws { try check("ppocrv4", minClean: 15) }
    func testPPOCRv5OnRenderedCorpus() throws { try check("ppocrv5", minClean: 15) }

    private func check(_ set: String, minClean: Int) throws {
        let dir = try OCRGolden.url("synthetic")
        let truth = try XCTUnwrap((OCRGolden.json("synthetic/truth.json") as? [String: Any])?["images"] as? [String: [String: Any]])
        let ref = try XCTUnwrap(OCRGolden.json("synthetic/ref-\(set).json") as? [String: Any])
        let models = try XCTUnwrap(ref["models"] as? [String])
        let runs = try XCTUnwrap((ref["runs"] as? [String: Any])?["rapidocr"] as? [String: [String: Any]])
        XCTAssertEqual(Set(runs.keys), Set(truth.keys), "\(set): reference and ground truth cover the same images")
        XCTAssertGreaterThanOrEqual(truth.count, 30)
        let ocr = try ocrEngine(models: models, preset: .rapidocr)
        var tally = OCRParityTally()
        var clean = 0, cleanRight = 0, allLines = 0, allRight = 0
        for (name, rec) in truth.sorted(by: { $0.key < $1.key }) {
            let got = try ocr.recognize(path: dir.appendingPathComponent(name).path)
            tally.compare(got, try XCTUnwrap(runs[name]?["lines"] as? [[String: Any]]), context: "synthetic/\(set)/\(name)")
            for line in try XCTUnwrap(rec["lines"] as? [[String: Any]]) {
                let text = line["text"] as! String
                let box = (line["box"] as! [[Double]]).map { OCRPoint(x: Float($0[0]), y: Float($0[1])) }
                let hits = got.filter { contains(box, centre($0.box)) }
                let exact = hits.count == 1 && hits[0].text == text
                allLines += 1
                if exact { allRight += 1 }
                guard (line["clean"] as? [String: Bool])?[set] == true else { continue }
                clean += 1
                if exact { cleanRight += 1 }
                XCTAssertTrue(exact, "\(set) \(name): clean line '\(text)' read as \(hits.map(\.text))")
            }
        }
        print("OCR synthetic (\(set)): ground truth \(cleanRight)/\(clean) clean lines exact, \(allRight)/\(allLines) of all lines")
        XCTAssertGreaterThanOrEqual(clean, minClean, "\(set): too few clean lines in truth.json")
        tally.assertWithinContract(minLines: 60, "synthetic \(set)")
    }

    private func centre(_ q: [OCRPoint]) -> OCRPoint {
        OCRPoint(x: q.map(\.x).reduce(0, +) / Float(q.count), y: q.map(\.y).reduce(0, +) / Float(q.count))
    }

    /// Inside the quad's bounding rectangle (clean lines are axis-aligned), as the generator tests it.
    private func contains(_ q: [OCRPoint], _ p: OCRPoint) -> Bool {
        p.x >= q.map(\.x).min()! && p.x <= q.map(\.x).max()! && p.y >= q.map(\.y).min()! && p.y <= q.map(\.y).max()!
    }
}
