import Foundation
import XCTest
import CSwiftlet
import Swiftlet
import SwiftletTestSupport

/// Page orientation through the C ABI (swiftlet_ocr_open_oriented,
/// swiftlet_ocr_result_orientation) against the Swift API's OCR.recognizePage with
/// OCROptions.orientation on: the same turn, the same lines bit for bit, the CLI's JSON.
final class OCROrientationABITests: XCTestCase {
    let ok = swiftlet_status(SWIFTLET_OK)

    typealias Bits = OCRABIParityTests.Bits

    /// The lines of a result handle, read through the accessors (as OCRABIParityTests does).
    func lines(_ r: OpaquePointer?) throws -> [Bits] {
        var n = 0
        XCTAssertEqual(swiftlet_ocr_result_count(r, &n), ok)
        return try (0..<n).map { i in
            var l = swiftlet_ocr_line()
            XCTAssertEqual(swiftlet_ocr_result_line(r, i, &l), ok, String(cString: swiftlet_last_error()))
            let box = withUnsafeBytes(of: l.box) { Array($0.bindMemory(to: Float.self)) }
            let text = String(decoding: UnsafeRawBufferPointer(start: try XCTUnwrap(l.text), count: l.text_length), as: UTF8.self)
            return Bits(box: box, text: text, score: l.score)
        }
    }

    func json(_ r: OpaquePointer?) -> String {
        var p: UnsafePointer<CChar>?
        var n = 0
        XCTAssertEqual(swiftlet_ocr_result_json(r, &p, &n), ok)
        return p.map { String(cString: $0) } ?? ""
    }

    func orientation(_ r: OpaquePointer?) -> Int32 {
        var d: Int32 = 99
        XCTAssertEqual(swiftlet_ocr_result_orientation(r, &d), ok, String(cString: swiftlet_last_error()))
        return d
    }

    func testOrientedOCRThroughTheABIEqualsTheSwiftAPIBitForBit() throws {
        let det = try TestPaths.model("ppocrv4-det"), rec = try TestPaths.model("ppocrv4-rec")
        let cls = try TestPaths.model("ppocr-cls-v2"), ori = try TestPaths.model("doc-orientation")
        var so = OCROptions(threads: 2)
        so.orientation = true
        let swift = try OCR(detModel: det, recModel: rec, clsModel: cls, orientationModel: ori, options: so)
        var o = swiftlet_ocr_options()
        o.threads = 2
        var h: OpaquePointer?
        XCTAssertEqual(swiftlet_ocr_open_oriented(det, rec, cls, ori, &o, &h), ok, String(cString: swiftlet_last_error()))
        defer { _ = swiftlet_ocr_close(h) }
        let path = try OCRSamples.path("ch_en_num.jpg")
        var image = try RGBImage(contentsOf: path)
        // Upright from the file, then one and three quarter turns as raw pixels.
        let upright = try swift.recognizePage(path: path)
        XCTAssertEqual(upright.orientation, 0)
        XCTAssertGreaterThan(upright.lines.count, 3)
        var r: OpaquePointer?
        XCTAssertEqual(swiftlet_ocr_run_file(h, path, &r), ok, String(cString: swiftlet_last_error()))
        XCTAssertEqual(orientation(r), 0)
        XCTAssertEqual(try lines(r), upright.lines.map(Bits.init))
        XCTAssertEqual(json(r), OCRJSON.object(image: path, lines: upright.lines, orientation: 0))
        _ = swiftlet_ocr_result_free(r)
        for k in 1...3 {
            image = image.rotated90CounterClockwise()
            if k == 2 { continue }
            let want = try swift.recognizePage(image)
            // np.rot90 by k quarter turns shows as a clockwise turn of 360 - 90k (DocumentOrientationOCRTests).
            XCTAssertEqual(want.orientation, 360 - 90 * k)
            XCTAssertEqual(want.lines.map(\.text), upright.lines.map(\.text), "k=\(k)")
            var t: OpaquePointer?
            let status = image.pixels.withUnsafeBytes {
                swiftlet_ocr_run_pixels(h, $0.baseAddress, $0.count, image.width, image.height, 0, swiftlet_pixel_format(SWIFTLET_PIXEL_RGB), &t)
            }
            XCTAssertEqual(status, ok, String(cString: swiftlet_last_error()))
            defer { _ = swiftlet_ocr_result_free(t) }
            XCTAssertEqual(orientation(t), Int32(want.orientation ?? -2), "k=\(k)")
            XCTAssertEqual(try lines(t), want.lines.map(Bits.init), "k=\(k)")
            XCTAssertEqual(json(t), OCRJSON.object(image: nil, lines: want.lines, orientation: want.orientation))
        }
    }

    /// Without a classifier the turn reads -1 and the JSON has no "orientation"; a missing or
    /// wrong orientation model is an error naming it.
    func testOrientationArgumentsAndResultsWithoutAClassifier() throws {
        let det = try TestPaths.model("ppocrv4-det"), rec = try TestPaths.model("ppocrv4-rec")
        var h: OpaquePointer?
        XCTAssertEqual(swiftlet_ocr_open_oriented(det, rec, nil, nil, nil, &h), swiftlet_status(SWIFTLET_ERR_INVALID_ARGUMENT))
        XCTAssertTrue(String(cString: swiftlet_last_error()).contains("orientation_path is NULL"), String(cString: swiftlet_last_error()))
        XCTAssertEqual(swiftlet_ocr_open_oriented(det, rec, nil, det, nil, &h), swiftlet_status(SWIFTLET_ERR_INVALID_MODEL))
        XCTAssertTrue(String(cString: swiftlet_last_error()).contains("not a document-orientation model"), String(cString: swiftlet_last_error()))
        XCTAssertNil(h)
        var o = swiftlet_ocr_options()
        o.threads = 2
        XCTAssertEqual(swiftlet_ocr_open(det, rec, nil, &o, &h), ok)
        defer { _ = swiftlet_ocr_close(h) }
        var r: OpaquePointer?
        XCTAssertEqual(swiftlet_ocr_run_file(h, try OCRSamples.path("text_rec.jpg"), &r), ok, String(cString: swiftlet_last_error()))
        defer { _ = swiftlet_ocr_result_free(r) }
        XCTAssertEqual(orientation(r), -1)
        XCTAssertFalse(json(r).contains("orientation"))
        XCTAssertEqual(swiftlet_ocr_result_orientation(r, nil), swiftlet_status(SWIFTLET_ERR_INVALID_ARGUMENT))
        XCTAssertEqual(swiftlet_ocr_result_orientation(h, nil), swiftlet_status(SWIFTLET_ERR_INVALID_HANDLE))
    }
}
