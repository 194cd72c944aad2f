import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Worker pools of sessions on a real model: created and dropped with every session.
final class WorkerPoolTests: XCTestCase {
    func testSessionsComeAndGoWithoutLeakingWork() throws {
        let path = try TestPaths.model("all-MiniLM-L6-v2")
        let ids = try Tensor(int64s: [101, 7592, 2088, 102], shape: [1, 4])
        let feeds = ["input_ids": ids, "attention_mask": try Tensor(int64s: [1, 1, 1, 1], shape: [1, 4]),
                     "token_type_ids": try Tensor(int64s: [0, 0, 0, 0], shape: [1, 4])]
        let want = try Session(path: path, options: SessionOptions(threads: 1)).run(feeds)["last_hidden_state"]!.floatArray()
        for threads in [2, 3, 2] {
            let s = try Session(path: path, options: SessionOptions(threads: threads))
            for _ in 0..<3 {
                // Thread counts only move GEMM block edges: float reordering at most.
                let got = try s.run(feeds)["last_hidden_state"]!.floatArray()
                XCTAssertEqual(got.count, want.count)
                XCTAssertLessThanOrEqual(zip(got, want).map { abs($0 - $1) }.max() ?? 1, 1e-5)
            }
        }
    }
}
