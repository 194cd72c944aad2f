import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

// ONNX QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, MatMulInteger and
// QLinearMatMul against the spec's definitions (onnx/docs/Operators.md and the onnx.reference
// implementations), written out here independently:
// - hard-coded cases are the spec's own examples, their outputs computed by onnx 1.x's
//   ReferenceEvaluator (noted where used);
// - random cases use a plain reference in the test: Int64 sums for the integer products
//   (exact, then wrapped to int32), and for the float steps the spec's float32 formula with
//   inputs chosen so that no tie or boundary depends on the last bit (power-of-two scales),
//   except where a test is about ties (exactly representable halves).
// Every comparison is exact unless a tolerance is stated.

private func u8(_ v: [UInt8], _ shape: [Int]) -> Tensor { v.withUnsafeBytes { try! Tensor(dtype: .uint8, shape: shape, bytes: $0) } }
private func i8(_ v: [Int8], _ shape: [Int]) -> Tensor { v.withUnsafeBytes { try! Tensor(dtype: .int8, shape: shape, bytes: $0) } }
private func i32(_ v: [Int32], _ shape: [Int]) -> Tensor { v.withUnsafeBytes { try! Tensor(dtype: .int32, shape: shape, bytes: $0) } }
private func f32(_ v: [Float], _ shape: [Int]) -> Tensor { try! Tensor(floats: v, shape: shape) }
private func ints(_ t: Tensor) -> [Int64] { t.int64Array() }

/// Deterministic integers in lo...hi.
private func randomInts(_ n: Int, _ lo: Int, _ hi: Int, seed: UInt64) -> [Int] {
    testRandoms(n, seed: seed).map { r in min(hi, lo + Int((Double(r) + 1) / 2 * Double(hi - lo + 1))) }
}

private func ctx(_ threads: Int = 1) -> ExecContext { ExecContext(pool: BufferPool(), threads: threads) }

/// A one-node graph through `Session` (load, registry, attribute parsing), inputs fed with
/// their own dtypes, constants as given.
private func runGraph(_ op: String, feeds: [(String, Tensor)], constants: [String: Tensor] = [:], inputs: [String],
                      outputs: [(String, DType)], attrs: [String: Attribute] = [:], opset: Int = 21, threads: Int = 1) throws -> [Tensor] {
    let g = GraphIR(inputs: feeds.map { ValueInfo(name: $0.0, dtype: $0.1.dtype, dims: $0.1.shape.map { .fixed($0) }) },
                    outputs: outputs.map { ValueInfo(name: $0.0, dtype: $0.1, dims: []) },
                    nodes: [Node(name: "q", op: op, inputs: inputs, outputs: outputs.map { $0.0 }, attrs: attrs)],
                    constants: constants, opset: opset)
    let s = try GraphFile.session(g, options: SessionOptions(threads: threads))
    let y = try s.run(Dictionary(uniqueKeysWithValues: feeds))
    return try outputs.map { try XCTUnwrap(y[$0.0]) }
}

final class QuantizeLinearTests: XCTestCase {
    let specials: [Float] = [0, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.49, 1000, -1000, .nan, .infinity, -.infinity, -0.0]

    func testPerTensorUInt8RoundsHalfToEvenAndSaturates() throws {
        let x = f32(specials, [specials.count])
        let y = try QuantizeLinearOp().run([x, f32([1], []), u8([128], [])], ctx())[0]
        XCTAssertEqual(y.dtype, .uint8)
        // round(x) half to even: 0, 0, 2, 2, -0, -2, -2, 3; ±1000 and ±inf saturate; NaN → the minimum.
        XCTAssertEqual(ints(y), [128, 128, 130, 130, 128, 126, 126, 131, 255, 0, 0, 255, 0, 128])
    }

    func testPerTensorInt8AndDefaultZeroPoint() throws {
        let x = f32(specials, [specials.count])
        let y = try QuantizeLinearOp().run([x, f32([0.5], []), i8([-3], [])], ctx())[0]
        XCTAssertEqual(y.dtype, .int8)
        // x / 0.5 = 0, 1, 3, 5, -1, -3, -5, 6.98 → round → + (-3), clamp to -128...127
        XCTAssertEqual(ints(y), [-3, -2, 0, 2, -4, -6, -8, 4, 127, -128, -128, 127, -128, -3])
        // No zero point: uint8 with zero point 0 (negatives saturate to 0).
        let d = try QuantizeLinearOp().run([x, f32([1], [])], ctx())[0]
        XCTAssertEqual(d.dtype, .uint8)
        XCTAssertEqual(ints(d), [0, 0, 2, 2, 0, 0, 0, 3, 255, 0, 0, 255, 0, 0])
        // output_dtype (opset 21) picks int8 without a zero point.
        let o = try QuantizeLinearOp(outputType: .int8).run([x, f32([1], [])], ctx())[0]
        XCTAssertEqual(o.dtype, .int8)
        XCTAssertEqual(ints(o), [0, 0, 2, 2, 0, -2, -2, 3, 127, -128, -128, 127, -128, 0])
    }

