import Foundation
import XCTest
@testable import Swiftlet

/// The whole OCR pipeline with the real PP-OCRv4 det/rec and cls v2.0 models (RapidOCR
/// 1.4.4's defaults) on the shared sample photos and scans, against the lines RapidOCR on
/// onnxruntime returned for the same pixels (golden/ocr/pipeline/*.json). Contract: boxes
/// within 2 px, text identical on ≥ 98% of lines, character error rate ≤ 1% overall.
final class OCREndToEndTests: XCTestCase {
    static let boxTolerance: Float = 2
    static let minIdenticalLines = 0.98
    static let maxCER = 0.01

    func testPPOCRv4MatchesRapidOCROnSharedSamples() throws {
        let dir = TestPaths.golden.appendingPathComponent("ocr/pipeline")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 10, "expected the recorded RapidOCR runs in \(dir.path)")
        var engines: [String: OCR] = [:]
        var lines = 0, identical = 0, charErrors = 0, refChars = 0
        for f in files {
            let ref = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent(f))) as? [String: Any])
            let image = try XCTUnwrap(ref["image"] as? String)
            let presetName = try XCTUnwrap(ref["preset"] as? String)
            let preset = try XCTUnwrap(OCROptions.Preset(rawValue: presetName))
            if engines[presetName] == nil {
                engines[presetName] = try OCR(detModel: try TestPaths.model("ppocrv4-det"), recModel: try TestPaths.model("ppocrv4-rec"),
                                              clsModel: try TestPaths.model("ppocr-cls-v2"), options: OCROptions(preset: preset, threads: 2))
            }
            // Runs with the second preset are stored as "paddle-<image>".
            let sample = image.hasPrefix("\(presetName)-") ? String(image.dropFirst(presetName.count + 1)) : image
            let got = try engines[presetName]!.recognize(path: try OCRSamples.path(sample))
            let want = try XCTUnwrap(ref["lines"] as? [[String: Any]])
            XCTAssertEqual(got.count, want.count, "\(f): \(got.map(\.text)) vs \(want.map { $0["text"] as? String ?? "" })")
            for (g, w) in zip(got, want) {
                let text = w["text"] as? String ?? ""
                let box = (w["box"] as? [[Double]] ?? []).map { OCRPoint(x: Float($0[0]), y: Float($0[1])) }
                lines += 1
                if g.text == text { identical += 1 }
                charErrors += editDistance(Array(g.text.unicodeScalars), Array(text.unicodeScalars))
                refChars += text.unicodeScalars.count
                XCTAssertEqual(box.count, 4)
                for (p, q) in zip(g.box, box) {
                    XCTAssertLessThanOrEqual(max(abs(p.x - q.x), abs(p.y - q.y)), Self.boxTolerance, "\(f) '\(text)': \(g.box) vs \(box)")
                }
            }
        }
        let share = Double(identical) / Double(max(lines, 1)), cer = Double(charErrors) / Double(max(refChars, 1))
        print("OCR end-to-end (PP-OCRv4): \(identical)/\(lines) lines identical, CER \(cer)")
        XCTAssertGreaterThan(lines, 30)
        XCTAssertGreaterThanOrEqual(share, Self.minIdenticalLines)
        XCTAssertLessThanOrEqual(cer, Self.maxCER)
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
