import Foundation
import XCTest
import CSwiftlet
import Swiftlet
import SwiftletTestSupport

/// OCR and custom prefixes through the C ABI against the Swift API, in one process:
/// the same models, images and options give the same lines bit for bit, and the JSON is
/// the one `swiftlet ocr` prints (OCRJSON).
final class OCRABIParityTests: XCTestCase {
    let ok = swiftlet_status(SWIFTLET_OK)

    func model(_ name: String) throws -> String { try TestPaths.model(name) }

    /// Sample images live outside the repository; a missing directory fails, never skips.
    func sample(_ name: String) throws -> String { try OCRSamples.path(name) }

    /// A line as bits: box corners and score as float bit patterns, and the text.
    struct Bits: Equatable {
        let box: [UInt32]
        let text: String
        let score: UInt32
        init(_ l: OCRLine) { box = l.box.flatMap { [$0.x.bitPattern, $0.y.bitPattern] }; text = l.text; score = l.score.bitPattern }
        init(box: [Float], text: String, score: Float) { self.box = box.map(\.bitPattern); self.text = text; self.score = score.bitPattern }
    }

    /// The lines of a result handle, read through the accessors.
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

    func testOCRThroughTheABIEqualsTheSwiftAPIBitForBit() throws {
        let det = try model("ppocrv4-det"), rec = try model("ppocrv4-rec"), cls = try model("ppocr-cls-v2")
        // The presets the C ABI has (swiftlet_ocr_preset); `rapidocr3` is Swift/CLI only so far.
        for preset in [OCROptions.Preset.rapidocr, .paddle] {
            let swift = try OCR(detModel: det, recModel: rec, clsModel: cls, options: OCROptions(preset: preset, threads: 2))
            var o = swiftlet_ocr_options()
            o.threads = 2
            o.preset = swiftlet_ocr_preset(preset == .paddle ? SWIFTLET_OCR_PRESET_PADDLE : SWIFTLET_OCR_PRESET_RAPIDOCR)
            var h: OpaquePointer?
            XCTAssertEqual(swiftlet_ocr_open(det, rec, cls, &o, &h), ok, String(cString: swiftlet_last_error()))
            defer { _ = swiftlet_ocr_close(h) }
            for name in ["ch_en_num.jpg", "japan.jpg", "ch_doc_server.png"] {
                let path = try sample(name)
                let want = try swift.recognize(path: path)
                // (PaddleOCR's detector settings find nothing in ch_doc_server.png.)
                if preset == .rapidocr { XCTAssertFalse(want.isEmpty, name) }
                var r: OpaquePointer?
                XCTAssertEqual(swiftlet_ocr_run_file(h, path, &r), ok, String(cString: swiftlet_last_error()))
                defer { _ = swiftlet_ocr_result_free(r) }
                XCTAssertEqual(try lines(r), want.map(Bits.init), "\(name) \(preset)")
                XCTAssertEqual(json(r), OCRJSON.object(image: path, lines: want), name)
            }
        }
    }

    /// Raw pixels through the ABI equal RGBImage(raw:) through the Swift API.
    func testRawPixelsThroughTheABIEqualTheSwiftAPI() throws {
        let det = try model("ppocrv4-det"), rec = try model("ppocrv4-rec")
        let image = try RGBImage(contentsOf: try sample("text_rec.jpg"))
        let swift = try OCR(detModel: det, recModel: rec, options: OCROptions(threads: 2))
        let want = try swift.recognize(image)
        XCTAssertFalse(want.isEmpty)
        var o = swiftlet_ocr_options()
        o.threads = 2
        var h: OpaquePointer?
        XCTAssertEqual(swiftlet_ocr_open(det, rec, nil, &o, &h), ok, String(cString: swiftlet_last_error()))
        defer { _ = swiftlet_ocr_close(h) }
        // BGR with 5 bytes of padding per row.
        let stride = image.width * 3 + 5
        var bgr = [UInt8](repeating: 0, count: stride * image.height)
        for y in 0..<image.height {
            for x in 0..<image.width {
                let (r, g, b) = image.pixel(x: x, y: y)
                bgr[y * stride + 3 * x] = b; bgr[y * stride + 3 * x + 1] = g; bgr[y * stride + 3 * x + 2] = r
            }
        }
        var r: OpaquePointer?
        let status = bgr.withUnsafeBytes {
            swiftlet_ocr_run_pixels(h, $0.baseAddress, $0.count, image.width, image.height, stride, swiftlet_pixel_format(SWIFTLET_PIXEL_BGR), &r)
        }
        XCTAssertEqual(status, ok, String(cString: swiftlet_last_error()))
        defer { _ = swiftlet_ocr_result_free(r) }
        XCTAssertEqual(try lines(r), want.map(Bits.init))
        XCTAssertEqual(json(r), OCRJSON.object(image: nil, lines: want))
    }

    func testEmbedWithPrefixEqualsTheSwiftAPIBitForBit() throws {
        let path = try model("all-MiniLM-L6-v2")
        let texts = Array(try ABIParityTests.corpus().prefix(40))
        let prefix = "search_query: "
        let reference = try Embedder(path: path, options: .init(threads: 2, batchSize: 32)).embed(texts, prefix: .custom(prefix))
        var handle: OpaquePointer?
        var options = swiftlet_embedder_options(threads: 2, batch_size: 32)
        XCTAssertEqual(swiftlet_embedder_open(path, &options, &handle), ok)
        defer { _ = swiftlet_embedder_close(handle) }
        var dim = 0
        XCTAssertEqual(swiftlet_embedder_dimension(handle, &dim), ok)
        var out = [Float](repeating: .nan, count: texts.count * dim)
        let copies = texts.map { UnsafePointer(strdup($0)) }
        defer { copies.forEach { free(UnsafeMutablePointer(mutating: $0)) } }
        let lengths = texts.map { $0.utf8.count }
        let status = out.withUnsafeMutableBufferPointer {
            swiftlet_embedder_embed_with_prefix(handle, copies, lengths, texts.count, prefix, prefix.utf8.count, $0.baseAddress, $0.count)
        }
        XCTAssertEqual(status, ok, String(cString: swiftlet_last_error()))
        XCTAssertEqual(out.map { $0.bitPattern }, reference.flatMap { $0.map { $0.bitPattern } })
    }
}