    /// Per-axis and per-block layouts against the spec's formula, element by element
    /// (power-of-two scales: x / scale is exact, so the reference's float32 and Double agree).
    func reference(_ x: [Float], shape: [Int], axis: Int, block: Int, scales: [Float], zeros: [Int], lo: Int, hi: Int,
                   paramIndex: (Int, Int, Int) -> Int) -> [Int64] {
        let a = axis < 0 ? axis + shape.count : axis
        let outer = shape[..<a].reduce(1, *), dim = shape[a], inner = shape[(a + 1)...].reduce(1, *)
        var out = [Int64](repeating: 0, count: x.count)
        for o in 0..<outer { for d in 0..<dim { for i in 0..<inner {
            let e = (o * dim + d) * inner + i, p = paramIndex(o, d, i)
            let q = (Double(x[e]) / Double(scales[p])).rounded(.toNearestOrEven) + Double(zeros[p])
            out[e] = Int64(min(Double(hi), max(Double(lo), q)))
        } } }
        return out
    }

    func testPerAxisInt8() throws {
        let shape = [2, 3, 4]
        let x = testRandoms(24, seed: 3).map { $0 * 300 }
        let scales: [Float] = [0.5, 2, 4], zeros: [Int8] = [-10, 0, 7]
        for axis in [1, -2] {
            let y = try QuantizeLinearOp(axis: axis).run([f32(x, shape), f32(scales, [3]), i8(zeros, [3])], ctx())[0]
            XCTAssertEqual(ints(y), reference(x, shape: shape, axis: axis, block: 0, scales: scales, zeros: zeros.map(Int.init),
                                              lo: -128, hi: 127) { _, d, _ in d })
        }
        // Through a graph: the axis attribute from the node (axis 0: one scale per leading index).
        let y = try runGraph("QuantizeLinear", feeds: [("x", f32(x, shape))], constants: ["s": f32([0.25, 8], [2]), "z": u8([100, 3], [2])],
                             inputs: ["x", "s", "z"], outputs: [("y", .uint8)], attrs: ["axis": .int(0)])[0]
        XCTAssertEqual(ints(y), reference(x, shape: shape, axis: 0, block: 0, scales: [0.25, 8], zeros: [100, 3], lo: 0, hi: 255) { _, d, _ in d })
    }

    func testBlocked() throws {
        // x [2, 5], axis 1, block_size 2: 3 blocks per row (the last one short).
        let shape = [2, 5]
        let x = testRandoms(10, seed: 5).map { $0 * 40 }
        let scales: [Float] = [0.5, 1, 2, 0.25, 4, 8], zeros: [UInt8] = [10, 20, 30, 40, 50, 60]
        let y = try runGraph("QuantizeLinear", feeds: [("x", f32(x, shape))], constants: ["s": f32(scales, [2, 3]), "z": u8(zeros, [2, 3])],
                             inputs: ["x", "s", "z"], outputs: [("y", .uint8)], attrs: ["axis": .int(1), "block_size": .int(2)])[0]
        XCTAssertEqual(ints(y), reference(x, shape: shape, axis: 1, block: 2, scales: scales, zeros: zeros.map(Int.init), lo: 0, hi: 255) { o, d, _ in o * 3 + d / 2 })
    }

    func testInt32InputAndZeroScaleDoNotTrap() throws {
        let y = try QuantizeLinearOp().run([i32([-7, 0, 7, 1_000_000], [4]), f32([2], []), i8([1], [])], ctx())[0]
        XCTAssertEqual(ints(y), [-3, 1, 5, 127])  // -3.5 → -4, 3.5 → 4 (ties to even), then + 1
        // Scale 0: x/0 is ±inf (saturates) or NaN (0/0: the minimum); no float-to-int trap.
        let z = try QuantizeLinearOp().run([f32([1, -1, 0], [3]), f32([0], []), u8([5], [])], ctx())[0]
        XCTAssertEqual(ints(z), [255, 0, 0])
    }

