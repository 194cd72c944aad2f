import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// The depthwise conv kernel (phase-split scatter, per-activation specialisation) and the
/// ConvTranspose col2im paths against straightforward scalar references computed here in
/// Double: odd widths, strides 2 and 3, even and odd left padding, widths past the SIMD
/// blocks, several row tiles and both thread counts. Tolerance: max |diff| ≤ 1e-4
/// (float summation order only).
final class DepthwiseTransposeKernelTests: XCTestCase {
    static let maxDiff: Float = 1e-4

    func run(_ op: Operator, _ inputs: [Tensor?], threads: Int) throws -> Tensor {
        try op.run(inputs, ExecContext(pool: BufferPool(), threads: threads))[0]
    }

    // MARK: depthwise

    struct DW {
        var n = 1
        var c: Int
        var mult = 1
        var h: Int, w: Int
        var k: (Int, Int), s: (Int, Int)
        var d = (1, 1)
        var pads: [Int]  // top, left, bottom, right
    }

    func referenceDepthwise(_ p: DW, _ x: [Float], _ wt: [Float], _ b: [Float], _ act: (Double) -> Double) -> (shape: [Int], y: [Float]) {
        let m = p.c * p.mult
        let oh = (p.h + p.pads[0] + p.pads[2] - ((p.k.0 - 1) * p.d.0 + 1)) / p.s.0 + 1
        let ow = (p.w + p.pads[1] + p.pads[3] - ((p.k.1 - 1) * p.d.1 + 1)) / p.s.1 + 1
        var y = [Float](repeating: 0, count: p.n * m * oh * ow)
        for n in 0..<p.n {
            for oc in 0..<m {
                let ic = oc / p.mult
                for i in 0..<oh {
                    for j in 0..<ow {
                        var acc = Double(b[oc])
                        for ki in 0..<p.k.0 {
                            for kj in 0..<p.k.1 {
                                let ih = i * p.s.0 - p.pads[0] + ki * p.d.0, iw = j * p.s.1 - p.pads[1] + kj * p.d.1
                                guard ih >= 0 && ih < p.h && iw >= 0 && iw < p.w else { continue }
                                acc += Double(x[((n * p.c + ic) * p.h + ih) * p.w + iw]) * Double(wt[(oc * p.k.0 + ki) * p.k.1 + kj])
                            }
                        }
                        y[((n * m + oc) * oh + i) * ow + j] = Float(act(acc))
                    }
                }
            }
        }
        return ([p.n, m, oh, ow], y)
    }

    func checkDepthwise(_ p: DW, _ epilogue: Epilogue, _ act: @escaping (Double) -> Double, seed: UInt64) throws {
        let m = p.c * p.mult
        let x = testRandoms(p.n * p.c * p.h * p.w, seed: seed)
        let wt = testRandoms(m * p.k.0 * p.k.1, seed: seed + 1), b = testRandoms(m, seed: seed + 2)
        let node = Node(name: "dw", op: "Conv", inputs: ["x", "w", "b"], outputs: ["y"],
                        attrs: ["group": .int(p.c), "strides": .ints([p.s.0, p.s.1]), "dilations": .ints([p.d.0, p.d.1]), "pads": .ints(p.pads)])
        let op = try ConvOp(node, activation: epilogue)
        let want = referenceDepthwise(p, x, wt, b, act)
        for threads in [1, 2] {
            let y = try run(op, [try Tensor(floats: x, shape: [p.n, p.c, p.h, p.w]), try Tensor(floats: wt, shape: [m, 1, p.k.0, p.k.1]),
                                 try Tensor(floats: b, shape: [m])], threads: threads)
            XCTAssertEqual(y.shape, want.shape, "\(p)")
            guard y.shape == want.shape else { continue }
            XCTAssertLessThanOrEqual(maxAbsDiff(y.floatArray(), want.y), Self.maxDiff, "\(p) \(epilogue) threads \(threads)")
        }
    }

