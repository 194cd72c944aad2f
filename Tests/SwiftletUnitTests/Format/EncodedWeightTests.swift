import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Weights stored int8 / Q8_0 / Q4_0 / float16 (docs/FORMAT.md): each decodes to the
/// values the format defines, int8/Q8_0/Q4_0 MatMuls run the integer GEMM, Gather tables
/// stay encoded and decode only the rows asked for, and malformed encodings are refused
/// when the file opens.
final class EncodedWeightTests: XCTestCase {
    static let k = 64, n = 40

    /// y = x · W, W [k, n] stored with `encoding`; x is an input [rows, k].
    func model(_ bytes: [UInt8], encoding: [String: Any], scales: [Float]? = nil, shape: [Int] = [k, n]) throws -> String {
        var b = SWLBuilder()
        b.inputs = [["name": "x", "dtype": "float32", "shape": ["rows", shape[0]]]]
        b.outputs = [["name": "y", "dtype": "float32", "shape": ["rows", shape[1]]]]
        b.nodes = [["name": "mm", "op": "MatMul", "inputs": ["x", "W"], "outputs": ["y"]]]
        b.tensors.append(("W", "float32", shape, bytes))
        b.encodings["W"] = (encoding, scales.map { s in s.withUnsafeBytes { Array($0) } })
        return try b.write()
    }

    func run(_ path: String, _ x: [Float], rows: Int) throws -> [Float] {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let s = try Session(path: path, options: SessionOptions(threads: 1))
        let y = try s.run(["x": try Tensor(floats: x, shape: [rows, Self.k])])["y"]!
        return (0..<y.count).map { y.f32[$0] }
    }

    /// The identity as input: the output is W as the session decoded it. Float weights
    /// (float16) come back exactly; through the integer GEMM a row of the identity is
    /// quantized exactly (1 → 127, scale 1/127), and only the final float scaling
    /// (127·q · ((1/127) · d)) may round differently from d · q: 2 ulp.
    func decoded(_ path: String) throws -> [Float] {
        var eye = [Float](repeating: 0, count: Self.k * Self.k)
        for i in 0..<Self.k { eye[i * Self.k + i] = 1 }
        return try run(path, eye, rows: Self.k)
    }