    func testErrors() {
        let x = f32([1, 2, 3, 4, 5, 6], [2, 3])
        expectError({ _ = try QuantizeLinearOp().run([i8([1], [1]), f32([1], [])], ctx()) }, contains: "x must be float32 or int32")
        expectError({ _ = try QuantizeLinearOp().run([x, i32([1], [])], ctx()) }, contains: "y_scale must be float32")
        expectError({ _ = try QuantizeLinearOp().run([x, f32([1], []), i32([1], [])], ctx()) }, contains: "y_zero_point must be uint8 or int8")
        expectError({ _ = try QuantizeLinearOp().run([x, f32([1, 1, 1], [3]), u8([1, 1], [2])], ctx()) }, contains: "must have the same shape")
        expectError({ _ = try QuantizeLinearOp(axis: 0).run([x, f32([1, 1, 1], [3])], ctx()) }, contains: "1-D tensor of 2 values")
        expectError({ _ = try QuantizeLinearOp(axis: 2).run([x, f32([1, 1], [2])], ctx()) }, contains: "axis 2 is out of range")
        expectError({ _ = try QuantizeLinearOp(axis: 1, blockSize: 2).run([x, f32([1, 1], [2, 1])], ctx()) }, contains: "block_size 2")
        expectError({ _ = try QuantizeLinearOp(outputType: .int8).run([x, f32([1], []), u8([1], [])], ctx()) }, contains: "output_dtype")
        expectError({ _ = try QuantizeLinearOp().run([x], ctx()) }, contains: "y_scale")
        do {
            _ = try QuantizeLinearOp().run([x, f32([1, 2], [2])], ctx())
            XCTFail("expected a throw")
        } catch let e as SwiftletError {
            guard case .invalidInput = e else { return XCTFail("expected invalidInput, got \(e)") }
        } catch { XCTFail("\(error)") }
    }
}

final class DequantizeLinearTests: XCTestCase {
    func testPerTensor() throws {
        // (x − zp) · scale: small integers times a float32 scale, one rounding, so the Double
        // product rounded to float32 is the exact expectation.
        let x: [UInt8] = [0, 1, 127, 128, 129, 254, 255]
        let y = try DequantizeLinearOp().run([u8(x, [7]), f32([0.1], []), u8([128], [])], ctx())[0]
        XCTAssertEqual(y.floatArray(), x.map { Float((Double(Int($0) - 128) * Double(Float(0.1)))) })
        let s = try DequantizeLinearOp().run([i8([-128, -1, 0, 127], [4]), f32([0.5], [1]), i8([-128], [1])], ctx())[0]
        XCTAssertEqual(s.floatArray(), [0, 63.5, 64, 127.5])
        // No zero point, and int32 input (zero point must be 0).
        let n = try DequantizeLinearOp().run([i32([-5, 1 << 30], [2]), f32([0.25], [])], ctx())[0]
        XCTAssertEqual(n.floatArray(), [-1.25, Float(1 << 28)])
        let z = try DequantizeLinearOp().run([i32([3], [1]), f32([2], []), i32([0], [])], ctx())[0]
        XCTAssertEqual(z.floatArray(), [6])
    }

