import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Edge cases of the gather/scatter, TopK, ArgMax, OneHot, Tile and Trilu ops that the
/// ONNX node tests do not reach: negative axes and indices, and out-of-range indices or k,
/// which must be errors naming the op and the index, never out-of-bounds memory access.
/// Expected values follow the spec's definitions, written out by hand for tiny inputs.
final class IndexingOpsTests: XCTestCase {
    func run(_ op: String, _ inputs: [Tensor?], _ attrs: [String: Attribute] = [:], opset: Int = 18) throws -> [Tensor] {
        let n = Node(name: "n0", op: op, inputs: inputs.indices.map { "i\($0)" }, outputs: ["y", "z"], attrs: attrs)
        return try OpRegistry.make(n, opset: opset).run(inputs, ExecContext(pool: BufferPool(), threads: 1))
    }

    func floats(_ v: [Float], _ shape: [Int]) -> Tensor { try! Tensor(floats: v, shape: shape) }
    func ints(_ v: [Int64], _ shape: [Int]) -> Tensor { try! Tensor(int64s: v, shape: shape) }

    func assertError(_ body: () throws -> Void, _ parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { e in
            let text = String(describing: e)
            for p in parts { XCTAssertTrue(text.contains(p), "'\(text)' should name \(p)", file: file, line: line) }
        }
    }

    // data [[1,2],[3,4]], axis -1 (= 1), indices [[1,-2],[0,1]] → [[2,1],[3,4]].
    func testGatherElementsNegativeAxisAndIndex() throws {
        let y = try run("GatherElements", [floats([1, 2, 3, 4], [2, 2]), ints([1, -2, 0, 1], [2, 2])], ["axis": .int(-1)])[0]
        XCTAssertEqual(y.floatArray(), [2, 1, 3, 4])
    }

    func testGatherElementsIndexOutOfRangeIsAnError() {
        assertError({ _ = try self.run("GatherElements", [self.floats([1, 2, 3, 4], [2, 2]), self.ints([0, 2, 0, 0], [2, 2])], ["axis": .int(1)]) },
                    ["GatherElements", "index 2", "size 2"])
        assertError({ _ = try self.run("GatherElements", [self.floats([1, 2], [2]), self.ints([0, 0], [2])], ["axis": .int(3)]) },
                    ["axis 3"])
    }

    func testScatterElementsOutOfRangeAndUnknownReduction() {
        assertError({ _ = try self.run("ScatterElements", [self.floats([0, 0, 0], [3]), self.ints([-4], [1]), self.floats([1], [1])]) },
                    ["ScatterElements", "index -4", "size 3"])
        assertError({ _ = try self.run("ScatterElements", [self.floats([0], [1]), self.ints([0], [1]), self.floats([1], [1])], ["reduction": .string("mean")]) },
                    ["ScatterElements(reduction=mean)", "n0"])
    }

    // ScatterND add with a repeated index accumulates both updates: [1,2,3] + 5 + 7 at 1.
    func testScatterNDAddRepeatedIndexAndBadIndex() throws {
        let y = try run("ScatterND", [floats([1, 2, 3], [3]), ints([1, 1], [2, 1]), floats([5, 7], [2])], ["reduction": .string("add")])[0]
        XCTAssertEqual(y.floatArray(), [1, 14, 3])
        assertError({ _ = try self.run("ScatterND", [self.floats([1, 2, 3], [3]), self.ints([3], [1, 1]), self.floats([5], [1])]) },
                    ["ScatterND", "index 3", "size 3"])
        assertError({ _ = try self.run("ScatterND", [self.floats([1, 2, 3], [3]), self.ints([0, 0], [1, 2]), self.floats([5], [1])]) },
                    ["ScatterND", "exceed data rank"])
    }

    // GatherND with batch_dims 1: data [2,2,2], indices [[1],[0]] → [data[0][1], data[1][0]].
    func testGatherNDBatchDimsAndNegativeIndex() throws {
        let data = floats((0..<8).map(Float.init), [2, 2, 2])
        let y = try run("GatherND", [data, ints([1, 0], [2, 1])], ["batch_dims": .int(1)])[0]
        XCTAssertEqual(y.shape, [2, 2])
        XCTAssertEqual(y.floatArray(), [2, 3, 4, 5])
        let z = try run("GatherND", [data, ints([-1, -1], [1, 2])])[0]
        XCTAssertEqual(z.floatArray(), [6, 7])
        assertError({ _ = try self.run("GatherND", [data, self.ints([2, 0], [1, 2])]) }, ["GatherND", "index 2", "size 2"])
    }

    // Per the spec an index outside [-depth, depth-1] gives an all-off row, not an error;
    // a depth below 1 is an error.
    func testOneHotOutOfRangeIndexGivesOffRowAndBadDepthIsAnError() throws {
        let y = try run("OneHot", [ints([-1, 5], [2]), ints([3], []), floats([0, 1], [2])])[0]
        XCTAssertEqual(y.shape, [2, 3])
        XCTAssertEqual(y.floatArray(), [0, 0, 1, 0, 0, 0])
        assertError({ _ = try self.run("OneHot", [self.ints([0], [1]), self.ints([0], []), self.floats([0, 1], [2])]) }, ["OneHot depth 0"])
        assertError({ _ = try self.run("OneHot", [self.ints([0], [1]), self.ints([2], []), self.floats([0, 1, 2], [3])]) }, ["OneHot values"])
    }

