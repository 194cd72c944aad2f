import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

final class DBPostprocessTests: XCTestCase {
    /// Found by the cabi fuzz target (Fuzz/Regressions/cabi/unclip-small-ratio): an offset
    /// under 0.125 px took acos of a value below -1 and trapped converting NaN to Int.
    /// Expected points: pyclipper 1.4.0's PyclipperOffset.Execute on the same box and
    /// distance (shapely area × ratio / length), as RapidOCR calls it.
    func testSmallUnclipRatioMatchesPyclipper() {
        let box: [(Float, Float)] = [(10.3, 10.7), (40.2, 10.1), (40.9, 20.4), (10.5, 20.9)]
        for ratio in [0.01, 0.002] {  // delta 0.0383, 0.00765
            let (xs, ys) = unclip(box, ratio: ratio)
            let points = Set(zip(xs, ys).map { "\($0.0),\($0.1)" })
            XCTAssertEqual(points, ["40,20", "10,20", "10,10", "40,10"], "ratio \(ratio)")
        }
    }

    /// Same det map in, RapidOCR's boxes out: same count and order, every corner within 2 px.
    func testBoxesMatchRapidOCR() throws {
        var worst: Float = 0, total = 0, exact = 0
        let runs = try RecordedRun.all()
        XCTAssertGreaterThanOrEqual(runs.count, 15)
        for run in runs {
            guard let call = run.calls.first, call["kind"] as? String == "det" else { XCTFail("\(run.name): no det call"); continue }
            let size = run.det["image_size"] as! [Int]
            let opts = OCROptions(preset: run.preset)
            let inShape = call["input_shape"] as! [Int]
            let want = DetPreprocess.inputSize(width: size[0], height: size[1], limitSideLen: opts.limitSideLen, limitType: opts.limitType)
            XCTAssertEqual(want?.width, inShape[3], "\(run.name): det input width")
            XCTAssertEqual(want?.height, inShape[2], "\(run.name): det input height")
            let m = try run.detMap(call)
            let got = m.values.withUnsafeBufferPointer {
                readingOrder(DBPostprocess(opts).boxes(map: $0, width: m.width, height: m.height, destWidth: size[0], destHeight: size[1]))
            }
            let ref = quads(run.det["boxes"])
            XCTAssertEqual(got.count, ref.count, "\(run.name): box count")
            for (g, r) in zip(got, ref) {
                let d = maxPointDistance(g.points, r)
                worst = max(worst, d); total += 1
                if d == 0 { exact += 1 } else { print("DIFF \(run.name): \(g.points) vs \(r)") }
                XCTAssertLessThanOrEqual(d, 2, "\(run.name): box \(g.points) vs \(r)")
            }
        }
        print("DB postprocess vs RapidOCR: \(total) boxes, \(exact) identical, max corner diff \(worst) px")
    }

    func testContoursFollowCV2Order() {
        // Two blobs and a blob with a one-pixel hole; cv2 returns their first points as [(1,10), (11,5) hole, (10,3), (2,2)].
        var m = [UInt8](repeating: 0, count: 20 * 20)
        func fill(_ y0: Int, _ y1: Int, _ x0: Int, _ x1: Int) { for y in y0..<y1 { for x in x0..<x1 { m[y * 20 + x] = 1 } } }
        fill(2, 5, 2, 5); fill(10, 14, 1, 4); fill(3, 8, 10, 15); m[5 * 20 + 12] = 0
        let cs = findContours(m, width: 20, height: 20)
        XCTAssertEqual(cs.count, 4)
        XCTAssertEqual(cs.map { [$0.xs[0], $0.ys[0]] }, [[1, 10], [11, 5], [10, 3], [2, 2]])
        XCTAssertEqual(Set(zip(cs[1].xs, cs[1].ys).map { [$0, $1] }), Set([[11, 5], [12, 4], [13, 5], [12, 6]]))
    }
}
