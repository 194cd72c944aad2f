import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

func fnv1a64(_ bytes: [UInt8]) -> String {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
    let s = String(h, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
}

final class ImageDecodeTests: XCTestCase {
    /// Every sample decodes to exactly the pixels PIL gives RapidOCR (alpha on white).
    func testSamplesMatchPIL() throws {
        let index = try OCRGolden.json("decode.json") as! [String: [String: Any]]
        XCTAssertEqual(index.count, 13)
        for (name, e) in index.sorted(by: { $0.key < $1.key }) {
            let img = try RGBImage(contentsOf: try OCRSamples.path(name))
            XCTAssertEqual(img.width, e["width"] as? Int, name)
            XCTAssertEqual(img.height, e["height"] as? Int, name)
            let hash = fnv1a64(img.pixels)
            if hash != e["fnv1a64"] as? String {
                // Diagnose on the stored [::4, ::4] subsample.
                let sub = try OCRGolden.image("decode/" + name.split(separator: ".")[0] + ".npy")
                var worst = 0
                for y in 0..<sub.height { for x in 0..<sub.width {
                    let a = img.pixel(x: 4 * x, y: 4 * y), b = sub.pixel(x: x, y: y)
                    worst = max(worst, abs(Int(a.0) - Int(b.0)), abs(Int(a.1) - Int(b.1)), abs(Int(a.2) - Int(b.2)))
                } }
                XCTFail("\(name): decoded pixels differ from PIL (max |diff| on subsample \(worst))")
            }
        }
    }

    func testDecodeFromMemoryEqualsFromPath() throws {
        let p = try OCRSamples.path("text_cls.jpg")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: p)))
        XCTAssertEqual(try RGBImage(encoded: bytes), try RGBImage(contentsOf: p))
    }

    func testExifOrientation() throws {
        // A real JPEG with an APP1 Exif segment spliced in after SOI (orientation 6 = 90° CW).
        let p = try OCRSamples.path("text_cls.jpg")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: p)))
        func withOrientation(_ o: UInt8, bigEndian: Bool) -> [UInt8] {
            let tiff: [UInt8] = bigEndian
                ? [0x4D, 0x4D, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, o, 0, 0, 0, 0, 0, 0]
                : [0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, o, 0, 0, 0, 0, 0, 0, 0]
            let payload: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0] + tiff
            let len = payload.count + 2
            return [0xFF, 0xD8, 0xFF, 0xE1, UInt8(len >> 8), UInt8(len & 0xFF)] + payload + bytes[2...]
        }
        let plain = try RGBImage(encoded: bytes)
        for be in [false, true] {
            let b6 = withOrientation(6, bigEndian: be)
            XCTAssertEqual(exifOrientation(jpeg: b6), 6)
            XCTAssertEqual(try RGBImage(encoded: b6), plain, "orientation is ignored by default, as RapidOCR/PIL do")
            let r6 = try RGBImage(encoded: b6, options: .init(applyExifOrientation: true))
            XCTAssertEqual(r6, plain.rotated90Clockwise())
            let r3 = try RGBImage(encoded: withOrientation(3, bigEndian: be), options: .init(applyExifOrientation: true))
            XCTAssertEqual(r3, plain.rotated180())
            let r8 = try RGBImage(encoded: withOrientation(8, bigEndian: be), options: .init(applyExifOrientation: true))
            XCTAssertEqual(r8, plain.rotated90CounterClockwise())
        }
        XCTAssertNil(exifOrientation(jpeg: bytes))
    }

    func testBadImagesGiveClearErrors() throws {
        func message(_ bytes: [UInt8], _ opts: ImageDecodeOptions = .init()) -> String {
            do { _ = try RGBImage(encoded: bytes, name: "x", options: opts); return "no error" } catch { return "\(error)" }
        }
        let png = try [UInt8](Data(contentsOf: try OCRGolden.url("png/rgb8.png")))
        let jpg = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try OCRSamples.path("ch_en_num.jpg"))))
        XCTAssertTrue(message([]).contains("empty"), message([]))
        XCTAssertTrue(message(Array("hello world, not an image".utf8)).contains("not a PNG or JPEG"))
        for cut in [8, 20, 40, png.count - 20] {
            let m = message(Array(png[0..<cut]))
            XCTAssertTrue(m.contains("cannot decode PNG"), "PNG cut at \(cut): \(m)")
        }
        for cut in [3, 100, jpg.count / 2, jpg.count - 10] {
            let m = message(Array(jpg[0..<cut]))
            XCTAssertTrue(m.contains("cannot decode JPEG"), "JPEG cut at \(cut): \(m)")
        }
        var corrupt = png
        corrupt[40] ^= 0xFF  // inside IDAT: CRC mismatch
        XCTAssertTrue(message(corrupt).contains("cannot decode PNG"))
        // Size limit applies from the header.
        XCTAssertTrue(message(png, .init(maxPixels: 100)).contains("over the limit"), message(png, .init(maxPixels: 100)))
        XCTAssertTrue(message(jpg, .init(maxPixels: 1000)).contains("over the limit"))
        // A header claiming 100000 x 100000 is refused before any allocation.
        var huge = png
        huge.replaceSubrange(16..<24, with: [0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0])
        let crc = crc32(Array(huge[12..<29]))
        huge.replaceSubrange(29..<33, with: [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)])
        XCTAssertTrue(message(huge).contains("100000x100000"), message(huge))
        // Zero width.
        var zero = png
        zero.replaceSubrange(16..<20, with: [0, 0, 0, 0])
        XCTAssertTrue(message(zero).contains("cannot decode PNG"))
        XCTAssertThrowsError(try RGBImage(contentsOf: "/nonexistent/image.png"))
    }
}

private func crc32(_ bytes: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for b in bytes {
        c ^= UInt32(b)
        for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
    }
    return c ^ 0xFFFF_FFFF
}
