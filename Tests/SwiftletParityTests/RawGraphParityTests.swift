import Foundation
import XCTest
import Swiftlet
import SwiftletTestSupport

/// Raw graph outputs (the `swiftlet run` path) against onnxruntime on the exported ONNX
/// graphs: last_hidden_state max |diff| ≤ 1e-4 on every position, padded ones included.
final class RawGraphParityTests: XCTestCase {
    static let maxDiff: Float = 1e-4

    func check(model: String, dir: String, reference: String, prepack: Bool = true) throws {
        let s = try Session(path: try TestPaths.model(model), options: SessionOptions(threads: 2, prepackWeights: prepack))
        var feeds: [String: Tensor] = [:]
        for name in ["input_ids", "attention_mask", "token_type_ids"] {
            feeds[name] = try NPY.read(TestPaths.goldenFile("all-MiniLM-L6-v2/\(dir)/\(name).npy").path)
        }
        let want = try NPY.read(TestPaths.goldenFile("all-MiniLM-L6-v2/\(dir)/\(reference)").path)
        let got = try XCTUnwrap(s.run(feeds)["last_hidden_state"])
        XCTAssertEqual(got.shape, want.shape)
        let d = maxAbsDiff(got.floatArray(), want.floatArray())
        print("raw \(model) \(dir): max|diff| \(d)")
        XCTAssertLessThanOrEqual(d, Self.maxDiff)
    }

    func testOpset14Export() throws {
        try check(model: "all-MiniLM-L6-v2-onnx14", dir: "raw", reference: "last_hidden_state.npy")
        try check(model: "all-MiniLM-L6-v2-onnx14", dir: "raw1", reference: "last_hidden_state.npy")
    }

    func testOpset17Export() throws {
        try check(model: "all-MiniLM-L6-v2-onnx17", dir: "raw", reference: "last_hidden_state_opset17.npy")
        try check(model: "all-MiniLM-L6-v2-onnx17", dir: "raw1", reference: "last_hidden_state_opset17.npy")
    }

    /// The same graphs with weights left unpacked: every MatMul through `Gemm.sgemm`
    /// (OpenBLAS, or Swiftlet's tiles packing B per call where OpenBLAS is below the CPU).
    func testUnpackedWeightsThroughSgemm() throws {
        try check(model: "all-MiniLM-L6-v2", dir: "raw", reference: "last_hidden_state.npy", prepack: false)
        try check(model: "all-MiniLM-L6-v2-onnx14", dir: "raw1", reference: "last_hidden_state.npy", prepack: false)
    }

    func testHFDirRouteGraph() throws {
        try check(model: "all-MiniLM-L6-v2", dir: "raw", reference: "last_hidden_state.npy")
    }

    func testRepeatedRunsWithVaryingShapesDoNotGrowTheCache() throws {
        let s = try Session(path: try TestPaths.model("all-MiniLM-L6-v2"), options: SessionOptions(threads: 1))
        func feeds(_ b: Int, _ n: Int) throws -> [String: Tensor] {
            let ids = (0..<(b * n)).map { Int64(1000 + $0 % 5000) }
            return ["input_ids": try Tensor(int64s: ids, shape: [b, n]),
                    "attention_mask": try Tensor(int64s: [Int64](repeating: 1, count: b * n), shape: [b, n]),
                    "token_type_ids": try Tensor(int64s: [Int64](repeating: 0, count: b * n), shape: [b, n])]
        }
        // Same outputs whatever ran before (buffers are recycled, never stale).
        let first = try XCTUnwrap(s.run(try feeds(2, 16))["last_hidden_state"]).floatArray()
        for (b, n) in [(4, 64), (1, 7), (8, 32), (2, 16)] { _ = try s.run(try feeds(b, n)) }
        let again = try XCTUnwrap(s.run(try feeds(2, 16))["last_hidden_state"]).floatArray()
        XCTAssertEqual(first, again)
        // The cache follows the latest run's peak: it shrinks after a small input and a
        // repeated large input reuses buffers instead of adding more.
        for _ in 0..<2 { _ = try s.run(try feeds(8, 64)) }
        let big = s.cachedBytes
        _ = try s.run(try feeds(1, 8))
        XCTAssertLessThan(s.cachedBytes, big)
        for _ in 0..<3 { _ = try s.run(try feeds(8, 64)) }
        XCTAssertLessThanOrEqual(s.cachedBytes, big)
    }
}