    func testPerAxisAndBlocked() throws {
        let x = randomInts(24, -128, 127, seed: 9).map { Int8($0) }
        let scales: [Float] = [0.5, 0.003, 7], zeros: [Int8] = [3, -4, 0]
        for axis in [1, -2] {
            let y = try DequantizeLinearOp(axis: axis).run([i8(x, [2, 3, 4]), f32(scales, [3]), i8(zeros, [3])], ctx())[0].floatArray()
            for e in 0..<24 {
                let d = (e / 4) % 3
                XCTAssertEqual(y[e], Float(Double(Int(x[e]) - Int(zeros[d])) * Double(scales[d])), "element \(e)")
            }
        }
        // Blocked along axis 0 of [5, 2] with block 2: scale [3, 2].
        let bx: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], bs: [Float] = [1, 2, 3, 4, 5, 6], bz: [UInt8] = [0, 1, 2, 3, 4, 5]
        let y = try runGraph("DequantizeLinear", feeds: [("x", u8(bx, [5, 2]))], constants: ["s": f32(bs, [3, 2]), "z": u8(bz, [3, 2])],
                             inputs: ["x", "s", "z"], outputs: [("y", .float32)], attrs: ["axis": .int(0), "block_size": .int(2)])[0]
        var want: [Float] = []
        for r in 0..<5 { for c in 0..<2 { let p = (r / 2) * 2 + c; want.append(Float(Int(bx[r * 2 + c]) - Int(bz[p])) * bs[p]) } }
        XCTAssertEqual(y.floatArray(), want)
    }

    func testErrors() {
        expectError({ _ = try DequantizeLinearOp().run([f32([1], [1]), f32([1], [])], ctx()) }, contains: "x must be uint8, int8 or int32")
        expectError({ _ = try DequantizeLinearOp().run([u8([1], [1]), f32([1], []), i8([0], [])], ctx()) }, contains: "they must match")
        expectError({ _ = try DequantizeLinearOp().run([i32([1], [1]), f32([1], []), i32([2], [])], ctx()) }, contains: "zero point of 0")
        expectError({ _ = try DequantizeLinearOp().run([u8([1, 2], [1, 2]), f32([1, 2, 3], [3])], ctx()) }, contains: "1-D tensor of 2 values")
        expectError({ _ = try DequantizeLinearOp().run([u8([1, 2], [1, 2]), f32([1, 2], [2]), u8([1], [])], ctx()) }, contains: "same shape")
    }
}

final class DynamicQuantizeLinearTests: XCTestCase {
    func run(_ x: [Float], shape: [Int]? = nil, threads: Int = 1) throws -> (y: [Int64], scale: Float, zero: Int64) {
        let o = try DynamicQuantizeLinearOp().run([f32(x, shape ?? [x.count])], ctx(threads))
        XCTAssertEqual(o[0].dtype, .uint8)
        XCTAssertEqual(o[1].shape, [])
        XCTAssertEqual(o[2].dtype, .uint8)
        return (ints(o[0]), o[1].f32[0], ints(o[2])[0])
    }

    func testSpecExamples() throws {
        // The spec's examples; expected outputs from onnx.reference.
        var r = try run([0, 2, -3, -2.5, 1.34, 0.5])
        XCTAssertEqual(r.y, [153, 255, 0, 26, 221, 179])
        XCTAssertEqual(r.scale, Float(5) / 255)
        XCTAssertEqual(r.zero, 153)
        r = try run([-1.0, -2.5, -0.25])      // all negative: the range is [min, 0], zero point 255
        XCTAssertEqual(r.y, [153, 0, 229])
        XCTAssertEqual(r.zero, 255)
        r = try run([1, 2.55, 0.3])           // all positive: zero point 0
        XCTAssertEqual(r.zero, 0)
        XCTAssertEqual(r.scale, Float(2.55) / 255)
        XCTAssertEqual(r.y[1], 255)
    }

    func testRoundingTiesToEven() throws {
        // Range 255 → scale exactly 1; -min/scale = 0.5 → zero point 0; x = -0.5 → -0 → 0;
        // 254.5 → 254 (tie to even).
        var r = try run([-0.5, 254.5, 1.5, 2.5])
        XCTAssertEqual(r.scale, 1)
        XCTAssertEqual(r.zero, 0)
        XCTAssertEqual(r.y, [0, 254, 2, 2])
        // -min/scale = 1.5 → zero point 2; 253.5 → 254 + 2 saturates at 255; -1.5 → -2 + 2 = 0.
        r = try run([-1.5, 253.5, 0.5])
        XCTAssertEqual(r.zero, 2)
        XCTAssertEqual(r.y, [0, 255, 2])
    }

    func testRandomAgainstFormulaAndThreads() throws {
        let x = testRandoms(300_001, seed: 13).map { $0 * 3 - 0.7 }
        let r = try run(x)
        let mx = max(0, x.max()!), mn = min(0, x.min()!)
        let scale = (mx - mn) / 255
        XCTAssertEqual(r.scale, scale)
        let zp = min(255, max(0, (0 - mn / scale).rounded(.toNearestOrEven)))
        XCTAssertEqual(r.zero, Int64(zp))
        for (i, v) in x.enumerated() where i % 7 == 0 {
            let q = min(255, max(0, (v / scale).rounded(.toNearestOrEven) + zp))
            XCTAssertEqual(r.y[i], Int64(q), "x[\(i)] = \(v)")
        }
        let t = try run(x, threads: 2)
        XCTAssertEqual(t.y, r.y)
    }

