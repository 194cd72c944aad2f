import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// The multi-threaded paths of the memory-bound ops (element-wise binary and unary ops,
/// BatchNormalization, Concat, nearest Resize) on tensors big enough to be split across
/// threads. Each result must be bit-identical at 1, 2 and 3 threads, and equal a plain
/// scalar reference written here (the same float operations per element, so exact).
final class ThreadedOpsTests: XCTestCase {
    /// Runs `node` at 1, 2 and 3 threads; asserts the outputs agree bit for bit and
    /// returns the single-thread one.
    func runAllThreads(_ node: Node, opset: Int = 13, _ inputs: [Tensor?], file: StaticString = #filePath, line: UInt = #line) throws -> Tensor {
        let op = try OpRegistry.make(node, opset: opset)
        var first: Tensor? = nil
        for threads in [1, 2, 3] {
            let y = try op.run(inputs, ExecContext(pool: BufferPool(), threads: threads))[0]
            if let f = first {
                XCTAssertEqual(y.shape, f.shape, "\(node.op) shape at \(threads) threads", file: file, line: line)
                let (g, w) = (bits(y), bits(f))
                let differing = g.count == w.count ? zip(g, w).filter { $0 != $1 }.count : max(g.count, w.count)
                XCTAssertEqual(differing, 0, "\(node.op): values differ at \(threads) threads from 1 thread", file: file, line: line)
            } else {
                first = y
            }
        }
        return first!
    }

    func bits(_ t: Tensor) -> [UInt32] { t.floatArray().map(\.bitPattern) }

    func node(_ op: String, _ n: Int, _ attrs: [String: Attribute] = [:]) -> Node {
        Node(name: op.lowercased(), op: op, inputs: (0..<n).map { "x\($0)" }, outputs: ["y"], attrs: attrs)
    }

