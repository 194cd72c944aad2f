import CPNG
import Foundation
import XCTest
import Swiftlet

/// Real images live outside the repository (`.ci/run` points SWIFTLET_OCR_SAMPLES at them);
/// a missing directory is a test failure, never a skip.
package enum OCRSamples {
    package static func dir(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        guard let d = ProcessInfo.processInfo.environment["SWIFTLET_OCR_SAMPLES"], !d.isEmpty else {
            XCTFail("SWIFTLET_OCR_SAMPLES is not set: point it at the ocr-samples directory (.ci/run sets it)", file: file, line: line)
            throw XCTSkip("unreachable: failed above")
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: d, isDirectory: &isDir), isDir.boolValue else {
            XCTFail("SWIFTLET_OCR_SAMPLES=\(d) is not a directory", file: file, line: line)
            throw XCTSkip("unreachable: failed above")
        }
        return URL(fileURLWithPath: d)
    }

    package static func path(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let p = try dir(file: file, line: line).appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: p) else {
            XCTFail("sample image \(p) is missing", file: file, line: line)
            throw XCTSkip("unreachable: failed above")
        }
        return p
    }
}

package enum OCRGolden {
    package static func url(_ rel: String) throws -> URL { try TestPaths.goldenFile("ocr/" + rel) }

    package static func json(_ rel: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url(rel)))
    }

    /// A uint8 [h, w, 3] .npy as an RGBImage (the generator stores RGB order).
    package static func image(_ rel: String) throws -> RGBImage {
        let t = try NPY.read(url(rel).path)
        XCTAssertEqual(t.dtype, .uint8)
        XCTAssertEqual(t.shape.count, 3)
        let bytes = t.withUnsafeBytes { Array($0) }
        return try RGBImage(width: t.shape[1], height: t.shape[0], pixels: bytes)
    }

    /// A BGR uint8 .npy (cv2's order) as an RGBImage.
    package static func bgrImage(_ rel: String) throws -> RGBImage {
        let t = try NPY.read(url(rel).path)
        return try t.withUnsafeBytes { try RGBImage(raw: $0, width: t.shape[1], height: t.shape[0], layout: .bgr) }
    }

    /// zlib-compressed little-endian float16 values (the det probability maps).
    package static func float16z(_ rel: String, count: Int) throws -> [Float] {
        let z = try [UInt8](Data(contentsOf: url(rel)))
        var raw = [UInt8](repeating: 0, count: count * 2)
        let r = z.withUnsafeBufferPointer { s in raw.withUnsafeMutableBufferPointer { d in swl_inflate(s.baseAddress, s.count, d.baseAddress, d.count) } }
        guard r == 0 else { throw SwiftletError.invalidInput("\(rel): cannot inflate \(count) float16 values") }
        return (0..<count).map { i in Float(Float16(bitPattern: UInt16(raw[2 * i]) | UInt16(raw[2 * i + 1]) << 8)) }
    }
}

/// Largest per-byte difference and how many bytes differ.
package func pixelDiff(_ a: RGBImage, _ b: RGBImage) -> (max: Int, count: Int) {
    var m = 0, c = 0
    for i in a.pixels.indices {
        let d = abs(Int(a.pixels[i]) - Int(b.pixels[i]))
        if d > 0 { c += 1; m = max(m, d) }
    }
    return (m, c)
}