    func testDegenerateInputsDoNotTrap() throws {
        var r = try run([0, 0, -0.0])          // range {0}: scale 1 (as onnxruntime), all zero
        XCTAssertEqual(r.scale, 1)
        XCTAssertEqual(r.zero, 0)
        XCTAssertEqual(r.y, [0, 0, 0])
        r = try run([.infinity, 1, -2])
        XCTAssertEqual(r.y.count, 3)
        XCTAssertEqual(r.scale, .infinity)
        r = try run([.nan, 1, -2])
        XCTAssertTrue(r.scale.isNaN)
        XCTAssertEqual(r.zero, 0)
        r = try run([], shape: [0, 4])
        XCTAssertEqual(r.y, [])
        expectError({ _ = try DynamicQuantizeLinearOp().run([i8([1], [1])], ctx()) }, contains: "x must be float32")
    }

    func testThroughGraph() throws {
        let o = try runGraph("DynamicQuantizeLinear", feeds: [("x", f32([0, 2, -3, -2.5, 1.34, 0.5], [2, 3]))], inputs: ["x"],
                             outputs: [("y", .uint8), ("s", .float32), ("z", .uint8)], opset: 11)
        XCTAssertEqual(o[0].shape, [2, 3])
        XCTAssertEqual(ints(o[0]), [153, 255, 0, 26, 221, 179])
        XCTAssertEqual(ints(o[2]), [153])
    }
}

/// Σ_k (a − za)(b − zb) in Int64, then wrapped to int32, over numpy-broadcast batches.
private func referenceMatMul(a: [Int], aShape: [Int], b: [Int], bShape: [Int], az: (Int, Int) -> Int, bz: (Int, Int) -> Int) -> [Int64] {
    let m = aShape[aShape.count - 2], k = aShape.last!, n = bShape.last!
    let ab = Array(aShape.dropLast(2)), bb = Array(bShape.dropLast(2))
    let rank = max(ab.count, bb.count)
    let pa = [Int](repeating: 1, count: rank - ab.count) + ab, pb = [Int](repeating: 1, count: rank - bb.count) + bb
    let ob = zip(pa, pb).map { max($0, $1) }
    var out: [Int64] = []
    for o in 0..<ob.reduce(1, *) {
        var rest = o, ia = 0, ib = 0, ma = 1, mb = 1
        for j in stride(from: rank - 1, through: 0, by: -1) {
            let d = rest % ob[j]; rest /= ob[j]
            if pa[j] != 1 { ia += d * ma }; ma *= pa[j]
            if pb[j] != 1 { ib += d * mb }; mb *= pb[j]
        }
        for i in 0..<m { for j in 0..<n {
            var s: Int64 = 0
            for kk in 0..<k { s += Int64(a[(ia * m + i) * k + kk] - az(ia, i)) * Int64(b[(ib * k + kk) * n + j] - bz(ib, j)) }
            out.append(Int64(Int32(truncatingIfNeeded: s)))
        } }
    }
    return out
}

private func tensor(_ v: [Int], _ shape: [Int], signed: Bool) -> Tensor {
    signed ? i8(v.map { Int8($0) }, shape) : u8(v.map { UInt8($0) }, shape)
}

final class MatMulIntegerTests: XCTestCase {
    func testSpecExample() throws {
        // The spec's example (output from onnx.reference).
        let a = u8([11, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0], [4, 3]), b = u8([1, 4, 2, 5, 3, 6], [3, 2])
        let y = try MatMulIntegerOp().run([a, b, u8([12], []), u8([0], [])], ctx())[0]
        XCTAssertEqual(y.dtype, .int32)
        XCTAssertEqual(y.shape, [4, 2])
        XCTAssertEqual(ints(y), [-38, -83, -44, -98, -50, -113, -56, -128])
    }

