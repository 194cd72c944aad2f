import XCTest
@testable import Swiftlet

/// Pooling "none" (a graph that pools itself): rows pass through, optionally normalised;
/// a token-vector output under "none" is a model error, not a silent reinterpretation.
final class PoolingTests: XCTestCase {
    func testNonePassesPooledRowsThrough() throws {
        let t = try Tensor(floats: [3, 4, 0, 1, 0, 0], shape: [2, 3])
        let raw = try Pooling.pool(t, mask: [1, 1, 1, 1], batch: 2, seq: 2, mode: .none, normalize: false)
        XCTAssertEqual(raw, [[3, 4, 0], [1, 0, 0]])
        let unit = try Pooling.pool(t, mask: [1, 1, 1, 1], batch: 2, seq: 2, mode: .none, normalize: true)
        XCTAssertEqual(unit, [[0.6, 0.8, 0], [1, 0, 0]])
    }

    func testNoneRefusesTokenVectors() throws {
        let t = try Tensor(floats: [Float](repeating: 1, count: 2 * 2 * 3), shape: [2, 2, 3])
        XCTAssertThrowsError(try Pooling.pool(t, mask: [1, 1, 1, 1], batch: 2, seq: 2, mode: .none, normalize: false)) { e in
            XCTAssertTrue("\(e)".contains("pooling 'none'"), "\(e)")
        }
    }
}
