import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// `LineOrder.rows` against RapidOCR 3.10.0's TextDetector.sorted_boxes on the cases of
/// golden/ppocrv6/reading_order.json (tools/golden.py ppocrv6-order: rows whose top edges
/// wander by up to 14 px, repeated x and y values): the same order, exactly.
final class ReadingOrderRowsTests: XCTestCase {
    func testMatchesRapidOCR3() throws {
        let ref = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: TestPaths.goldenFile("ppocrv6/reading_order.json"))) as? [String: Any])
        let cases = try XCTUnwrap(ref["cases"] as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(cases.count, 50)
        var differsFromBubble = 0
        for (k, c) in cases.enumerated() {
            let quads = try XCTUnwrap(c["boxes"] as? [[[Double]]])
            // The box's input index rides in its score, to read the order back.
            let boxes = quads.enumerated().map { i, q in
                DetectedBox(points: q.map { OCRPoint(x: Float($0[0]), y: Float($0[1])) }, score: Float(i))
            }
            let want = try XCTUnwrap(c["order"] as? [Int])
            XCTAssertEqual(readingOrderByRows(boxes).map { Int($0.score) }, want, "case \(k)")
            if readingOrder(boxes).map({ Int($0.score) }) != want { differsFromBubble += 1 }
        }
        // The cases must exercise what tells the two rules apart, or this test proves little.
        print("reading order: \(differsFromBubble)/\(cases.count) cases ordered differently by RapidOCR 1.4.4's rule")
        XCTAssertGreaterThan(differsFromBubble, 0)
    }
}