    /// Every signedness pair, extremes included, across tile edges (M, N, K not multiples of
    /// the 4 × 16 tile or of 2), with scalar, per-row and per-column zero points.
    func testSignednessZeroPointsAndEdges() throws {
        var seed: UInt64 = 100
        for (aSigned, bSigned) in [(false, true), (false, false), (true, true), (true, false)] {
            for (m, k, n) in [(1, 1, 1), (3, 5, 17), (4, 16, 16), (5, 33, 31), (9, 64, 40), (2, 7, 1)] {
                seed += 1
                let (alo, ahi) = aSigned ? (-128, 127) : (0, 255), (blo, bhi) = bSigned ? (-128, 127) : (0, 255)
                var a = randomInts(m * k, alo, ahi, seed: seed), b = randomInts(k * n, blo, bhi, seed: seed + 50)
                a[0] = alo; b[0] = bhi; a[a.count - 1] = ahi; b[b.count - 1] = blo
                let at = tensor(a, [m, k], signed: aSigned), bt = tensor(b, [k, n], signed: bSigned)
                // no zero points
                var y = try MatMulIntegerOp().run([at, bt], ctx())[0]
                XCTAssertEqual(ints(y), referenceMatMul(a: a, aShape: [m, k], b: b, bShape: [k, n], az: { _, _ in 0 }, bz: { _, _ in 0 }))
                // scalar zero points at the extremes
                y = try MatMulIntegerOp().run([at, bt, tensor([ahi], [], signed: aSigned), tensor([blo], [1], signed: bSigned)], ctx())[0]
                XCTAssertEqual(ints(y), referenceMatMul(a: a, aShape: [m, k], b: b, bShape: [k, n], az: { _, _ in ahi }, bz: { _, _ in blo }),
                               "a \(aSigned ? "s8" : "u8") b \(bSigned ? "s8" : "u8") \(m)×\(k)×\(n)")
                // per-row / per-column
                let azs = randomInts(m, alo, ahi, seed: seed + 7), bzs = randomInts(n, blo, bhi, seed: seed + 8)
                y = try MatMulIntegerOp().run([at, bt, tensor(azs, [m], signed: aSigned), tensor(bzs, [n], signed: bSigned)], ctx())[0]
                XCTAssertEqual(ints(y), referenceMatMul(a: a, aShape: [m, k], b: b, bShape: [k, n], az: { _, i in azs[i] }, bz: { _, j in bzs[j] }))
            }
        }
    }

    func testBatchesBroadcastAndNDZeroPoints() throws {
        let cases: [([Int], [Int])] = [([2, 3, 5, 7], [7, 6]), ([5, 7], [2, 7, 6]), ([2, 1, 5, 7], [3, 7, 6]), ([3, 5, 7], [3, 7, 6])]
        for (ci, (as_, bs)) in cases.enumerated() {
            let a = randomInts(as_.reduce(1, *), 0, 255, seed: UInt64(200 + ci)), b = randomInts(bs.reduce(1, *), -128, 127, seed: UInt64(300 + ci))
            let y = try MatMulIntegerOp().run([tensor(a, as_, signed: false), tensor(b, bs, signed: true), u8([3], [])], ctx(2))[0]
            let want = referenceMatMul(a: a, aShape: as_, b: b, bShape: bs, az: { _, _ in 3 }, bz: { _, _ in 0 })
            XCTAssertEqual(ints(y), want, "A \(as_) × B \(bs)")
            XCTAssertEqual(y.shape.suffix(2), [5, 6])
        }
        // [D, M, 1] / [D, 1, N] zero points: per batch and row / column.
        let a = randomInts(2 * 3 * 4, 0, 255, seed: 1), b = randomInts(2 * 4 * 5, 0, 255, seed: 2)
        let az = randomInts(6, 0, 255, seed: 3), bz = randomInts(10, 0, 255, seed: 4)
        let y = try MatMulIntegerOp().run([tensor(a, [2, 3, 4], signed: false), tensor(b, [2, 4, 5], signed: false),
                                           tensor(az, [2, 3, 1], signed: false), tensor(bz, [2, 1, 5], signed: false)], ctx())[0]
        XCTAssertEqual(ints(y), referenceMatMul(a: a, aShape: [2, 3, 4], b: b, bShape: [2, 4, 5], az: { ia, i in az[ia * 3 + i] }, bz: { ib, j in bz[ib * 5 + j] }))
        // 1-D operands (numpy promotion): [K] × [K, N] → [N]; [M, K] × [K] → [M].
        let v = randomInts(7, 0, 255, seed: 5), w = randomInts(7 * 3, -128, 127, seed: 6)
        let vy = try MatMulIntegerOp().run([tensor(v, [7], signed: false), tensor(w, [7, 3], signed: true)], ctx())[0]
        XCTAssertEqual(vy.shape, [3])
        XCTAssertEqual(ints(vy), referenceMatMul(a: v, aShape: [1, 7], b: w, bShape: [7, 3], az: { _, _ in 0 }, bz: { _, _ in 0 }))
        let wy = try MatMulIntegerOp().run([tensor(w, [3, 7], signed: true), tensor(v, [7], signed: false)], ctx())[0]
        XCTAssertEqual(wy.shape, [3])
    }

