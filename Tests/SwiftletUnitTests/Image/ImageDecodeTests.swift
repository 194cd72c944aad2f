import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Decoding and pixel transforms on committed PNGs and in-memory buffers.
final class ImageDecodeTests: XCTestCase {
    /// Synthetic PNGs cover every colour type, bit depth, tRNS and Adam7 interlacing.
    func testPNGVariants() throws {
        let names = ["gray1", "gray4", "gray8", "gray16", "gray8_trns", "graya8", "rgb8", "rgb8_interlaced", "rgb16",
                     "rgba8", "rgba8_interlaced", "rgba16", "palette4", "palette8_trns"]
        for n in names {
            let img = try RGBImage(contentsOf: try OCRGolden.url("png/\(n).png").path)
            let want = try OCRGolden.image("png/\(n).npy")
            XCTAssertEqual(img.width, want.width, n)
            XCTAssertEqual(img.height, want.height, n)
            XCTAssertEqual(pixelDiff(img, want).count, 0, "\(n): pixels differ")
        }
    }

    func testRawBuffers() throws {
        // 2x2, rows padded to 8 (BGR) / 9 (RGBA) bytes.
        let bgr: [UInt8] = [1, 2, 3, 4, 5, 6, 99, 99, 7, 8, 9, 10, 11, 12, 99, 99]
        let a = try bgr.withUnsafeBytes { try RGBImage(raw: $0, width: 2, height: 2, stride: 8, layout: .bgr) }
        XCTAssertEqual(a.pixels, [3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10])
        let rgba: [UInt8] = [10, 20, 30, 255, 0, 0, 0, 0, 9, 100, 100, 100, 128, 200, 0, 50, 255, 9]
        let b = try rgba.withUnsafeBytes { try RGBImage(raw: $0, width: 2, height: 2, stride: 9, layout: .rgba) }
        // Visible pixels are dark (mean luminance 61.2 < 128), so the background is white:
        // alpha 0 -> white; alpha 128: float32 100·(128/255) + 255·(1 − 128/255) = 177.19 -> 177.
        XCTAssertEqual(b.pixels, [10, 20, 30, 255, 255, 255, 177, 177, 177, 200, 0, 50])
        let g: [UInt8] = [7, 8, 9, 10]
        let c = try g.withUnsafeBytes { try RGBImage(raw: $0, width: 2, height: 2, layout: .gray) }
        XCTAssertEqual(c.pixels, [7, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10, 10])
        XCTAssertThrowsError(try g.withUnsafeBytes { try RGBImage(raw: $0, width: 3, height: 2, layout: .gray) })
        XCTAssertThrowsError(try g.withUnsafeBytes { try RGBImage(raw: $0, width: 2, height: 2, stride: 1, layout: .gray) })
        XCTAssertThrowsError(try g.withUnsafeBytes { try RGBImage(raw: $0, width: 0, height: 2, layout: .gray) })
    }

    func testRotationsAreConsistent() throws {
        let img = try RGBImage(width: 3, height: 2, pixels: (0..<18).map { UInt8($0) })
        XCTAssertEqual(img.rotated90Clockwise().rotated90CounterClockwise(), img)
        XCTAssertEqual(img.rotated90Clockwise().rotated90Clockwise(), img.rotated180())
        // np.rot90: the top-right pixel becomes the top-left one.
        XCTAssertEqual(img.rotated90CounterClockwise().pixel(x: 0, y: 0).0, img.pixel(x: 2, y: 0).0)
    }
}