    func testDepthwiseStridedOddWidthsAndPadding() throws {
        let shapes: [DW] = [
            DW(c: 3, h: 11, w: 13, k: (3, 3), s: (2, 2), pads: [1, 1, 1, 1]),
            DW(c: 2, h: 21, w: 45, k: (3, 3), s: (2, 2), pads: [1, 0, 1, 1]),    // SIMD deinterleave, even left pad
            DW(c: 2, h: 19, w: 77, k: (3, 3), s: (2, 2), pads: [1, 1, 0, 2]),    // SIMD deinterleave, odd left pad
            DW(n: 2, c: 2, mult: 2, h: 15, w: 71, k: (5, 5), s: (2, 2), pads: [2, 2, 2, 2]),
            DW(c: 3, h: 17, w: 50, k: (3, 3), s: (3, 3), pads: [1, 2, 0, 1]),
            DW(c: 2, h: 13, w: 67, k: (5, 3), s: (3, 3), pads: [2, 0, 2, 3]),
            DW(c: 2, h: 9, w: 41, k: (3, 3), s: (2, 3), d: (2, 2), pads: [2, 1, 1, 0]),
            DW(c: 3, h: 12, w: 41, k: (5, 5), s: (1, 1), pads: [2, 2, 2, 2]),
            DW(c: 2, h: 7, w: 9, k: (3, 3), s: (1, 2), pads: [0, 3, 1, 0]),
        ]
        for (i, p) in shapes.enumerated() {
            try checkDepthwise(p, Epilogue(), { $0 }, seed: UInt64(10 * i))
        }
    }

    func testDepthwiseActivations() throws {
        let p = DW(c: 3, h: 14, w: 37, k: (3, 3), s: (2, 2), pads: [1, 1, 1, 1])
        let hs: (Double) -> Double = { $0 * min(max($0 / 6 + 0.5, 0), 1) }
        let cases: [(Epilogue, (Double) -> Double)] = [
            (Epilogue(act: .relu), { max($0, 0) }),
            (Epilogue(act: .hardSwish), hs),
            (Epilogue(act: .hardSwish, scale: 1.5, shift: -0.25), { hs($0) * 1.5 - 0.25 }),
            (Epilogue(act: .relu, scale: 0.5, shift: 0.125), { max($0, 0) * 0.5 + 0.125 }),
            (Epilogue(act: .none, scale: 2, shift: 1), { $0 * 2 + 1 }),
            (Epilogue(act: .sigmoid), { 1 / (1 + exp(-$0)) }),
            (Epilogue(act: .leakyRelu(alpha: 0.1)), { $0 < 0 ? 0.1 * $0 : $0 }),
        ]
        for (i, (e, f)) in cases.enumerated() { try checkDepthwise(p, e, f, seed: UInt64(100 + i)) }
    }

    // MARK: ConvTranspose

    struct CT {
        var n = 1
        var c: Int, mg: Int
        var group = 1
        var h: Int, w: Int
        var k: (Int, Int), s: (Int, Int)
        var d = (1, 1)
        var pads = [0, 0, 0, 0]
        var outPad = [0, 0]
        var bias = true
    }

    func referenceTranspose(_ p: CT, _ x: [Float], _ wt: [Float], _ b: [Float]?) -> (shape: [Int], y: [Float]) {
        let m = p.mg * p.group, cg = p.c / p.group
        let oh = p.s.0 * (p.h - 1) + p.outPad[0] + (p.k.0 - 1) * p.d.0 + 1 - p.pads[0] - p.pads[2]
        let ow = p.s.1 * (p.w - 1) + p.outPad[1] + (p.k.1 - 1) * p.d.1 + 1 - p.pads[1] - p.pads[3]
        var acc = [Double](repeating: 0, count: p.n * m * oh * ow)
        for n in 0..<p.n {
            for ci in 0..<p.c {
                let gi = ci / cg
                for oc in 0..<p.mg {
                    for ih in 0..<p.h {
                        for iw in 0..<p.w {
                            let xv = Double(x[((n * p.c + ci) * p.h + ih) * p.w + iw])
                            for ki in 0..<p.k.0 {
                                for kj in 0..<p.k.1 {
                                    let o0 = ih * p.s.0 - p.pads[0] + ki * p.d.0, o1 = iw * p.s.1 - p.pads[1] + kj * p.d.1
                                    guard o0 >= 0 && o0 < oh && o1 >= 0 && o1 < ow else { continue }
                                    acc[((n * m + gi * p.mg + oc) * oh + o0) * ow + o1] += xv * Double(wt[((ci * p.mg + oc) * p.k.0 + ki) * p.k.1 + kj])
                                }
                            }
                        }
                    }
                }
            }
        }
        var y = [Float](repeating: 0, count: acc.count)
        for i in acc.indices { y[i] = Float(acc[i] + Double(b?[(i / (oh * ow)) % m] ?? 0)) }
        return ([p.n, m, oh, ow], y)
    }

