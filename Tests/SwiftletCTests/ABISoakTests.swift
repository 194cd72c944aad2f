import Foundation
import XCTest
import CSwiftlet
import Swiftlet
import SwiftletTestSupport

/// The C ABI twin of Tests/SwiftletParityTests/SoakTests.swift (issue 16 item 4): 8 threads ×
/// 2,000 calls sharing one embedder, one OCR engine and one session handle; every result must
/// be bit-identical to the single-threaded result for the same input.
final class ABISoakTests: XCTestCase {
    static let threads = 8
    static let callsPerThread = Soak.callsPerThread(default: 2_000)
    let ok = swiftlet_status(SWIFTLET_OK)

    /// A handle the test threads share; the ABI is documented thread-safe per handle.
    struct Shared: @unchecked Sendable { let handle: OpaquePointer? }
    /// A C string the test threads only read.
    struct SharedName: @unchecked Sendable { let pointer: UnsafePointer<CChar> }

    static func lastError() -> String { String(cString: swiftlet_last_error()) }

    static func embed(_ h: Shared, _ text: String, dim: Int) throws -> [Float] {
        var out = [Float](repeating: .nan, count: dim)
        let status = text.utf8CString.withUnsafeBufferPointer { t -> swiftlet_status in
            var ptr: UnsafePointer<CChar>? = t.baseAddress
            var length = text.utf8.count
            return out.withUnsafeMutableBufferPointer {
                swiftlet_embedder_embed(h.handle, &ptr, &length, 1, swiftlet_prefix(SWIFTLET_PREFIX_NONE), $0.baseAddress, $0.count)
            }
        }
        guard status == swiftlet_status(SWIFTLET_OK) else { throw SwiftletError.invalidInput("embed: \(lastError())") }
        return out
    }

    func testEmbedderHandleSharedByEightThreads() throws {
        let texts = Array(try readJSONL(TestPaths.goldenFile("corpus/en.jsonl")).prefix(64).map { try XCTUnwrap($0["text"] as? String) })
        var options = swiftlet_embedder_options(threads: 1, batch_size: 0)
        var handle: OpaquePointer?
        XCTAssertEqual(swiftlet_embedder_open(try TestPaths.model("all-MiniLM-L6-v2"), &options, &handle), ok, Self.lastError())
        defer { _ = swiftlet_embedder_close(handle) }
        var dim = 0
        XCTAssertEqual(swiftlet_embedder_dimension(handle, &dim), ok)
        let h = Shared(handle: handle), d = dim
        let serial = try texts.map { try Self.embed(h, $0, dim: d).map(\.bitPattern) }
        let mismatches = SoakCounter()
        let error = Soak.hammer(threads: Self.threads, calls: Self.callsPerThread) { t, k in
            let i = (t * 7 + k) % texts.count
            if try Self.embed(h, texts[i], dim: d).map(\.bitPattern) != serial[i] { mismatches.add() }
        }
        XCTAssertNil(error)
        XCTAssertEqual(mismatches.value, 0, "calls whose vector differs from the single-threaded one")
    }

    /// One OCR of RGB pixels through the ABI, as its JSON.
    static func ocr(_ h: Shared, _ image: RGBImage) throws -> String {
        var r: OpaquePointer?
        let status = image.pixels.withUnsafeBytes {
            swiftlet_ocr_run_pixels(h.handle, $0.baseAddress, $0.count, image.width, image.height, 0, swiftlet_pixel_format(SWIFTLET_PIXEL_RGB), &r)
        }
        guard status == swiftlet_status(SWIFTLET_OK) else { throw SwiftletError.invalidInput("ocr: \(lastError())") }
        defer { _ = swiftlet_ocr_result_free(r) }
        var p: UnsafePointer<CChar>?
        var n = 0
        guard swiftlet_ocr_result_json(r, &p, &n) == swiftlet_status(SWIFTLET_OK), let p else { throw SwiftletError.invalidInput("json: \(lastError())") }
        return String(cString: p)
    }