    func assertClose(_ got: [Float], _ want: [Float], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.count, want.count, file: file, line: line)
        for i in 0..<min(got.count, want.count) {
            XCTAssertEqual(got[i], want[i], accuracy: 2 * want[i].ulp, "@\(i)", file: file, line: line)
        }
    }

    func halfBytes(_ x: Float) -> [UInt8] { withUnsafeBytes(of: Float16(x).bitPattern.littleEndian) { Array($0) } }

    func testFloat16() throws {
        let w = (0..<(Self.k * Self.n)).map { Float($0 % 97) * 0.125 - 6 }
        let bytes = w.flatMap(halfBytes)
        XCTAssertEqual(try decoded(try model(bytes, encoding: ["type": "float16"])), w)
    }

    func testQ8_0AlongK() throws {
        // Axis 0 (k): for each column j, k/32 blocks of (fp16 d, 32 × int8).
        var bytes: [UInt8] = [], want = [Float](repeating: 0, count: Self.k * Self.n)
        for j in 0..<Self.n {
            for blk in 0..<(Self.k / 32) {
                let d = Float(j + 1) * 0.0625
                bytes += halfBytes(d)
                for e in 0..<32 {
                    let q = Int8((j * 7 + e * 5 + blk) % 255 - 127)
                    bytes.append(UInt8(bitPattern: q))
                    want[(blk * 32 + e) * Self.n + j] = d * Float(q)
                }
            }
        }
        assertClose(try decoded(try model(bytes, encoding: ["type": "q8_0", "axis": 0])), want)
    }

    func testQ4_0AlongK() throws {
        // Byte i of a block: element i in the low nibble, element i + 16 in the high one.
        var bytes: [UInt8] = [], want = [Float](repeating: 0, count: Self.k * Self.n)
        for j in 0..<Self.n {
            for blk in 0..<(Self.k / 32) {
                let d = Float(j % 5 + 1) * 0.5
                bytes += halfBytes(d)
                for i in 0..<16 {
                    let lo = (j + i + blk) % 16, hi = (3 * j + i) % 16
                    bytes.append(UInt8(lo | hi << 4))
                    want[(blk * 32 + i) * Self.n + j] = d * Float(lo - 8)
                    want[(blk * 32 + i + 16) * Self.n + j] = d * Float(hi - 8)
                }
            }
        }
        assertClose(try decoded(try model(bytes, encoding: ["type": "q4_0", "axis": 0])), want)
    }

    func int8Weights() -> (q: [Int8], scales: [Float]) {
        let q = (0..<(Self.k * Self.n)).map { Int8(($0 * 37) % 255 - 127) }
        return (q, (0..<Self.n).map { Float($0 + 1) * 0.01 })
    }

    func testInt8RunsTheIntegerGemm() throws {
        let (q, scales) = int8Weights()
        let bytes = q.map { UInt8(bitPattern: $0) }
        let path = try model(bytes, encoding: ["type": "int8", "axis": 1], scales: scales)
        let m = try ModelFile(path: path)
        let g = try GraphIR(model: m)
        XCTAssertNotNil(g.encoded["W"], "an int8 MatMul weight stays encoded")
        XCTAssertNotNil(try QuantizedMatMulOp.make(g.nodes[0], encoded: g.encoded, threads: 1))
        XCTAssertEqual(m.weightBytes, q.count + 4 * Self.n)
        // Against the definition: rows quantized to int8 (scale max|x|/127; k = 64 is one
        // activation block), exact int32 sums.
        let rows = 3
        let x = testRandoms(rows * Self.k, seed: 5)
        let y = try run(path, x, rows: rows)
        for r in 0..<rows {
            let row = x[(r * Self.k)..<((r + 1) * Self.k)]
            let amax = row.map(abs).max()!
            let qx = row.map { Int32(($0 * (127 / amax)).rounded(.toNearestOrEven)) }
            for j in 0..<Self.n {
                var s: Int32 = 0
                for kk in 0..<Self.k { s += qx[kk] * Int32(q[kk * Self.n + j]) }
                let want = Float(s) * (scales[j] * (amax / 127))
                XCTAssertEqual(y[r * Self.n + j], want, accuracy: 1e-5 * max(1, abs(want)))
            }
        }
    }

    func testInt8ReadByAnotherOpIsDequantized() throws {
        // W feeds an Add as well as the MatMul: the Add gets float32 values.
        let (q, scales) = int8Weights()
        var b = SWLBuilder()
        b.inputs = [["name": "x", "dtype": "float32", "shape": [Self.k, Self.n]]]
        b.outputs = [["name": "y", "dtype": "float32", "shape": [Self.k, Self.n]]]
        b.nodes = [["name": "add", "op": "Add", "inputs": ["x", "W"], "outputs": ["y"]]]
        b.tensors.append(("W", "float32", [Self.k, Self.n], q.map { UInt8(bitPattern: $0) }))
        b.encodings["W"] = (["type": "int8", "axis": 1], scales.withUnsafeBytes { Array($0) })
        let path = try b.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let s = try Session(path: path, options: SessionOptions(threads: 1))
        let y = try s.run(["x": try Tensor(floats: [Float](repeating: 0, count: Self.k * Self.n), shape: [Self.k, Self.n])])["y"]!
        for i in 0..<(Self.k * Self.n) { XCTAssertEqual(y.f32[i], Float(q[i]) * scales[i % Self.n]) }
    }

    /// Q4_0 weights along k as the integer GEMM reads them: activations quantized per
    /// block of 32 k (the weights' block), each block's exact int32 sum scaled by
    /// (activation scale · d) and added in float.
    func testQ4_0RunsTheIntegerGemmPerBlock() throws {
        var bytes: [UInt8] = [], q = [Int8](repeating: 0, count: Self.k * Self.n)
        var d = [Float](repeating: 0, count: (Self.k / 32) * Self.n)
        for j in 0..<Self.n {
            for blk in 0..<(Self.k / 32) {
                let dv = Float(Float16(Float(j % 7 + 1) * 0.03 + Float(blk) * 0.01))
                d[blk * Self.n + j] = dv
                bytes += halfBytes(dv)
                for i in 0..<16 {
                    let lo = (5 * j + i + blk) % 16, hi = (j + 3 * i) % 16
                    bytes.append(UInt8(lo | hi << 4))
                    q[(blk * 32 + i) * Self.n + j] = Int8(lo - 8)
                    q[(blk * 32 + i + 16) * Self.n + j] = Int8(hi - 8)
                }
            }
        }
        let path = try model(bytes, encoding: ["type": "q4_0", "axis": 0])
        let g = try GraphIR(model: try ModelFile(path: path))
        XCTAssertNotNil(g.encoded["W"], "a Q4_0 MatMul weight stays encoded")
        XCTAssertNotNil(try QuantizedMatMulOp.make(g.nodes[0], encoded: g.encoded, threads: 1))
        let rows = 5
        let x = testRandoms(rows * Self.k, seed: 8)
        let y = try run(path, x, rows: rows)
        for r in 0..<rows {
            var acc = [Float](repeating: 0, count: Self.n)
            for blk in 0..<(Self.k / 32) {
                let part = x[(r * Self.k + blk * 32)..<(r * Self.k + blk * 32 + 32)]
                let amax = part.map(abs).max()!
                let qx = part.map { Int32(($0 * (127 / amax)).rounded(.toNearestOrEven)) }
                for j in 0..<Self.n {
                    var s: Int32 = 0
                    for (e, v) in qx.enumerated() { s += v * Int32(q[(blk * 32 + e) * Self.n + j]) }
                    acc[j] = acc[j].addingProduct(Float(s), (amax / 127) * d[blk * Self.n + j])
                }
            }
            for j in 0..<Self.n { XCTAssertEqual(y[r * Self.n + j], acc[j], accuracy: 1e-6 * max(1, abs(acc[j])), "row \(r) col \(j)") }
        }
    }

    /// Gather (axis 0) from a [rows, width] table in each row-decodable encoding: the table
    /// stays encoded, each gathered row equals the dequantized table's row exactly,
    /// negative indices count from the end, and an index out of range is an error.
    func testGatherDecodesRowsOfAnEncodedTable() throws {
        let rows = 9, width = 64
        var cases: [(String, [String: Any], [UInt8], [Float]?)] = []
        cases.append(("float16", ["type": "float16"], (0..<(rows * width)).flatMap { halfBytes(Float($0 % 41) * 0.25 - 5) }, nil))
        let q8 = (0..<(rows * width)).map { UInt8(bitPattern: Int8(($0 * 29) % 255 - 127)) }
        cases.append(("int8 per row", ["type": "int8", "axis": 0], q8, (0..<rows).map { Float($0 + 1) * 0.02 }))
        var q8b: [UInt8] = [], q4b: [UInt8] = []
        for r in 0..<rows {
            for blk in 0..<(width / 32) {
                q8b += halfBytes(Float(r + blk + 1) * 0.125)
                q8b += (0..<32).map { UInt8(bitPattern: Int8(($0 * 13 + r * 7 + blk) % 255 - 127)) }
                q4b += halfBytes(Float(r * 2 + blk + 1) * 0.0625)
                q4b += (0..<16).map { UInt8(($0 + r) % 16 | (($0 * 3 + blk) % 16) << 4) }
            }
        }
        cases.append(("q8_0 along rows", ["type": "q8_0", "axis": 1], q8b, nil))
        cases.append(("q4_0 along rows", ["type": "q4_0", "axis": 1], q4b, nil))
        for (label, enc, bytes, scales) in cases {
            var b = SWLBuilder()
            b.inputs = [["name": "ids", "dtype": "int64", "shape": ["n"]]]
            b.outputs = [["name": "y", "dtype": "float32", "shape": ["n", width]]]
            b.nodes = [["name": "g", "op": "Gather", "inputs": ["E", "ids"], "outputs": ["y"], "attrs": ["axis": ["i": 0]]]]
            b.tensors.append(("E", "float32", [rows, width], bytes))
            b.encodings["E"] = (enc, scales.map { s in s.withUnsafeBytes { Array($0) } })
            let path = try b.write()
            defer { try? FileManager.default.removeItem(atPath: path) }
            let m = try ModelFile(path: path)
            let g = try GraphIR(model: m)
            XCTAssertNotNil(g.encoded["E"], "\(label): a Gather table stays encoded")
            let table = m.encoded["E"]!.dequantized()
            let s = try Session(path: path, options: SessionOptions(threads: 1))
            let ids: [Int64] = [3, 0, -1, 3, 8]
            let y = try s.run(["ids": try Tensor(int64s: ids, shape: [ids.count])])["y"]!
            XCTAssertEqual(y.shape, [ids.count, width])
            for (j, i) in ids.enumerated() {
                let r = Int(i < 0 ? i + Int64(rows) : i)
                for c in 0..<width { XCTAssertEqual(y.f32[j * width + c], table.f32[r * width + c], "\(label) row \(r) col \(c)") }
            }
            XCTAssertThrowsError(try s.run(["ids": try Tensor(int64s: [Int64(rows)], shape: [1])]), label) { e in
                XCTAssertTrue("\(e)".contains("out of range"), "\(label): \(e)")
            }
        }
    }

    func testInt8MinusOneTwentyEightIsRefusedByTheIntegerGemm() throws {
        let (q, scales) = int8Weights()
        var bytes = q.map { UInt8(bitPattern: $0) }
        bytes[5] = 0x80
        let path = try model(bytes, encoding: ["type": "int8", "axis": 1], scales: scales)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try Session(path: path, options: SessionOptions(threads: 1))) { e in
            XCTAssertTrue("\(e)".contains("-128") && "\(e)".contains("'W'"), "\(e)")
        }
    }

    func testQ8_0MinusOneTwentyEightIsRefusedByTheIntegerGemm() throws {
        var bytes: [UInt8] = []
        for j in 0..<Self.n { for _ in 0..<(Self.k / 32) { bytes += halfBytes(0.5); bytes += (0..<32).map { UInt8(($0 + j) % 100) } } }
        bytes[2 + 7] = 0x80
        let path = try model(bytes, encoding: ["type": "q8_0", "axis": 0])
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try Session(path: path, options: SessionOptions(threads: 1))) { e in
            XCTAssertTrue("\(e)".contains("-128"), "\(e)")
        }
    }

    func testMalformedEncodingsAreRefused() throws {
        let (q, scales) = int8Weights()
        let good = q.map { UInt8(bitPattern: $0) }
        var zeroScale = scales
        zeroScale[3] = 0
        let cases: [(String, [UInt8], [String: Any], [Float]?, [Int])] = [
            ("scales", good, ["type": "int8", "axis": 1], nil, [Self.k, Self.n]),
            ("int8 scales", good, ["type": "int8", "axis": 0], scales, [Self.k, Self.n]),
            ("finite and positive", good, ["type": "int8", "axis": 1], zeroScale, [Self.k, Self.n]),
            ("needs an axis", good, ["type": "int8", "axis": 2], scales, [Self.k, Self.n]),
            ("needs", Array(good.dropLast()), ["type": "int8", "axis": 1], scales, [Self.k, Self.n]),
            ("multiple of 32", [UInt8](repeating: 0, count: 18 * 40), ["type": "q4_0", "axis": 0], nil, [48, 40]),
            ("needs", [UInt8](repeating: 0, count: 17), ["type": "q8_0", "axis": 0], nil, [Self.k, Self.n]),
            ("unknown encoding", good, ["type": "int3"], nil, [Self.k, Self.n]),
            ("needs", good, ["type": "float16"], nil, [Self.k, Self.n]),
        ]
        for (needle, bytes, enc, sc, shape) in cases {
            let path = try model(bytes, encoding: enc, scales: sc, shape: shape)
            defer { try? FileManager.default.removeItem(atPath: path) }
            XCTAssertThrowsError(try ModelFile(path: path), "\(enc)") { e in
                XCTAssertTrue("\(e)".contains(needle), "\(enc): \(e)")
            }
        }
    }
}
