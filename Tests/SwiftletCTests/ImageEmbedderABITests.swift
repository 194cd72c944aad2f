import Foundation
import XCTest
import CSwiftlet
import Swiftlet
import SwiftletTestSupport

/// CLIP through the C ABI (swiftlet_image_embedder_*) against the Swift API in one process:
/// the same model (clip-tiny-random: RANDOM weights, fixed seed, tools/build_clip.py), texts
/// and images give the same vectors bit for bit, whichever of the three image forms (file,
/// encoded bytes, raw pixels) carries the image. Parity with torch itself is
/// CLIPParityTests' job; this checks that the ABI adds nothing and loses nothing.
final class ImageEmbedderABITests: XCTestCase {
    let ok = swiftlet_status(SWIFTLET_OK)
    let images = ["ch_en_num.jpg", "black_font_color_transparent.png", "ch_doc_server.png", "japan.jpg"]

    func open(_ path: String) throws -> OpaquePointer? {
        var h: OpaquePointer?
        var o = swiftlet_embedder_options(threads: 2, batch_size: 16)
        XCTAssertEqual(swiftlet_image_embedder_open(path, &o, &h), ok, String(cString: swiftlet_last_error()))
        return try XCTUnwrap(h)
    }

    func bits(_ v: [Float]) -> [UInt32] { v.map(\.bitPattern) }

    func testTextsThroughTheABIEqualTheSwiftAPIBitForBit() throws {
        let path = try TestPaths.model("clip-tiny-random")
        let texts = Array(try ABIParityTests.corpus().prefix(40))
        let want = try ImageEmbedder(path: path, options: .init(threads: 2, batchSize: 16)).embed(texts: texts)
        let h = try open(path)
        defer { _ = swiftlet_image_embedder_close(h) }
        var dim = 0
        XCTAssertEqual(swiftlet_image_embedder_dimension(h, &dim), ok)
        XCTAssertEqual(dim, want[0].count)
        var out = [Float](repeating: .nan, count: texts.count * dim)
        let copies = texts.map { UnsafePointer(strdup($0)) }
        defer { copies.forEach { free(UnsafeMutablePointer(mutating: $0)) } }
        let lengths = texts.map { $0.utf8.count }
        let status = out.withUnsafeMutableBufferPointer {
            swiftlet_image_embedder_embed_texts(h, copies, lengths, texts.count, $0.baseAddress, $0.count)
        }
        XCTAssertEqual(status, ok, String(cString: swiftlet_last_error()))
        XCTAssertEqual(bits(out), bits(want.flatMap { $0 }))
    }

    func testImagesThroughTheABIEqualTheSwiftAPIBitForBit() throws {
        let path = try TestPaths.model("clip-tiny-random")
        let swift = try ImageEmbedder(path: path, options: .init(threads: 2, batchSize: 16))
        let h = try open(path)
        defer { _ = swiftlet_image_embedder_close(h) }
        var dim = 0
        XCTAssertEqual(swiftlet_image_embedder_dimension(h, &dim), ok)
        for name in images {
            let file = try OCRSamples.path(name)
            let want = try swift.embed(imageFiles: [file])[0]
            XCTAssertEqual(want.count, dim, name)

            var fromFile = [Float](repeating: .nan, count: dim)
            XCTAssertEqual(swiftlet_image_embedder_embed_file(h, file, &fromFile, dim), ok, String(cString: swiftlet_last_error()))
            XCTAssertEqual(bits(fromFile), bits(want), "\(name) file")

            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
            var fromBytes = [Float](repeating: .nan, count: dim)
            let s1 = bytes.withUnsafeBytes { swiftlet_image_embedder_embed_encoded(h, $0.baseAddress, $0.count, &fromBytes, dim) }
            XCTAssertEqual(s1, ok, String(cString: swiftlet_last_error()))
            XCTAssertEqual(bits(fromBytes), bits(want), "\(name) encoded")

            // The decoded pixels as BGR rows with 7 bytes of padding: the vector of the file.
            let image = try RGBImage(contentsOf: file)
            let stride = image.width * 3 + 7
            var bgr = [UInt8](repeating: 0xAB, count: stride * image.height)
            for y in 0..<image.height {
                for x in 0..<image.width {
                    let (r, g, b) = image.pixel(x: x, y: y)
                    bgr[y * stride + 3 * x] = b; bgr[y * stride + 3 * x + 1] = g; bgr[y * stride + 3 * x + 2] = r
                }
            }
            var fromPixels = [Float](repeating: .nan, count: dim)
            let s2 = bgr.withUnsafeBytes {
                swiftlet_image_embedder_embed_pixels(h, $0.baseAddress, $0.count, image.width, image.height, stride,
                                                     swiftlet_pixel_format(SWIFTLET_PIXEL_BGR), &fromPixels, dim)
            }
            XCTAssertEqual(s2, ok, String(cString: swiftlet_last_error()))
            XCTAssertEqual(bits(fromPixels), bits(want), "\(name) pixels")
        }
    }

    /// The kind checks in both directions, and a buffer one float short.
    func testWrongModelsAndShortBuffersAreErrors() throws {
        let clip = try TestPaths.model("clip-tiny-random"), minilm = try TestPaths.model("all-MiniLM-L6-v2")
        var h: OpaquePointer?
        XCTAssertEqual(swiftlet_image_embedder_open(minilm, nil, &h), swiftlet_status(SWIFTLET_ERR_INVALID_MODEL))
        XCTAssertTrue(String(cString: swiftlet_last_error()).contains("not 'clip'"), String(cString: swiftlet_last_error()))
        XCTAssertNil(h)
        var e: OpaquePointer?
        XCTAssertEqual(swiftlet_embedder_open(clip, nil, &e), swiftlet_status(SWIFTLET_ERR_INVALID_MODEL))
        XCTAssertNil(e)
        let c = try open(clip)
        defer { _ = swiftlet_image_embedder_close(c) }
        var dim = 0
        XCTAssertEqual(swiftlet_image_embedder_dimension(c, &dim), ok)
        var out = [Float](repeating: 0, count: dim)
        XCTAssertEqual(swiftlet_image_embedder_embed_file(c, try OCRSamples.path("japan.jpg"), &out, dim - 1),
                       swiftlet_status(SWIFTLET_ERR_BUFFER_TOO_SMALL))
        XCTAssertTrue(String(cString: swiftlet_last_error()).contains("need \(dim)"), String(cString: swiftlet_last_error()))
        // An image embedder is not an embedder.
        XCTAssertEqual(swiftlet_embedder_dimension(c, &dim), swiftlet_status(SWIFTLET_ERR_INVALID_HANDLE))
    }
}
