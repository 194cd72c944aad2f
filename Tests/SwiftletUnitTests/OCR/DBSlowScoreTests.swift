import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// DB score_mode "slow" (mean probability inside the contour) against RapidOCR 1.4.4's
/// box_score_slow / cv2.fillPoly (golden/ocr/db_slow.json, tools/golden.py ocr-db-slow).
/// Tolerances: mask pixel counts identical, scores within 1e-5 (float32 map, sums in
/// double on both sides), boxes identical in count and order, corners within 2 px.
final class DBSlowScoreTests: XCTestCase {
    static let scoreTolerance: Float = 1e-5

    /// The seeded blob bitmaps of the generator: LCG below 2^31, 45% foreground, odd seeds dilated.
    static func blobBitmap(seed: Int, width: Int, height: Int) -> [UInt8] {
        var state = seed
        var bits = [UInt8](repeating: 0, count: width * height)
        for i in bits.indices {
            state = (state * 1103515245 + 12345) % (1 << 31)
            bits[i] = (state >> 8) % 100 < 45 ? 1 : 0
        }
        return seed % 2 == 1 ? dilate2x2(bits, width: width, height: height) : bits
    }

    func testContourMasksAndScoresMatchCV2() throws {
        let ref = try XCTUnwrap(OCRGolden.json("db_slow.json") as? [String: Any])
        let blobs = try XCTUnwrap(ref["blobs"] as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(blobs.count, 6)
        var checked = 0
        for blob in blobs {
            let seed = blob["seed"] as! Int, w = blob["width"] as! Int, h = blob["height"] as! Int
            let bits = Self.blobBitmap(seed: seed, width: w, height: h)
            let map = (0..<(w * h)).map { i in Float(Double((7 * (i % w) + 13 * (i / w)) % 101) / 100) }
            let contours = findContours(bits, width: w, height: h)
            let want = try XCTUnwrap(blob["contours"] as? [[String: Any]])
            XCTAssertEqual(contours.count, want.count, "seed \(seed): contour count")
            for (c, r) in zip(contours, want) {
                let first = r["rect"] as! [Int]
                let minX = Int(c.xs.min()!), minY = Int(c.ys.min()!)
                XCTAssertEqual([minX, minY, Int(c.xs.max()!), Int(c.ys.max()!)], first, "seed \(seed): contour order")
                let mw = Int(c.xs.max()!) - minX + 1, mh = Int(c.ys.max()!) - minY + 1
                var mask = [Bool](repeating: false, count: mw * mh)
                fillPolygon(&mask, width: mw, height: mh, xs: c.xs.map { Int($0) - minX }, ys: c.ys.map { Int($0) - minY })
                XCTAssertEqual(mask.filter { $0 }.count, r["mask_pixels"] as! Int, "seed \(seed) contour in \(first): mask pixels")
                let score = map.withUnsafeBufferPointer { boxScoreSlow($0, width: w, height: h, contour: c) }
                XCTAssertEqual(score, Float(r["score"] as! Double), accuracy: Self.scoreTolerance, "seed \(seed) contour in \(first)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 300)
    }

    func testSlowModeBoxesMatchRapidOCROnRecordedMaps() throws {
        let ref = try XCTUnwrap(OCRGolden.json("db_slow.json") as? [String: Any])
        let want = try XCTUnwrap(ref["runs"] as? [String: [[String: Any]]])
        let runs = try RecordedRun.all()
        XCTAssertEqual(Set(runs.map(\.name)), Set(want.keys))
        var boxes = 0, worstScore: Float = 0
        for run in runs {
            let call = try XCTUnwrap(run.calls.first { $0["kind"] as? String == "det" })
            let size = run.det["image_size"] as! [Int]
            var opts = OCROptions(preset: run.preset)
            opts.scoreMode = .slow
            let m = try run.detMap(call)
            let got = m.values.withUnsafeBufferPointer {
                DBPostprocess(opts).boxes(map: $0, width: m.width, height: m.height, destWidth: size[0], destHeight: size[1])
            }
            let r = want[run.name] ?? []
            XCTAssertEqual(got.count, r.count, "\(run.name): box count")
            for (g, w) in zip(got, r) {
                let box = (w["box"] as! [[Double]]).map { OCRPoint(x: Float($0[0]), y: Float($0[1])) }
                XCTAssertLessThanOrEqual(maxPointDistance(g.points, box), 2, "\(run.name): \(g.points) vs \(box)")
                let d = abs(g.score - Float(w["score"] as! Double))
                worstScore = max(worstScore, d)
                XCTAssertLessThanOrEqual(d, Self.scoreTolerance, "\(run.name): score")
                boxes += 1
            }
        }
        print("DB score_mode slow vs RapidOCR: \(boxes) boxes, max score diff \(worstScore)")
        XCTAssertGreaterThan(boxes, 50)
    }

    func testScoreModesDifferOnConcaveText() {
        // An L-shaped region: the min-area rectangle covers background the contour excludes.
        let w = 30, h = 30
        var bits = [UInt8](repeating: 0, count: w * h)
        var map = [Float](repeating: 0.05, count: w * h)
        for y in 5..<25 { for x in 5..<10 { bits[y * w + x] = 1; map[y * w + x] = 0.9 } }
        for y in 20..<25 { for x in 5..<25 { bits[y * w + x] = 1; map[y * w + x] = 0.9 } }
        let c = findContours(bits, width: w, height: h)
        XCTAssertEqual(c.count, 1)
        let slow = map.withUnsafeBufferPointer { boxScoreSlow($0, width: w, height: h, contour: c[0]) }
        XCTAssertEqual(slow, 0.9, accuracy: 1e-6, "the contour's mask is exactly the L")
        let fast = map.withUnsafeBufferPointer { p in boxScoreFast(p, width: w, height: h, box: miniBox(xs: c[0].xs, ys: c[0].ys).box) }
        XCTAssertLessThan(fast, 0.8, "the rectangle takes in background")
    }
}
