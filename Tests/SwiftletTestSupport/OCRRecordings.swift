import Foundation
import XCTest
import Swiftlet

/// One recorded RapidOCR run (golden/ocr/pipeline/NAME.json).
package struct RecordedRun {
    package let name: String
    package let json: [String: Any]
    package var preset: OCROptions.Preset { OCROptions.Preset(rawValue: json["preset"] as! String)! }
    package var calls: [[String: Any]] { json["calls"] as! [[String: Any]] }
    package var det: [String: Any] { json["det"] as! [String: Any] }
    package var lines: [[String: Any]] { json["lines"] as! [[String: Any]] }

    package init(name: String, json: [String: Any]) {
        self.name = name
        self.json = json
    }

    package static func all() throws -> [RecordedRun] {
        let dir = try OCRGolden.url("pipeline")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { n in
            RecordedRun(name: String(n.dropLast(5)), json: try OCRGolden.json("pipeline/" + n) as! [String: Any])
        }
    }

    /// The det probability map the model produced, [H, W].
    package func detMap(_ call: [String: Any]) throws -> (values: [Float], width: Int, height: Int) {
        let shape = call["output_shape"] as! [Int]
        let v = try OCRGolden.float16z("pipeline/" + (call["map"] as! String), count: shape[2] * shape[3])
        return (v, shape[3], shape[2])
    }
}

package func quads(_ any: Any?) -> [[OCRPoint]] {
    (any as! [[[Double]]]).map { q in q.map { OCRPoint(x: Float($0[0]), y: Float($0[1])) } }
}

package func maxPointDistance(_ a: [OCRPoint], _ b: [OCRPoint]) -> Float {
    zip(a, b).map { max(abs($0.x - $1.x), abs($0.y - $1.y)) }.max() ?? 0
}

/// Plays back the network outputs onnxruntime produced inside a recorded RapidOCR run.
/// Each input the pipeline builds must match a recorded one: the det input by shape and
/// checksum, every cls/rec batch row by width and per-row checksums (1e-4 relative: resize
/// may differ from cv2 by 1 level on a few bytes). Rows are matched by content, not slot,
/// because numpy's argsort is not stable and crops of equal aspect ratio may be batched in
/// another order than our stable sort gives (each row's output depends only on that row).
package final class ReplayModels: OCRModels, @unchecked Sendable {
    struct Row { let kind: String; let width: Int; let sum: Double; let abs: Double; let call: Int; let index: Int }
    package let run: RecordedRun
    private var rows: [Row] = []
    private var used: Set<Int> = []
    private var detDone = false
    private var batches = 0
    private let lock = NSLock()
    package var worstInputRelDiff = 0.0

    package init(_ run: RecordedRun) {
        self.run = run
        for (ci, c) in (run.json["calls"] as? [[String: Any]] ?? []).enumerated() where c["kind"] as? String != "det" {
            let w = (c["input_shape"] as! [Int])[3]
            for (ri, cs) in (c["row_checksums"] as! [[Double]]).enumerated() {
                rows.append(Row(kind: c["kind"] as! String, width: w, sum: cs[0], abs: cs[1], call: ci, index: ri))
            }
        }
    }

    package var hasClassifier: Bool { true }
    /// Every recorded row was asked for, in as many batches as RapidOCR ran.
    package var consumedAll: Bool {
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

    package func detect(_ input: Tensor) throws -> Tensor {
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

    package func classify(_ input: Tensor) throws -> Tensor {
        let m = try match("cls", input)
        let vals = m.flatMap { (c, r) in (c["output"] as! [[Double]])[r].map(Float.init) }
        return try Tensor(floats: vals, shape: [m.count, 2])
    }

    package func recognize(_ input: Tensor) throws -> Tensor {
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

package func rapidOCRDictionary() throws -> [String] {
    let text = try String(contentsOf: try OCRGolden.url("ppocrv4_keys.txt"), encoding: .utf8)
    var lines = text.components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    return lines
}

