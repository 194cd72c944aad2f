import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Concurrency and memory soak of the Swift API on real models (issue 16 item 4; the C ABI's
/// twin is Tests/SwiftletCTests/ABISoakTests.swift, the server's Tests/ServerTests/test_soak.py).
/// Bounded in time for CI: single-text / small-image calls, so 8 × 2,000 calls take seconds.
///
/// - Sharing: 8 threads × 2,000 calls on one Embedder, one OCR and one Session; every result
///   must be bit-identical to the single-threaded result for the same input (a call's output
///   may not depend on what runs beside it).
/// - Memory: 10,000 calls of varying batch size and text length (Embedder) and of varying
///   image size (OCR), two callers at a time; resident memory after the first 1,000 calls
///   (warm-up: buffer pools, packed weights, malloc arenas) may grow by at most 5% by the end.
final class SoakTests: XCTestCase {
    static let threads = 8
    static let callsPerThread = Soak.callsPerThread(default: 2_000)
    static let soakCalls = 10_000
    static let maxGrowth = 0.05

    static func corpus() throws -> [String] {
        try readJSONL(TestPaths.goldenFile("corpus/en.jsonl")).map { try XCTUnwrap($0["text"] as? String) }
    }

    func testEmbedderSharedByEightThreads() throws {
        let texts = Array(try Self.corpus().prefix(64))
        let e = try Embedder(path: try TestPaths.model("all-MiniLM-L6-v2"), options: .init(threads: 1))
        let serial = try texts.map { try e.embed([$0])[0] }
        let mismatches = SoakCounter()
        let error = Soak.hammer(threads: Self.threads, calls: Self.callsPerThread) { t, k in
            let i = (t * 7 + k) % texts.count
            if try e.embed([texts[i]])[0] != serial[i] { mismatches.add() }
        }
        XCTAssertNil(error)
        XCTAssertEqual(mismatches.value, 0, "calls whose vector differs from the single-threaded one")
    }

    func testSessionSharedByEightThreads() throws {
        // The orientation classifier: a whole conv net, small enough for 16,000 runs.
        let s = try Session(path: try TestPaths.model("ppocrv5-cls"), options: SessionOptions(threads: 1))
        let name = try XCTUnwrap(s.inputs.first?.name)
        let inputs = try (0..<16).map { seed in try Tensor(floats: testRandoms(3 * 48 * 192, seed: UInt64(seed)), shape: [1, 3, 48, 192]) }
        let serial = try inputs.map { try s.run([name: $0]).mapValues { $0.floatArray() } }
        let mismatches = SoakCounter()
        let error = Soak.hammer(threads: Self.threads, calls: Self.callsPerThread) { t, k in
            let i = (t * 5 + k) % inputs.count
            if try s.run([name: inputs[i]]).mapValues({ $0.floatArray() }) != serial[i] { mismatches.add() }
        }
        XCTAssertNil(error)
        XCTAssertEqual(mismatches.value, 0, "runs whose outputs differ from the single-threaded ones")
    }

    func testOCRSharedByEightThreads() throws {
        let ocr = try Self.smallOCR()
        let crops = try Self.crops(count: 12)
        let serial = try crops.map { try ocr.recognize($0) }
        XCTAssertGreaterThan(serial.map(\.count).reduce(0, +), 0, "the crops hold text")
        let mismatches = SoakCounter()
        let error = Soak.hammer(threads: Self.threads, calls: Self.callsPerThread) { t, k in
            let i = (t * 3 + k) % crops.count
            if try ocr.recognize(crops[i]) != serial[i] { mismatches.add() }
        }
        XCTAssertNil(error)
        XCTAssertEqual(mismatches.value, 0, "calls whose lines differ from the single-threaded ones")
    }

    func testEmbedderMemoryStaysFlat() throws {
        let texts = try Self.corpus()
        let e = try Embedder(path: try TestPaths.model("all-MiniLM-L6-v2"), options: .init(threads: 1, batchSize: 4))
        try Self.soak(label: "Embedder") { call in
            // Batch 1…4, texts of 1…2 corpus lines joined: sequence lengths from ~5 to ~50 tokens.
            let batch = (0..<(1 + call % 4)).map { j in
                (0..<(1 + (call / 4 + j) % 2)).map { texts[(call * 13 + j * 5 + $0) % texts.count] }.joined(separator: " ")
            }
            _ = try e.embed(batch)
        }
    }

    func testOCRMemoryStaysFlat() throws {
        let ocr = try Self.smallOCR()
        let crops = try Self.crops(count: 40)
        try Self.soak(label: "OCR") { call in _ = try ocr.recognize(crops[call % crops.count]) }
    }

    /// Models are memory-mapped (MAP_PRIVATE, read-only): truncating or rewriting one model's
    /// file while it is loaded must not disturb a handle on another file. (The handle on the
    /// changed file itself is not protected, as with any mapped loader: after a rewrite it may
    /// read the new bytes where they were not yet paged in, and touching a page past a
    /// truncation raises SIGBUS. Replace model files by renaming a new file over the old one,
    /// which leaves the mapped inode intact; docs/ROBUSTNESS.md.)
    func testChangingAnotherModelFileLeavesThisOneAlone() throws {
        let source = try TestPaths.model("all-MiniLM-L6-v2")
        let dir = NSTemporaryDirectory() + "soak-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let paths = ["kept", "truncated", "rewritten"].map { "\(dir)/\($0).swl" }
        for p in paths { try FileManager.default.copyItem(atPath: source, toPath: p) }
        let texts = Array(try Self.corpus().prefix(32))
        let kept = try Embedder(path: paths[0], options: .init(threads: 2))
        var others: [Embedder]? = try paths.dropFirst().map { try Embedder(path: $0, options: .init(threads: 2)) }
        let before = try kept.embed(texts)
        XCTAssertEqual(try others?.map { try $0.embed(texts) }, [before, before])
        let truncate = try FileHandle(forWritingTo: URL(fileURLWithPath: paths[1]))
        try truncate.truncate(atOffset: 0)
        try truncate.close()
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: paths[2])[.size] as? Int)
        try Data(count: size).write(to: URL(fileURLWithPath: paths[2]))  // zeros over every byte, same inode
        XCTAssertEqual(try kept.embed(texts), before, "the untouched model's vectors changed")
        others = nil  // unmapping the changed files must not crash either
        XCTAssertEqual(try kept.embed(texts), before)
    }

    /// `soakCalls` calls of `body`, two callers at a time, resident memory sampled after the
    /// warm-up and at the end.
    static func soak(label: String, _ body: @Sendable @escaping (Int) throws -> Void) throws {
        let half = soakCalls / 2, warm = 500
        if let e = Soak.hammer(threads: 2, calls: warm, { t, k in try body(t * half + k) }) { throw e }
        let before = try Soak.residentBytes()
        if let e = Soak.hammer(threads: 2, calls: half - warm, { t, k in try body(t * half + warm + k) }) { throw e }
        let after = try Soak.residentBytes()
        let growth = Double(after - before) / Double(before)
        print("\(label) soak: \(soakCalls) calls, RSS \(before >> 20) MiB after warm-up, \(after >> 20) MiB at the end "
              + "(\(String(format: "%+.1f", growth * 100))%)")
        XCTAssertLessThanOrEqual(growth, maxGrowth, "\(label): resident memory grew from \(before) to \(after) bytes")
    }

    /// English PP-OCRv3 det + PP-OCRv4 rec (a 97-character head: cheap enough for thousands of
    /// calls) with the Paddle preset (no upscaling of small images), one thread per call.
    static func smallOCR() throws -> OCR {
        try OCR(detModel: try TestPaths.model("en-ppocrv3-det"), recModel: try TestPaths.model("en-ppocrv4-rec"),
                options: OCROptions(preset: .paddle, threads: 1))
    }

    /// Crops of a real sample, a few text lines each.
    static func crops(count: Int) throws -> [RGBImage] {
        try Soak.crops(of: try RGBImage(contentsOf: try OCRSamples.path("ch_en_num.jpg")), count: count)
    }
}
