import Foundation
import XCTest
@testable import Swiftlet

/// The spinning worker pool behind `parallelChunks` inside graph runs: every chunk runs
/// exactly once per loop, back-to-back loops and parked workers both work, nested loops
/// fall back instead of deadlocking, and pools shut down when their context goes away.
final class WorkerPoolTests: XCTestCase {
    func testEveryChunkRunsOncePerLoop() {
        for size in [2, 3, 4] {
            let pool = WorkerPool(size: size)
            let counts = UnsafeMutablePointer<Int>.allocate(capacity: size)
            defer { counts.deallocate() }
            counts.initialize(repeating: 0, count: size)
            for loop in 0..<2000 {
                let chunks = 1 + loop % size
                pool.run(chunks: chunks) { c in counts[c] += 1 }
                if loop % 500 == 0 { usleep(2000) }  // let the workers park, then wake them
            }
            for c in 0..<size {
                let want = (0..<2000).filter { 1 + $0 % size > c }.count
                XCTAssertEqual(counts[c], want, "size \(size) chunk \(c)")
            }
        }
    }

    func testParallelChunksUsesThePoolAndCoversTheRange() {
        let pool = WorkerPool(size: 3)
        let n = 10_001
        let out = UnsafeMutablePointer<Int>.allocate(capacity: n)
        defer { out.deallocate() }
        out.initialize(repeating: 0, count: n)
        CurrentPool.with(pool) {
            for _ in 0..<200 {
                parallelChunks(n, threads: 3) { r in
                    // A nested loop on the busy pool runs elsewhere instead of deadlocking.
                    parallelChunks(2, threads: 2) { _ in }
                    for i in r { out[i] += 1 }
                }
            }
        }
        XCTAssertTrue((0..<n).allSatisfy { out[$0] == 200 })
    }
}