    func testConvTransposeAgainstScalarReference() throws {
        let shapes: [CT] = [
            CT(c: 5, mg: 3, h: 7, w: 19, k: (2, 2), s: (2, 2)),                   // stride == kernel, odd width, SIMD + tail
            CT(n: 2, c: 4, mg: 16, h: 60, w: 40, k: (2, 2), s: (2, 2)),           // several row tiles
            CT(c: 6, mg: 1, h: 33, w: 35, k: (2, 2), s: (2, 2)),                  // DBNet head's last layer shape (24→1)
            CT(c: 4, mg: 2, group: 2, h: 6, w: 11, k: (3, 3), s: (3, 3)),         // kW = 3, grouped
            CT(c: 3, mg: 4, h: 5, w: 21, k: (1, 1), s: (1, 1)),                   // kW = 1
            CT(c: 3, mg: 2, h: 9, w: 17, k: (2, 1), s: (2, 1), bias: false),
            CT(c: 3, mg: 2, h: 5, w: 9, k: (2, 2), s: (2, 2), outPad: [1, 1]),    // not an exact cover: general path
            CT(c: 3, mg: 2, h: 5, w: 9, k: (2, 2), s: (2, 2), pads: [1, 0, 0, 1]), // cropped: general path
            CT(c: 2, mg: 3, h: 6, w: 13, k: (3, 3), s: (2, 2), pads: [1, 1, 1, 1]), // overlapping taps
            CT(c: 2, mg: 2, h: 5, w: 10, k: (3, 2), s: (1, 3), d: (2, 1), pads: [0, 2, 1, 0]),
        ]
        for (i, p) in shapes.enumerated() {
            let m = p.mg * p.group
            let x = testRandoms(p.n * p.c * p.h * p.w, seed: UInt64(1000 + 10 * i))
            let wt = testRandoms(p.c * p.mg * p.k.0 * p.k.1, seed: UInt64(1001 + 10 * i))
            let b = p.bias ? testRandoms(m, seed: UInt64(1002 + 10 * i)) : nil
            var attrs: [String: Attribute] = ["strides": .ints([p.s.0, p.s.1]), "dilations": .ints([p.d.0, p.d.1]), "pads": .ints(p.pads),
                                              "group": .int(p.group), "output_padding": .ints(p.outPad)]
            attrs["kernel_shape"] = .ints([p.k.0, p.k.1])
            let node = Node(name: "ct", op: "ConvTranspose", inputs: p.bias ? ["x", "w", "b"] : ["x", "w"], outputs: ["y"], attrs: attrs)
            let op = try OpRegistry.make(node, opset: 13)
            let want = referenceTranspose(p, x, wt, b)
            var inputs: [Tensor?] = [try Tensor(floats: x, shape: [p.n, p.c, p.h, p.w]), try Tensor(floats: wt, shape: [p.c, p.mg, p.k.0, p.k.1])]
            if let b { inputs.append(try Tensor(floats: b, shape: [m])) }
            for threads in [1, 2] {
                let y = try run(op, inputs, threads: threads)
                XCTAssertEqual(y.shape, want.shape, "\(p)")
                guard y.shape == want.shape else { continue }
                XCTAssertLessThanOrEqual(maxAbsDiff(y.floatArray(), want.y), Self.maxDiff, "\(p) threads \(threads)")
            }
        }
    }
}
