import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// A graph whose legal shapes ask for more memory than the run may hold gets an error from
/// the op that asked (SessionOptions.memoryLimit, default the machine's physical memory),
/// and the session keeps working afterwards.
final class MemoryLimitTests: XCTestCase {
    /// x [1] expanded to `shape`: the output alone is 4 · Π shape bytes.
    func expandGraph(_ shape: [Int64]) throws -> GraphIR {
        let s = Tensor(zeros: .int64, shape: [shape.count])
        for (i, v) in shape.enumerated() { s.i64[i] = v }
        return testGraph(inputs: [("x", [1])], outputs: ["y"], nodes: [node("Expand", ["x", "shape"], "y")],
                         constants: ["shape": s])
    }

    func assertOutOfMemory(_ body: () throws -> Any, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), what, file: file, line: line) { e in
            guard case SwiftletError.runtime(let m) = e, m.contains("out of memory") else {
                return XCTFail("\(what): expected the out-of-memory error, got \(e)", file: file, line: line)
            }
        }
    }

    func testTerabyteShapeIsAnErrorUnderTheDefaultLimit() throws {
        let session = try GraphFile.session(try expandGraph([1 << 20, 1 << 20]), options: SessionOptions(threads: 1))
        let x = try Tensor(floats: [2], shape: [1])
        assertOutOfMemory({ try session.run(["x": x]) }, "4 TiB Expand")
        // Element counts that overflow Int are caught before any allocation: an error, not a trap.
        let huge = try GraphFile.session(try expandGraph([1 << 40, 1 << 40]), options: SessionOptions(threads: 1))
        XCTAssertThrowsError(try huge.run(["x": x])) { e in
            guard case SwiftletError.shapeMismatch(let m) = e else { return XCTFail("got \(e)") }
            XCTAssertTrue(m.contains("more elements than an Int"), m)
        }
    }

    func testExplicitLimitBoundsARunAndTheSessionRecovers() throws {
        let g = try expandGraph([512, 1024])  // 2 MiB output
        let x = try Tensor(floats: [3], shape: [1])
        let tight = try GraphFile.session(g, options: SessionOptions(threads: 1, memoryLimit: 1 << 20))
        assertOutOfMemory({ try tight.run(["x": x]) }, "2 MiB output under a 1 MiB limit")
        assertOutOfMemory({ try tight.run(["x": x]) }, "same run again")
        let roomy = try GraphFile.session(g, options: SessionOptions(threads: 1, memoryLimit: 4 << 20))
        for _ in 0..<3 {
            let y = try XCTUnwrap(roomy.run(["x": x])["y"])
            XCTAssertEqual(y.shape, [512, 1024])
            XCTAssertEqual(y.f32[0], 3)
            XCTAssertEqual(y.f32[512 * 1024 - 1], 3)
        }
    }

    func testPoolAccountingSurvivesRefusals() throws {
        let pool = BufferPool(limit: 4096)
        XCTAssertThrowsError(try pool.allocate(8192))
        XCTAssertThrowsError(try pool.allocate(-1))
        XCTAssertThrowsError(try pool.allocate(Int.max))
        var held: [Storage] = []
        for _ in 0..<4 { held.append(try pool.allocate(1024)) }
        XCTAssertThrowsError(try pool.allocate(64), "a fifth KiB is past the limit")
        held.removeAll()
        // Everything returned: the whole limit is available again.
        _ = try pool.allocate(4096)
        XCTAssertEqual(BufferPool(limit: nil).limit, BufferPool.physicalMemoryBytes)
        XCTAssertGreaterThan(BufferPool.physicalMemoryBytes, 1 << 30)
    }
}
