import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

final class TextCropTests: XCTestCase {
    /// RapidOCR's perspective crops (cv2.warpPerspective, INTER_CUBIC, BORDER_REPLICATE) of
    /// ch_en_num.jpg's 18 detected boxes plus tilted, tall and out-of-image quads.
    /// Tolerance: max |diff| <= 1 per byte (the report prints the measured figures).
    func testMatchesRapidOCRCrops() throws {
        let spec = try OCRGolden.json("warp.json") as! [String: Any]
        let img = try RGBImage(contentsOf: try OCRSamples.path(spec["image"] as! String))
        let boxes = quads(spec["boxes"])
        XCTAssertEqual(boxes.count, 21)
        var worst = 0, differing = 0, total = 0
        for (i, b) in boxes.enumerated() {
            let want = try OCRGolden.image(String(format: "warp/crop%02d.npy", i))
            let got = try cropTextBox(img, b)
            XCTAssertEqual(got.width, want.width, "crop \(i) width")
            XCTAssertEqual(got.height, want.height, "crop \(i) height")
            guard got.width == want.width, got.height == want.height else { continue }
            let d = pixelDiff(got, want)
            XCTAssertLessThanOrEqual(d.max, 1, "crop \(i): max |diff| \(d.max)")
            worst = max(worst, d.max); differing += d.count; total += want.pixels.count
        }
        print("perspective crops vs cv2: \(boxes.count) crops, \(differing)/\(total) bytes differ, max |diff| \(worst)")
    }
}