    /// A constant weight and zero point (as in quantize_dynamic output) are packed once when the
    /// session loads (`MatMulIntegerOp.prepacked`); the result is the same as packing per call.
    func testConstantWeightPackedAtLoad() throws {
        let (m, k, n) = (6, 37, 21)
        let a = randomInts(2 * m * k, 0, 255, seed: 41), b = randomInts(k * n, -128, 127, seed: 42), bz = randomInts(n, -5, 5, seed: 43)
        let node = Node(name: "q", op: "MatMulInteger", inputs: ["a", "b", "az", "bz"], outputs: ["y"], attrs: [:])
        let consts = ["b": tensor(b, [k, n], signed: true), "bz": tensor(bz, [n], signed: true), "az": u8([9], [])]
        XCTAssertNotNil(MatMulIntegerOp.prepacked(node, constants: consts)?.packed)
        XCTAssertNil(MatMulIntegerOp.prepacked(node, constants: ["b": consts["b"]!]), "a b_zero_point computed at run time cannot be packed in")
        for threads in [1, 2] {
            let y = try runGraph("MatMulInteger", feeds: [("a", tensor(a, [2, m, k], signed: false))], constants: consts,
                                 inputs: ["a", "b", "az", "bz"], outputs: [("y", .int32)], threads: threads)[0]
            XCTAssertEqual(y.shape, [2, m, n])
            XCTAssertEqual(ints(y), referenceMatMul(a: a, aShape: [2, m, k], b: b, bShape: [k, n], az: { _, _ in 9 }, bz: { _, j in bz[j] }))
        }
    }

    /// A BERT-layer-sized product at 1 and 2 threads (the tiled kernel's main loop).
    func testLayerSize() throws {
        let (m, k, n) = (70, 384, 300)
        let a = randomInts(m * k, 0, 255, seed: 21), b = randomInts(k * n, -127, 127, seed: 22)
        let want = referenceMatMul(a: a, aShape: [m, k], b: b, bShape: [k, n], az: { _, _ in 131 }, bz: { _, _ in 0 })
        for threads in [1, 2] {
            let y = try MatMulIntegerOp().run([tensor(a, [m, k], signed: false), tensor(b, [k, n], signed: true), u8([131], []), i8([0], [])], ctx(threads))[0]
            XCTAssertEqual(ints(y), want, "\(threads) threads")
        }
    }

    /// Accumulation wraps in 32 bits (the spec allows overflow only there): 40,000 products
    /// of 255 · 255 exceed 2^31.
    func testInt32AccumulationWraps() throws {
        let k = 40_000
        let y = try MatMulIntegerOp().run([u8([UInt8](repeating: 255, count: k), [1, k]), u8([UInt8](repeating: 0, count: k), [k, 1]),
                                           u8([0], []), u8([255], [])], ctx())[0]
        XCTAssertEqual(ints(y), [Int64(Int32(truncatingIfNeeded: Int64(k) * 255 * -255))])
    }

    func testErrors() {
        let a = u8([1, 2, 3, 4, 5, 6], [2, 3]), b = i8([1, 2, 3, 4, 5, 6], [3, 2])
        expectError({ _ = try MatMulIntegerOp().run([f32([1], [1, 1]), b], ctx()) }, contains: "A must be uint8 or int8")
        expectError({ _ = try MatMulIntegerOp().run([a, i32([1, 2, 3], [3, 1])], ctx()) }, contains: "B must be uint8 or int8")
        expectError({ _ = try MatMulIntegerOp().run([a, i8([1, 2], [2, 1])], ctx()) }, contains: "inner dimensions differ")
        expectError({ _ = try MatMulIntegerOp().run([a, b, i8([1], [])], ctx()) }, contains: "they must match")
        expectError({ _ = try MatMulIntegerOp().run([a, b, u8([1, 2, 3], [3])], ctx()) }, contains: "a_zero_point [3] does not fit A")
        expectError({ _ = try MatMulIntegerOp().run([a, b, nil, i8([1, 2, 3], [3])], ctx()) }, contains: "b_zero_point [3] does not fit B")
        expectError({ _ = try MatMulIntegerOp().run([u8([UInt8](repeating: 1, count: 12), [2, 2, 3]), i8([Int8](repeating: 1, count: 18), [3, 3, 2])], ctx()) },
                    contains: "do not broadcast")
        expectError({ _ = try MatMulIntegerOp().run([a], ctx()) }, contains: "B")
    }
}