    func assertExact(_ got: Tensor, _ want: [Float], shape: [Int], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.shape, shape, what, file: file, line: line)
        let g = got.floatArray()
        guard g.count == want.count else { return XCTFail("\(what): \(g.count) values, want \(want.count)", file: file, line: line) }
        let bad = (0..<g.count).filter { g[$0].bitPattern != want[$0].bitPattern }
        XCTAssertTrue(bad.isEmpty, "\(what): \(bad.count) values differ from the scalar reference, first at \(bad.first ?? -1)", file: file, line: line)
    }

    /// Numpy-style broadcast reference over explicit indices.
    func broadcastReference(_ a: [Float], _ sa: [Int], _ b: [Float], _ sb: [Int], _ f: (Float, Float) -> Float) -> (shape: [Int], y: [Float]) {
        let rank = max(sa.count, sb.count)
        let pa = [Int](repeating: 1, count: rank - sa.count) + sa, pb = [Int](repeating: 1, count: rank - sb.count) + sb
        let out = zip(pa, pb).map { max($0, $1) }
        let n = out.reduce(1, *)
        var y = [Float](repeating: 0, count: n)
        var idx = [Int](repeating: 0, count: rank)
        for i in 0..<n {
            var rem = i
            for d in stride(from: rank - 1, through: 0, by: -1) { idx[d] = rem % out[d]; rem /= out[d] }
            var ia = 0, ib = 0
            for d in 0..<rank {
                ia = ia * pa[d] + (pa[d] == 1 ? 0 : idx[d])
                ib = ib * pb[d] + (pb[d] == 1 ? 0 : idx[d])
            }
            y[i] = f(a[ia], b[ib])
        }
        return (out, y)
    }

    func testBinaryOpsSplitAcrossThreads() throws {
        // Same shape (one collapsed row, split into column pieces), odd sizes that leave
        // SIMD tails, a row-broadcast operand, channel broadcasts and a scalar.
        let cases: [(String, [Int], [Int], (Float, Float) -> Float)] = [
            ("Add", [1, 24, 64, 64], [1, 24, 64, 64], { $0 + $1 }),
            ("Add", [1, 5, 7919], [1, 5, 7919], { $0 + $1 }),
            ("Sub", [1, 50_001], [3, 1], { $0 - $1 }),
            ("Mul", [2, 3, 100, 100], [1, 3, 1, 1], { $0 * $1 }),
            ("Mul", [1, 1, 300, 301], [], { $0 * $1 }),
            ("Div", [70_000], [70_000], { $0 / $1 }),
            ("Max", [2, 40_003], [2, 40_003], { Swift.max($0, $1) }),
            ("Min", [1, 1, 250, 250], [250], { Swift.min($0, $1) }),
        ]
        for (i, (op, sa, sb, f)) in cases.enumerated() {
            let a = testRandoms(sa.reduce(1, *), seed: UInt64(10 + 2 * i)), b = testRandoms(sb.reduce(1, *), seed: UInt64(11 + 2 * i))
            let y = try runAllThreads(node(op, 2), [try Tensor(floats: a, shape: sa), try Tensor(floats: b, shape: sb)])
            let want = broadcastReference(a, sa, b, sb, f)
            assertExact(y, want.y, shape: want.shape, "\(op) \(sa) \(sb)")
        }
    }

    func testPowByTwoSplitAcrossThreads() throws {
        let a = testRandoms(90_001, seed: 3)
        let y = try runAllThreads(node("Pow", 2), [try Tensor(floats: a, shape: [90_001]), try Tensor(floats: [2], shape: [])])
        assertExact(y, a.map { $0 * $0 }, shape: [90_001], "Pow 2")
    }

    func testUnaryOpsSplitAcrossThreads() throws {
        let shape = [1, 24, 160, 161]
        let a = testRandoms(shape.reduce(1, *), seed: 7)
        let relu = try runAllThreads(node("Relu", 1), [try Tensor(floats: a, shape: shape)])
        assertExact(relu, a.map { Swift.max($0, 0) }, shape: shape, "Relu")
        // Sigmoid's vector formula has no simple scalar twin: threads must still agree.
        _ = try runAllThreads(node("Sigmoid", 1), [try Tensor(floats: a, shape: shape)])
    }

    func testBatchNormSplitAcrossThreads() throws {
        // Batch 2 with odd planes (SIMD tails), a big single-batch map, and a tiny one that stays inline.
        for (i, shape) in [[2, 5, 97, 101], [1, 3, 300, 300], [1, 24, 320, 320], [1, 4, 3, 3]].enumerated() {
            let c = shape[1], inner = shape[2...].reduce(1, *)
            let x = testRandoms(shape.reduce(1, *), seed: UInt64(20 + i))
            let scale = testRandoms(c, seed: 30), bias = testRandoms(c, seed: 31), mean = testRandoms(c, seed: 32)
            let variance = testRandoms(c, seed: 33).map { abs($0) + 0.1 }
            let eps: Float = 1e-5
            let y = try runAllThreads(node("BatchNormalization", 5, ["epsilon": .float(eps)]),
                                      [try Tensor(floats: x, shape: shape), try Tensor(floats: scale, shape: [c]), try Tensor(floats: bias, shape: [c]),
                                       try Tensor(floats: mean, shape: [c]), try Tensor(floats: variance, shape: [c])])
            var want = [Float](repeating: 0, count: x.count)
            for j in 0..<x.count {
                let ch = (j / inner) % c
                let k = scale[ch] / (variance[ch] + eps).squareRoot()
                let off = bias[ch] - mean[ch] * k
                want[j] = x[j] * k + off
            }
            assertExact(y, want, shape: shape, "BatchNormalization \(shape)")
            // And the ONNX formula itself, evaluated in Double.
            let g = y.floatArray()
            var worst = 0.0
            for j in 0..<x.count {
                let ch = (j / inner) % c
                let r = (Double(x[j]) - Double(mean[ch])) / (Double(variance[ch]) + Double(eps)).squareRoot() * Double(scale[ch]) + Double(bias[ch])
                worst = Swift.max(worst, abs(r - Double(g[j])))
            }
            XCTAssertLessThanOrEqual(worst, 1e-5, "BatchNormalization \(shape) vs (x - mean)/sqrt(var + eps)·scale + B")
        }
    }

    func testConcatSplitAcrossThreads() throws {
        // Channel concat of NCHW maps (one outer row: pieces), a last-axis concat (many
        // rows: whole rows per thread), and a small one that stays inline.
        let cases: [([[Int]], Int)] = [
            ([[1, 24, 100, 100], [1, 24, 100, 100], [1, 24, 100, 100], [1, 24, 100, 100]], 1),
            ([[1, 7, 300, 301], [1, 3, 300, 301]], 1),
            ([[2, 16, 100, 37], [2, 16, 100, 64]], 3),
            ([[2, 3], [2, 5]], 1),
        ]
        for (ci, (shapes, axis)) in cases.enumerated() {
            let parts = shapes.enumerated().map { testRandoms($0.element.reduce(1, *), seed: UInt64(40 + 10 * ci + $0.offset)) }
            var outShape = shapes[0]
            outShape[axis] = shapes.map { $0[axis] }.reduce(0, +)
            let outer = outShape[..<axis].reduce(1, *), inner = outShape[(axis + 1)...].reduce(1, *)
            var want: [Float] = []
            for o in 0..<outer {
                for (p, s) in zip(parts, shapes) {
                    let run = s[axis] * inner
                    want += p[(o * run)..<((o + 1) * run)]
                }
            }
            let y = try runAllThreads(node("Concat", parts.count, ["axis": .int(axis)]),
                                      try zip(parts, shapes).map { try Tensor(floats: $0.0, shape: $0.1) })
            assertExact(y, want, shape: outShape, "Concat \(shapes) axis \(axis)")
        }
    }

    /// Nearest Resize reference: source index per output index from the ONNX formulas.
    func nearestReference(_ x: [Float], _ shape: [Int], scales: [Float], halfPixel: Bool) -> (shape: [Int], y: [Float]) {
        let out = zip(shape, scales).map { Int(Float($0.0) * $0.1) }
        func src(_ i: Int, _ a: Int) -> Int {
            let v: Float
            let j: Int
            if halfPixel {
                v = (Float(i) + 0.5) / scales[a] - 0.5
                // round_prefer_floor
                j = v - v.rounded(.down) == 0.5 ? Int(v.rounded(.down)) : Int(v.rounded(.toNearestOrAwayFromZero))
            } else {
                v = Float(i) / scales[a]
                j = Int(v.rounded(.down))
            }
            return Swift.min(Swift.max(j, 0), shape[a] - 1)
        }
        var y = [Float](repeating: 0, count: out.reduce(1, *))
        var idx = [Int](repeating: 0, count: out.count)
        for i in 0..<y.count {
            var rem = i
            for d in stride(from: out.count - 1, through: 0, by: -1) { idx[d] = rem % out[d]; rem /= out[d] }
            var s = 0
            for d in 0..<out.count { s = s * shape[d] + src(idx[d], d) }
            y[i] = x[s]
        }
        return (out, y)
    }

    func testNearestResizeSplitAcrossThreads() throws {
        // 2× (the vector interleave, widths with and without a 16-float tail), 3×, a
        // downscale, and half_pixel rounding (the general gather).
        let cases: [([Int], [Float], Bool)] = [
            ([1, 96, 40, 44], [1, 1, 2, 2], false),
            ([1, 24, 80, 80], [1, 1, 2, 2], false),
            ([2, 5, 33, 27], [1, 1, 3, 3], false),
            ([1, 8, 200, 200], [1, 1, 0.5, 0.5], false),
            ([1, 16, 50, 60], [1, 1, 2, 2], true),
        ]
        for (i, (shape, scales, halfPixel)) in cases.enumerated() {
            let x = testRandoms(shape.reduce(1, *), seed: UInt64(60 + i))
            let attrs: [String: Attribute] = ["mode": .string("nearest"),
                                              "coordinate_transformation_mode": .string(halfPixel ? "half_pixel" : "asymmetric"),
                                              "nearest_mode": .string(halfPixel ? "round_prefer_floor" : "floor")]
            let y = try runAllThreads(node("Resize", 3, attrs), opset: 13,
                                      [try Tensor(floats: x, shape: shape), nil, try Tensor(floats: scales, shape: [4])])
            let want = nearestReference(x, shape, scales: scales, halfPixel: halfPixel)
            assertExact(y, want.y, shape: want.shape, "Resize \(shape) × \(scales)\(halfPixel ? " half_pixel" : "")")
        }
    }
}