    func testTopKBadKIsAnErrorAndTiesKeepTheLowerIndex() throws {
        let x = floats([3, 1, 3, 2], [4])
        let outs = try run("TopK", [x, ints([2], [1])])
        XCTAssertEqual(outs[0].floatArray(), [3, 3])
        XCTAssertEqual(outs[1].int64Array(), [0, 2])
        let smallest = try run("TopK", [x, ints([4], [1])], ["largest": .int(0), "axis": .int(-1)])
        XCTAssertEqual(smallest[1].int64Array(), [1, 3, 0, 2])
        assertError({ _ = try self.run("TopK", [x, self.ints([5], [1])]) }, ["TopK k=5", "size 4"])
        assertError({ _ = try self.run("TopK", [x, self.ints([-1], [1])]) }, ["TopK k=-1"])
        let none = try run("TopK", [x, ints([0], [1])])
        XCTAssertEqual(none[0].shape, [0])
    }

    // int64 values that differ only below float precision must still order correctly.
    func testArgMaxOnLargeInt64() throws {
        let big: Int64 = 1 << 60
        let y = try run("ArgMax", [ints([big, big + 1, big - 1], [3])], ["keepdims": .int(0)])[0]
        XCTAssertEqual(y.int64Array(), [1])
        assertError({ _ = try self.run("ArgMax", [self.floats([], [0])]) }, ["ArgMax", "empty axis"])
    }

    func testTileAndTriluEdgeCases() throws {
        let t = try run("Tile", [ints([1, 2], [2]), ints([3], [1])])[0]
        XCTAssertEqual(t.int64Array(), [1, 2, 1, 2, 1, 2])
        assertError({ _ = try self.run("Tile", [self.ints([1, 2], [2]), self.ints([1, 1], [2])]) }, ["Tile repeats", "rank 1"])
        assertError({ _ = try self.run("Tile", [self.ints([1, 2], [2]), self.ints([-1], [1])]) }, ["Tile repeats"])
        // k beyond the matrix keeps nothing (upper) or everything (lower).
        let m = floats([1, 2, 3, 4], [2, 2])
        XCTAssertEqual(try run("Trilu", [m, ints([5], [])])[0].floatArray(), [0, 0, 0, 0])
        XCTAssertEqual(try run("Trilu", [m, ints([5], [])], ["upper": .int(0)])[0].floatArray(), [1, 2, 3, 4])
        XCTAssertEqual(try run("Trilu", [m, ints([-1], [])], ["upper": .int(0)])[0].floatArray(), [0, 0, 3, 0])
    }

    func testBadAttributesNameNodeOpAndAttribute() {
        assertError({ _ = try self.run("DepthToSpace", [self.floats([1], [1, 1, 1, 1])], ["blocksize": .int(2), "mode": .string("XYZ")]) },
                    ["DepthToSpace(mode=XYZ)", "n0"])
        assertError({ _ = try self.run("SpaceToDepth", [self.floats([1], [1, 1, 1, 1])], ["blocksize": .int(0)]) },
                    ["SpaceToDepth(blocksize=0)", "n0"])
        assertError({ _ = try self.run("GroupNormalization", [self.floats([1], [1, 1, 1])]) }, ["GroupNormalization(num_groups=missing)", "n0"])
        assertError({ _ = try self.run("LSTM", [self.floats([1], [1, 1, 1])], ["direction": .string("sideways")]) },
                    ["LSTM(direction=sideways)", "n0"])
        assertError({ _ = try self.run("GRU", [self.floats([1], [1, 1, 1])], ["activations": .strings(["Sigmoid", "Cube"])]) },
                    ["GRU(activations=Cube)", "n0"])
    }

    func testRotaryEmbeddingPositionOutOfRangeIsAnError() {
        let x = floats([Float](repeating: 1, count: 4), [1, 1, 1, 4])
        let cache = floats([1, 1, 1, 1], [2, 2])
        assertError({ _ = try self.run("RotaryEmbedding", [x, cache, cache, self.ints([2], [1, 1])]) },
                    ["RotaryEmbedding position id 2", "2 positions"])
    }

    // Scalars and empty batches: errors, not traps.
    func testScalarAndEmptyInputsAreErrors() {
        assertError({ _ = try self.run("Hardmax", [self.floats([1], [])]) }, ["Hardmax", "scalar"])
        let w = floats([Float](repeating: 0, count: 12), [1, 12, 1]), r = floats([Float](repeating: 0, count: 36), [1, 12, 3])
        assertError({ _ = try self.run("LSTM", [self.floats([], [2, 0, 1]), w, r])}, ["LSTM", "batch"])
    }

    // NonZero lists coordinates row-major; Compress keeps the flagged slices (a short
    // condition selects from the prefix) and refuses a condition longer than the axis.
    func testNonZeroAndCompress() throws {
        let nz = try run("NonZero", [floats([0, 3, 0, 4, 5, 0], [2, 3])])[0]
        XCTAssertEqual(nz.shape, [2, 3])
        XCTAssertEqual(nz.int64Array(), [0, 1, 1, 1, 0, 1])
        let m = floats([1, 2, 3, 4, 5, 6], [3, 2])
        let c = try run("Compress", [m, ints([0, 1], [2])], ["axis": .int(-2)])[0]
        XCTAssertEqual(c.shape, [1, 2])
        XCTAssertEqual(c.floatArray(), [3, 4])
        let flat = try run("Compress", [m, ints([1, 0, 0, 0, 0, 1], [6])])[0]
        XCTAssertEqual(flat.floatArray(), [1, 6])
        assertError({ _ = try self.run("Compress", [m, self.ints([1, 1, 1, 1], [4])], ["axis": .int(0)]) }, ["Compress condition", "longer"])
    }
}
