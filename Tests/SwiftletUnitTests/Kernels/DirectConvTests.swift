import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// The implicit-GEMM conv kernel (Kernels/DirectConv.swift) over geometries the golden op
/// cases do not reach — strides 1–3, dilations, asymmetric pads, widths around the 8/16
/// tile edges, channel counts off the 6-row block, bands split over threads — against a
/// direct double-precision evaluation of the ONNX Conv formula. Tolerance: max |diff| ≤ 1e-4
/// (float summation order only).
final class DirectConvTests: XCTestCase {
    static let maxDiff = 1e-4

    struct Geometry {
        var n = 1, c = 3, m = 7, h = 9, w = 19, kH = 3, kW = 3
        var sH = 1, sW = 1, dH = 1, dW = 1
        var pads = [1, 1, 1, 1], group = 1
    }

    /// y[n][oc][oh][ow] = bias[oc] + Σ x[n][ic][oh·sH − padT + ki·dH][ow·sW − padL + kj·dW] · w[oc][ic][ki][kj]
    func reference(_ g: Geometry, _ x: [Float], _ w: [Float], _ bias: [Float], _ act: (Double) -> Double) -> (shape: [Int], y: [Float]) {
        let oh = (g.h + g.pads[0] + g.pads[2] - ((g.kH - 1) * g.dH + 1)) / g.sH + 1
        let ow = (g.w + g.pads[1] + g.pads[3] - ((g.kW - 1) * g.dW + 1)) / g.sW + 1
        let cg = g.c / g.group, mg = g.m / g.group
        var y = [Float](repeating: 0, count: g.n * g.m * oh * ow)
        for b in 0..<g.n {
            for oc in 0..<g.m {
                let gi = oc / mg
                for i in 0..<oh {
                    for j in 0..<ow {
                        var s = Double(bias[oc])
                        for ic in 0..<cg {
                            for ki in 0..<g.kH {
                                let ih = i * g.sH - g.pads[0] + ki * g.dH
                                guard ih >= 0 && ih < g.h else { continue }
                                for kj in 0..<g.kW {
                                    let iw = j * g.sW - g.pads[1] + kj * g.dW
                                    guard iw >= 0 && iw < g.w else { continue }
                                    let xv = x[((b * g.c + gi * cg + ic) * g.h + ih) * g.w + iw]
                                    s += Double(xv) * Double(w[((oc * cg + ic) * g.kH + ki) * g.kW + kj])
                                }
                            }
                        }
                        y[((b * g.m + oc) * oh + i) * ow + j] = Float(act(s))
                    }
                }
            }
        }
        return ([g.n, g.m, oh, ow], y)
    }

    func check(_ g: Geometry, activation: Epilogue = Epilogue(), act: @escaping (Double) -> Double = { $0 },
               threads: [Int] = [1, 2, 3], seed: UInt64 = 1, file: StaticString = #filePath, line: UInt = #line) throws {
        let x = testRandoms(g.n * g.c * g.h * g.w, seed: seed)
        let cg = g.c / g.group
        let w = testRandoms(g.m * cg * g.kH * g.kW, seed: seed &+ 1).map { $0 * 0.5 }
        let bias = testRandoms(g.m, seed: seed &+ 2)
        let want = reference(g, x, w, bias, act)
        let node = Node(name: "conv", op: "Conv", inputs: ["x", "w", "b"], outputs: ["y"],
                        attrs: ["strides": .ints([g.sH, g.sW]), "dilations": .ints([g.dH, g.dW]), "pads": .ints(g.pads), "group": .int(g.group)])
        let op = try ConvOp(node, activation: activation)
        let inputs = [try Tensor(floats: x, shape: [g.n, g.c, g.h, g.w]), try Tensor(floats: w, shape: [g.m, cg, g.kH, g.kW]),
                      try Tensor(floats: bias, shape: [g.m])]
        for t in threads {
            let y = try op.run(inputs, ExecContext(pool: BufferPool(), threads: t))[0]
            XCTAssertEqual(y.shape, want.shape, "\(g) threads \(t)", file: file, line: line)
            guard y.shape == want.shape else { return }
            let d = zip(y.floatArray(), want.y).map { Double(abs($0 - $1)) }.max() ?? 0
            XCTAssertLessThanOrEqual(d, Self.maxDiff, "\(g) threads \(t)", file: file, line: line)
        }
    }

    func testStridesDilationsAndPads() throws {
        for (sH, sW) in [(1, 1), (2, 2), (1, 2), (3, 3), (2, 1)] {
            for (dH, dW) in [(1, 1), (2, 2), (1, 3)] {
                for pads in [[0, 0, 0, 0], [1, 1, 1, 1], [2, 0, 1, 3]] {
                    try check(Geometry(c: 5, m: 7, h: 11, w: 37, sH: sH, sW: sW, dH: dH, dW: dW, pads: pads),
                              seed: UInt64(sH * 100 + sW * 10 + dH + dW * 1000 + pads.reduce(0, +) * 7))
                }
            }
        }
    }

    func testWidthsAroundTileEdges() throws {
        // Output widths 1…41 cover the 16-wide tiles, the 8-wide tail and the ragged copy.
        for w in [1, 2, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 33, 41] {
            try check(Geometry(c: 4, m: 6, h: 5, w: w), threads: [1, 2], seed: UInt64(w))
            try check(Geometry(c: 3, m: 13, h: 4, w: 2 * w + 1, sH: 2, sW: 2), threads: [1], seed: UInt64(w + 50))
        }
    }

    func testChannelBlocksGroupsBatchesAndKernels() throws {
        for m in [1, 5, 6, 11, 12, 24] {
            try check(Geometry(c: 8, m: m, h: 10, w: 20), threads: [1, 2], seed: UInt64(m))
        }
        try check(Geometry(n: 2, c: 6, m: 9, h: 12, w: 18, group: 3))
        try check(Geometry(n: 3, c: 2, m: 4, h: 7, w: 13, kH: 5, kW: 5, pads: [2, 2, 2, 2]))
        try check(Geometry(c: 4, m: 8, h: 1, w: 30, kH: 1, kW: 3, pads: [0, 1, 0, 1]))
        try check(Geometry(c: 4, m: 8, h: 12, w: 9, kH: 7, kW: 1, pads: [3, 0, 3, 0]))
        // Tall input with many channels: several bands per thread.
        try check(Geometry(c: 48, m: 12, h: 70, w: 24), threads: [1, 2, 4], seed: 9)
    }

    func testFusedActivationAndAffine() throws {
        let hs: (Double) -> Double = { v in v * min(max(v / 6 + 0.5, 0), 1) }
        try check(Geometry(c: 6, m: 10, h: 9, w: 21), activation: Epilogue(act: .hardSwish), act: hs)
        try check(Geometry(c: 6, m: 10, h: 9, w: 21, sH: 2, sW: 2), activation: Epilogue(act: .relu, scale: 1.5, shift: -0.25),
                  act: { max($0, 0) * 1.5 - 0.25 })
    }
}
