import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Model2Vec tables that do not fit together are refused when the model loads.
final class StaticEmbedderTests: XCTestCase {
    func testMalformedTablesAreRejected() throws {
        func model(mapping: [Int64], weights: [Float]?) throws -> String {
            var b = SWLBuilder()
            b.tensors.append(("embeddings", "int8", [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]))
            b.tensors.append(("mapping", "int64", [mapping.count], mapping.withUnsafeBytes { Array($0) }))
            if let weights { b.floatTensor("weights", weights, [weights.count]) }
            b.outputs = b.tensors.map { ["name": $0.name, "dtype": $0.dtype, "shape": $0.shape] }
            b.pipeline = ["kind": "static-embedder", "normalize": true]
            return try b.write()
        }
        func load(_ p: String) throws -> StaticEmbedder {
            defer { try? FileManager.default.removeItem(atPath: p) }
            let m = try ModelFile(path: p)
            return try StaticEmbedder(model: m, config: PipelineConfig(model: m))
        }
        XCTAssertThrowsError(try load(try model(mapping: [0, 1, 2], weights: nil))) { e in
            XCTAssertTrue("\(e)".contains("mapping[2] = 2"), "\(e)")
        }
        XCTAssertThrowsError(try load(try model(mapping: [0, 1, 1], weights: [1, 1]))) { e in
            XCTAssertTrue("\(e)".contains("'weights' must be float32 [3]"), "\(e)")
        }
        // A well-formed tiny table: ids 0 and 2 both map to row 1 ([5, 6, 7, 8]); mean of
        // 2×row and 1×row = 1.5×row, normalized.
        let t = try load(try model(mapping: [0, 1, 1], weights: [1, 2, 1]))
        let v = try t.vector(ids: [1, 2])
        let r: [Float] = [5, 6, 7, 8]
        let n = r.reduce(0) { $0 + $1 * $1 }.squareRoot()
        XCTAssertLessThanOrEqual(maxAbsDiff(v, r.map { $0 / n }), 1e-7)
    }
}