    func testOCRHandleSharedByEightThreads() throws {
        let page = try RGBImage(contentsOf: try OCRSamples.path("ch_en_num.jpg"))
        let crops = try Soak.crops(of: page, count: 12)
        var o = swiftlet_ocr_options()
        o.threads = 1
        o.preset = swiftlet_ocr_preset(SWIFTLET_OCR_PRESET_PADDLE)
        var handle: OpaquePointer?
        XCTAssertEqual(swiftlet_ocr_open(try TestPaths.model("en-ppocrv3-det"), try TestPaths.model("en-ppocrv4-rec"), nil, &o, &handle), ok, Self.lastError())
        defer { _ = swiftlet_ocr_close(handle) }
        let h = Shared(handle: handle)
        let serial = try crops.map { try Self.ocr(h, $0) }
        XCTAssertTrue(serial.contains { $0.contains("\"text\"") }, "the crops hold text")
        let mismatches = SoakCounter()
        let error = Soak.hammer(threads: Self.threads, calls: Self.callsPerThread) { t, k in
            let i = (t * 3 + k) % crops.count
            if try Self.ocr(h, crops[i]) != serial[i] { mismatches.add() }
        }
        XCTAssertNil(error)
        XCTAssertEqual(mismatches.value, 0, "calls whose lines differ from the single-threaded ones")
    }

    /// One run of the session on a float32 [1, 3, 48, 192] input named `name`: the first output's bits.
    static func run(_ h: Shared, name: UnsafePointer<CChar>, _ input: [Float]) throws -> [UInt32] {
        let shape: [Int64] = [1, 3, 48, 192]
        var result: OpaquePointer?
        let status = shape.withUnsafeBufferPointer { s in
            input.withUnsafeBytes { d -> swiftlet_status in
                var t = swiftlet_tensor(name: name, dtype: swiftlet_dtype(SWIFTLET_DTYPE_FLOAT32), rank: 4, shape: s.baseAddress,
                                        data: d.baseAddress, byte_count: d.count)
                return swiftlet_session_run(h.handle, &t, 1, nil, 0, &result)
            }
        }
        guard status == swiftlet_status(SWIFTLET_OK) else { throw SwiftletError.invalidInput("run: \(lastError())") }
        defer { _ = swiftlet_tensors_free(result) }
        var out = swiftlet_tensor()
        guard swiftlet_tensors_get(result, 0, &out) == swiftlet_status(SWIFTLET_OK), let data = out.data else {
            throw SwiftletError.invalidInput("get: \(lastError())")
        }
        return Array(UnsafeBufferPointer(start: data.assumingMemoryBound(to: UInt32.self), count: out.byte_count / 4))
    }

    func testSessionHandleSharedByEightThreads() throws {
        var o = swiftlet_session_options(threads: 1)
        var handle: OpaquePointer?
        XCTAssertEqual(swiftlet_session_open(try TestPaths.model("ppocrv5-cls"), &o, &handle), ok, Self.lastError())
        defer { _ = swiftlet_session_close(handle) }
        var info = swiftlet_value_info()
        XCTAssertEqual(swiftlet_session_io_info(handle, swiftlet_io(SWIFTLET_INPUTS), 0, &info), ok)
        let name = strdup(try XCTUnwrap(info.name))!
        defer { free(name) }
        let h = Shared(handle: handle), n = SharedName(pointer: UnsafePointer(name))
        let inputs = (0..<16).map { testRandoms(3 * 48 * 192, seed: UInt64($0)) }
        let serial = try inputs.map { try Self.run(h, name: n.pointer, $0) }
        let mismatches = SoakCounter()
        let error = Soak.hammer(threads: Self.threads, calls: Self.callsPerThread) { t, k in
            let i = (t * 5 + k) % inputs.count
            if try Self.run(h, name: n.pointer, inputs[i]) != serial[i] { mismatches.add() }
        }
        XCTAssertNil(error)
        XCTAssertEqual(mismatches.value, 0, "runs whose output differs from the single-threaded one")
    }
}
