import Foundation
import XCTest
@testable import Swiftlet

final class TextCropTests: XCTestCase {
    func testDegenerateBoxIsAnError() throws {
        let img = try RGBImage(width: 4, height: 4, pixels: [UInt8](repeating: 9, count: 48))
        let p = OCRPoint(x: 1, y: 1)
        XCTAssertThrowsError(try cropTextBox(img, [p, p, p, p]))
    }
}
