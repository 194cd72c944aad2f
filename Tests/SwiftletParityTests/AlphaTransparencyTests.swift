import CPNG
import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// PNGs with a transparent background (golden/alpha, rendered and read by RapidOCR 3.10.0
/// with its default PP-OCRv6 models: tools/golden.py ocr-alpha). Swiftlet must flatten the
/// alpha to exactly RapidOCR 3's pixels (white text goes onto black, black text onto white)
/// and read the same lines: text identical, box corners within 2 px (the PP-OCRv6 contract).
/// Compositing onto white, as Swiftlet did before, turns the white text white on white and
/// reads nothing.
final class AlphaTransparencyTests: XCTestCase {
    func testWhiteTextOnTransparent() throws { try check("white_text_transparent") }
    func testBlackTextOnTransparent() throws { try check("black_text_transparent") }

    private func check(_ name: String) throws {
        let ref = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: TestPaths.goldenFile("alpha/cases.json"))) as? [String: Any])
        XCTAssertEqual(ref["reference"] as? String, "rapidocr 3.10.0")
        let models = try XCTUnwrap(ref["models"] as? [String])
        let c = try XCTUnwrap((ref["cases"] as? [String: Any])?[name] as? [String: Any])
        let path = try TestPaths.goldenFile("alpha/\(name).png").path
        let img = try RGBImage(contentsOf: path)
        XCTAssertEqual(fnv1a64(img.pixels), c["decoded"] as? String, "\(name): flattened pixels differ from RapidOCR 3.10.0's LoadImage")
        let want = try XCTUnwrap(c["lines"] as? [[String: Any]])
        XCTAssertEqual(want.count, 2, "\(name): the reference reads both rendered lines")
        let ocr = try ocrEngine(models: models, preset: .rapidocr3)
        let got = try ocr.recognize(path: path)
        var tally = OCRParityTally()
        tally.compare(got, want, context: name)
        XCTAssertEqual(got.map(\.text), want.map { $0["text"] as? String ?? "" }, name)
    }

    /// Raw RGBA/BGRA buffers (the C ABI's pixel formats) follow the same rule as files.
    func testRawBuffersFollowTheSameRule() throws {
        let path = try TestPaths.goldenFile("alpha/white_text_transparent.png").path
        let want = try RGBImage(contentsOf: path)
        let rgba = try XCTUnwrap(decodeRGBA(path))
        let a = try rgba.pixels.withUnsafeBytes { try RGBImage(raw: $0, width: rgba.width, height: rgba.height, layout: .rgba) }
        XCTAssertEqual(a, want)
        var bgra = rgba.pixels
        for i in stride(from: 0, to: bgra.count, by: 4) { bgra.swapAt(i, i + 2) }
        let b = try bgra.withUnsafeBytes { try RGBImage(raw: $0, width: rgba.width, height: rgba.height, layout: .bgra) }
        XCTAssertEqual(b, want)
        // Light visible content → black background: the transparent corner pixel is black.
        XCTAssertTrue(want.pixel(x: 0, y: 0) == (0, 0, 0))
    }

    /// The PNG's RGBA bytes, straight from the decoder shim.
    private func decodeRGBA(_ path: String) throws -> (width: Int, height: Int, pixels: [UInt8])? {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var out: UnsafeMutablePointer<UInt8>? = nil
        var w: UInt32 = 0, h: UInt32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = bytes.withUnsafeBufferPointer { b in
            swl_png_decode(b.baseAddress, b.count, 50_000_000, &out, &w, &h, &message, message.count)
        }
        defer { free(out) }
        guard Int(status) == Int(SWL_PNG_OK), let px = out else { return nil }
        return (Int(w), Int(h), Array(UnsafeBufferPointer(start: px, count: Int(w) * Int(h) * 4)))
    }
}
