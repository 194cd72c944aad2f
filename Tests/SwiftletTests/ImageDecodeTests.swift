import Foundation
import XCTest
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

    func testDecodeFromMemoryEqualsFromPath() throws {
        let p = try OCRSamples.path("text_cls.jpg")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: p)))
        XCTAssertEqual(try RGBImage(encoded: bytes), try RGBImage(contentsOf: p))
    }

    func testRawBuffers() throws {
        // 2x2, rows padded to 8 (BGR) / 9 (RGBA) bytes.
        let bgr: [UInt8] = [1, 2, 3, 4, 5, 6, 99, 99, 7, 8, 9, 10, 11, 12, 99, 99]
        let a = try bgr.withUnsafeBytes { try RGBImage(raw: $0, width: 2, height: 2, stride: 8, layout: .bgr) }
        XCTAssertEqual(a.pixels, [3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10])
        let rgba: [UInt8] = [10, 20, 30, 255, 0, 0, 0, 0, 9, 100, 100, 100, 128, 200, 0, 50, 255, 9]
        let b = try rgba.withUnsafeBytes { try RGBImage(raw: $0, width: 2, height: 2, stride: 9, layout: .rgba) }
        // alpha 0 -> white; alpha 128 over white: (100*128 + 255*127 + 127)/255 = 177
        XCTAssertEqual(b.pixels, [10, 20, 30, 255, 255, 255, 177, 177, 177, 255, 255, 255].enumerated().map { i, v in
            i >= 9 ? compositeOnWhite([200, 0, 50][i - 9], 255) : v })
        let g: [UInt8] = [7, 8, 9, 10]
        let c = try g.withUnsafeBytes { try RGBImage(raw: $0, width: 2, height: 2, layout: .gray) }
        XCTAssertEqual(c.pixels, [7, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10, 10])
        XCTAssertThrowsError(try g.withUnsafeBytes { try RGBImage(raw: $0, width: 3, height: 2, layout: .gray) })
        XCTAssertThrowsError(try g.withUnsafeBytes { try RGBImage(raw: $0, width: 2, height: 2, stride: 1, layout: .gray) })
        XCTAssertThrowsError(try g.withUnsafeBytes { try RGBImage(raw: $0, width: 0, height: 2, layout: .gray) })
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

    func testRotationsAreConsistent() throws {
        let img = try RGBImage(width: 3, height: 2, pixels: (0..<18).map { UInt8($0) })
        XCTAssertEqual(img.rotated90Clockwise().rotated90CounterClockwise(), img)
        XCTAssertEqual(img.rotated90Clockwise().rotated90Clockwise(), img.rotated180())
        // np.rot90: the top-right pixel becomes the top-left one.
        XCTAssertEqual(img.rotated90CounterClockwise().pixel(x: 0, y: 0).0, img.pixel(x: 2, y: 0).0)
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
