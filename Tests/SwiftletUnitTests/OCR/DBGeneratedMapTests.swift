import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// DB post-processing on 400 generated probability maps (slanted bars of every slope and
/// thickness, soft edges, texture) against RapidOCR 1.4.4's DBPostProcess + filter_tag_det_res
/// (golden/ocr/db_random.json, `tools/golden.py ocr-db-random`): presets rapidocr and paddle,
/// and paddle with score_mode slow. Contract: the same boxes in the same order with
/// **identical** corners (0 px: OpenCV's and pyclipper's rounding reproduced, not
/// approximated); scores within 1e-5. And the polygon fill both scores use, pixel for pixel
/// against cv2.fillPoly on 600 random polygons.
final class DBGeneratedMapTests: XCTestCase {
    static let scoreTolerance: Float = 1e-5

    /// The generator's numbers: an LCG below 2^31, the same draws in the same order.
    struct LCG {
        var state: Int
        mutating func next(_ n: Int) -> Int {
            state = (state * 1103515245 + 12345) % (1 << 31)
            return (state >> 8) % n
        }
    }

    /// Mirrors `db_map` of the generator in integer arithmetic, so the float32 values agree bit for bit.
    static func map(seed: Int) -> (values: [Float], width: Int, height: Int, destWidth: Int, destHeight: Int) {
        var r = LCG(state: seed)
        let h = 48 + r.next(160), w = 64 + r.next(352)
        var v = [Int](repeating: 0, count: w * h)
        for _ in 0..<(1 + r.next(6)) {
            let x0 = r.next(w), y0 = r.next(h)
            let x1 = min(w - 1, x0 + 6 + r.next(w))
            let n = r.next(9) - 4, d = 4 + r.next(13)
            let half = r.next(9), level = 130 + r.next(126)
            for y in 0..<h {
                for x in x0...x1 {
                    let band = abs((y - y0) * d - (x - x0) * n) / d
                    let bar = band <= half ? level : (band <= half + 2 ? level * (half + 3 - band) / 3 : 0)
                    v[y * w + x] = max(v[y * w + x], bar)
                }
            }
        }
        for y in 0..<h {
            for x in 0..<w where v[y * w + x] > 0 {
                let texture = (x * 7 + y * 13 + seed * 5) % 9 - 4
                v[y * w + x] = min(max(v[y * w + x] + texture, 0), 255)
            }
        }
        let dw = w * (1 + r.next(3)) + r.next(23)
        let dh = h * (1 + r.next(3)) + r.next(23)
        return (v.map { Float($0) / 255 }, w, h, dw, dh)
    }

    func testBoxesIdenticalToRapidOCR() throws {
        let ref = try XCTUnwrap(OCRGolden.json("db_random.json") as? [String: Any])
        let cases = try XCTUnwrap(ref["cases"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 400)
        var boxes = 0, identical = 0
        for c in cases {
            let seed = c["seed"] as! Int
            let m = Self.map(seed: seed)
            XCTAssertEqual([m.width, m.height, m.destWidth, m.destHeight],
                           [c["width"], c["height"], c["dest_width"], c["dest_height"]].map { $0 as! Int }, "seed \(seed): generator")
            for (name, preset, mode) in [("rapidocr", OCROptions.Preset.rapidocr, OCROptions.ScoreMode.fast),
                                         ("paddle", .paddle, .fast), ("paddle-slow", .paddle, .slow)] {
                let want = try XCTUnwrap(c[name] as? [[String: Any]])
                var options = OCROptions(preset: preset)
                options.scoreMode = mode
                let got = m.values.withUnsafeBufferPointer {
                    DBPostprocess(options).boxes(map: $0, width: m.width, height: m.height,
                                                                   destWidth: m.destWidth, destHeight: m.destHeight)
                }
                XCTAssertEqual(got.count, want.count, "seed \(seed) \(name): box count")
                for (g, w) in zip(got, want) {
                    let box = (w["box"] as! [[Double]]).map { OCRPoint(x: Float($0[0]), y: Float($0[1])) }
                    boxes += 1
                    if g.points == box { identical += 1 }
                    XCTAssertEqual(g.points, box, "seed \(seed) \(name): corners")
                    XCTAssertEqual(g.score, Float(w["score"] as! Double), accuracy: Self.scoreTolerance, "seed \(seed) \(name): score")
                }
            }
        }
        XCTAssertGreaterThanOrEqual(boxes, 1500)
        print("DB post-processing on generated maps: \(identical)/\(boxes) boxes identical to RapidOCR 1.4.4")
    }

    func testPolygonFillMatchesCV2() throws {
        let ref = try XCTUnwrap(OCRGolden.json("db_random.json") as? [String: Any])
        let polygons = try XCTUnwrap(ref["polygons"] as? [[String: Any]])
        XCTAssertEqual(polygons.count, 600)
        var equal = 0
        for (i, p) in polygons.enumerated() {
            let w = p["width"] as! Int, h = p["height"] as! Int
            let xs = p["xs"] as! [Int], ys = p["ys"] as! [Int]
            var mask = [Bool](repeating: false, count: w * h)
            fillPolygon(&mask, width: w, height: h, xs: xs, ys: ys)
            let hex = Array((p["mask"] as! String).utf8)
            let want = (0..<(w * h)).map { k -> Bool in
                let c = hex[k / 4], nibble = Int(c >= 97 ? c - 87 : c - 48)
                return nibble >> (3 - k % 4) & 1 == 1
            }
            if mask == want { equal += 1 } else { XCTFail("polygon \(i) \(zip(xs, ys).map { [$0, $1] }) in \(w)x\(h): mask differs from cv2.fillPoly") }
        }
        print("fillPolygon vs cv2.fillPoly: \(equal)/\(polygons.count) masks identical")
    }
}
