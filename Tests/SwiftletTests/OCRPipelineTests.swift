import Foundation
import XCTest
@testable import Swiftlet

/// Plays back the network outputs onnxruntime produced inside a recorded RapidOCR run.
/// Each input the pipeline builds must match a recorded one: the det input by shape and
/// checksum, every cls/rec batch row by width and per-row checksums (1e-4 relative: resize
/// may differ from cv2 by 1 level on a few bytes). Rows are matched by content, not slot,
/// because numpy's argsort is not stable and crops of equal aspect ratio may be batched in
/// another order than our stable sort gives (each row's output depends only on that row).
final class ReplayModels: OCRModels, @unchecked Sendable {
    struct Row { let kind: String; let width: Int; let sum: Double; let abs: Double; let call: Int; let index: Int }
    let run: RecordedRun
    private var rows: [Row] = []
    private var used: Set<Int> = []
    private var detDone = false
    private var batches = 0
    private let lock = NSLock()
    var worstInputRelDiff = 0.0

    init(_ run: RecordedRun) {
        self.run = run
        for (ci, c) in (run.json["calls"] as? [[String: Any]] ?? []).enumerated() where c["kind"] as? String != "det" {
            let w = (c["input_shape"] as! [Int])[3]
            for (ri, cs) in (c["row_checksums"] as! [[Double]]).enumerated() {
                rows.append(Row(kind: c["kind"] as! String, width: w, sum: cs[0], abs: cs[1], call: ci, index: ri))
            }
        }
    }

    var hasClassifier: Bool { true }
    /// Every recorded row was asked for, in as many batches as RapidOCR ran.
    var consumedAll: Bool {
        let recorded = run.calls.count
        return used.count == rows.count && detDone == run.calls.contains { $0["kind"] as? String == "det" } && batches + (detDone ? 1 : 0) == recorded
    }

    private func rel(_ a: Double, _ b: Double, _ scale: Double) -> Double { Swift.abs(a - b) / max(scale, 1) }

    /// Recorded (call, row) for each row of `x`.
    private func match(_ kind: String, _ x: Tensor) throws -> [(call: [String: Any], row: Int)] {
        lock.lock(); defer { lock.unlock() }
        batches += 1
        let n = x.shape[0], per = x.shape.dropFirst().reduce(1, *), w = x.shape[3]
        let v = x.floatArray()
        var out: [(call: [String: Any], row: Int)] = []
        for r in 0..<n {
            var s = 0.0, a = 0.0
            for i in (r * per)..<((r + 1) * per) { s += Double(v[i]); a += Swift.abs(Double(v[i])) }
            var best = -1, bestD = Double.infinity
            for (k, row) in rows.enumerated() where !used.contains(k) && row.kind == kind && row.width == w {
                let d = max(rel(s, row.sum, row.abs), rel(a, row.abs, row.abs))
                if d < bestD { best = k; bestD = d }
            }
            guard best >= 0, bestD <= 1e-4 else {
                throw SwiftletError.runtime("\(run.name): \(kind) row \(r) of \(x.shape) matches no recorded input (closest rel diff \(bestD))")
            }
            used.insert(best)
            worstInputRelDiff = max(worstInputRelDiff, bestD)
            out.append((run.calls[rows[best].call], rows[best].index))
        }
        return out
    }

    func detect(_ input: Tensor) throws -> Tensor {
        guard let c = run.calls.first, c["kind"] as? String == "det", !detDone else { throw SwiftletError.runtime("\(run.name): unexpected det call") }
        detDone = true
        guard input.shape == c["input_shape"] as! [Int] else {
            throw SwiftletError.runtime("\(run.name): det input \(input.shape) vs recorded \(c["input_shape"]!)")
        }
        let want = c["input_checksum"] as! [Double]
        var s = 0.0, a = 0.0
        for f in input.floatArray() { s += Double(f); a += Swift.abs(Double(f)) }
        let d = max(rel(s, want[0], want[1]), rel(a, want[1], want[1]))
        worstInputRelDiff = max(worstInputRelDiff, d)
        guard d <= 1e-4 else { throw SwiftletError.runtime("\(run.name): det input checksum \([s, a]) vs \(want)") }
        let m = try run.detMap(c)
        return try Tensor(floats: m.values, shape: [1, 1, m.height, m.width])
    }

    func classify(_ input: Tensor) throws -> Tensor {
        let m = try match("cls", input)
        let vals = m.flatMap { (c, r) in (c["output"] as! [[Double]])[r].map(Float.init) }
        return try Tensor(floats: vals, shape: [m.count, 2])
    }

    func recognize(_ input: Tensor) throws -> Tensor {
        let m = try match("rec", input)
        let shape = m[0].call["output_shape"] as! [Int]
        let t = shape[1], classes = shape[2]
        var dense = [Float](repeating: 0, count: m.count * t * classes)
        for (n, (c, r)) in m.enumerated() {
            guard (c["output_shape"] as! [Int])[1] == t else { throw SwiftletError.runtime("\(run.name): rec rows of different lengths in one batch") }
            let idx = (c["top_idx"] as! [[[Int]]])[r], val = (c["top_val"] as! [[[Double]]])[r]
            for s in 0..<t { for k in 0..<idx[s].count { dense[(n * t + s) * classes + idx[s][k]] = Float(val[s][k]) } }
        }
        return try Tensor(floats: dense, shape: [m.count, t, classes])
    }
}

func rapidOCRDictionary() throws -> [String] {
    let text = try String(contentsOf: try OCRGolden.url("ppocrv4_keys.txt"), encoding: .utf8)
    var lines = text.components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    return lines
}

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