final class QLinearMatMulTests: XCTestCase {
    func testSpecExample() throws {
        // The spec's example (output from onnx.reference).
        let a = u8([208, 236, 0, 238, 3, 214, 255, 29], [2, 4])
        let b = u8([152, 51, 244, 60, 26, 255, 0, 127, 246, 127, 254, 247], [4, 3])
        let y = try runGraph("QLinearMatMul", feeds: [("a", a), ("b", b)],
                             constants: ["as": f32([0.0066], []), "az": u8([113], []), "bs": f32([0.00705], []), "bz": u8([114], []),
                                         "ys": f32([0.0107], []), "yz": u8([118], [])],
                             inputs: ["a", "as", "az", "b", "bs", "bz", "ys", "yz"], outputs: [("y", .uint8)], opset: 10)[0]
        XCTAssertEqual(ints(y), [168, 115, 255, 1, 66, 151])
    }

    /// Per-row a and per-column b scales/zero points, int8 output: the spec's reference
    /// computes C · (a_scale · b_scale / y_scale) with the multiplier in float32 and the
    /// product in float64; Swiftlet (like onnxruntime) multiplies in float32. The two can
    /// round differently only when the product lies within float32 rounding (2^-24 relative)
    /// of a half-integer; such elements may differ by one level, every other must be equal.
    func testPerRowPerColumnInt8Output() throws {
        let (m, k, n) = (6, 45, 19)
        let a = randomInts(m * k, -128, 127, seed: 31), b = randomInts(k * n, 0, 255, seed: 32)
        let az = randomInts(m, -10, 10, seed: 33), bz = randomInts(n, 100, 150, seed: 34)
        let asc = testRandoms(m, seed: 35).map { 0.01 + abs($0) * 0.02 }, bsc = testRandoms(n, seed: 36).map { 0.001 + abs($0) * 0.004 }
        let ys: Float = 0.01, yz = -7
        let y = try QLinearMatMulOp().run([tensor(a, [m, k], signed: true), f32(asc, [m]), tensor(az, [m], signed: true),
                                           tensor(b, [k, n], signed: false), f32(bsc, [n]), tensor(bz, [n], signed: false),
                                           f32([ys], []), i8([Int8(yz)], [])], ctx())[0]
        XCTAssertEqual(y.dtype, .int8)
        let c = referenceMatMul(a: a, aShape: [m, k], b: b, bShape: [k, n], az: { _, i in az[i] }, bz: { _, j in bz[j] })
        let got = ints(y)
        var saturated = 0
        for i in 0..<m { for j in 0..<n {
            let mult = asc[i] * bsc[j] / ys
            let v = Double(c[i * n + j]) * Double(mult)
            let want = min(127, max(-128, v.rounded(.toNearestOrEven) + Double(yz)))
            if want == 127 || want == -128 { saturated += 1 }
            let nearTie = abs(abs(v - v.rounded(.towardZero)) - 0.5) <= abs(v) * 1.2e-7
            XCTAssertLessThanOrEqual(abs(Double(got[i * n + j]) - want), nearTie ? 1 : 0, "(\(i), \(j)): \(v)")
        } }
        XCTAssertGreaterThan(saturated, 0, "the case should exercise saturation")
    }

    func testErrors() {
        let a = u8([1, 2, 3, 4], [2, 2]), b = i8([1, 2, 3, 4], [2, 2]), s = f32([1], []), z8 = u8([0], []), zs = i8([0], [])
        expectError({ _ = try QLinearMatMulOp().run([a, s, z8, b, s, zs, s], ctx()) }, contains: "y_zero_point")
        expectError({ _ = try QLinearMatMulOp().run([a, i32([1], []), z8, b, s, zs, s, z8], ctx()) }, contains: "a_scale must be float32")
        expectError({ _ = try QLinearMatMulOp().run([a, f32([1, 1], [2]), z8, b, s, zs, s, z8], ctx()) }, contains: "same shape")
        expectError({ _ = try QLinearMatMulOp().run([a, s, z8, b, s, z8, s, z8], ctx()) }, contains: "they must match")
        expectError({ _ = try QLinearMatMulOp().run([a, s, z8, b, s, zs, f32([1, 1], [2]), u8([0, 0], [2])], ctx()) }, contains: "must be scalars")
        expectError({ _ = try QLinearMatMulOp().run([a, f32([1, 1, 1], [3]), u8([0, 0, 0], [3]), b, s, zs, s, z8], ctx()) }, contains: "a_zero_point [3] does not fit")
    }
}
