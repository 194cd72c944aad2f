import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// `Swiftlet.Attention` with key-padding masks: the path that drops masked keys against a
/// scalar double-precision reference of masked softmax attention, and against the op's own
/// full S×S path (`dropPaddedKeys: false`).
///
/// Tolerances: Q, K, V are uniform in [-1, 1), so every output is a convex combination of
/// V values (|out| ≤ 1); float32 GEMMs and softmax stay within `refTolerance` = 1e-5
/// absolute of the double reference. The key-dropping path and the full path do the same
/// float operations except for summation order, so they agree within `pathTolerance` =
/// 1e-6 absolute. One exception: a batch row whose keys are all masked with -1e4 softmaxes
/// logits of magnitude 1e4, where float32 values are 9.8e-4 apart, so the float32 op (on
/// either path, as in the original graph) is held to `fullyMaskedTolerance` = 1e-3 there.
final class AttentionMaskTests: XCTestCase {
    static let refTolerance = 1e-5
    static let fullyMaskedTolerance = 1e-3
    static let pathTolerance: Float = 1e-6

    struct Case {
        var b: Int, s: Int, h: Int, d: Int
        var lengths: [Int]          // valid keys per batch row (a prefix), 0 = fully masked
        var maskValue: Float
        var zeroNaN = false
    }

    /// Double-precision masked softmax attention; `mask(bi, hi, i, j)` is the additive mask.
    func reference(q: [Float], k: [Float], v: [Float], _ c: Case, scale: Double,
                   mask: (Int, Int, Int, Int) -> Double) -> [Double] {
        let hd = c.h * c.d
        var out = [Double](repeating: 0, count: c.b * c.s * hd)
        for bi in 0..<c.b {
            for hi in 0..<c.h {
                for i in 0..<c.s {
                    var logits = [Double](repeating: 0, count: c.s)
                    for j in 0..<c.s {
                        var dot = 0.0
                        for t in 0..<c.d { dot += Double(q[(bi * c.s + i) * hd + hi * c.d + t]) * Double(k[(bi * c.s + j) * hd + hi * c.d + t]) }
                        logits[j] = scale * dot + mask(bi, hi, i, j)
                    }
                    let mx = logits.max()!
                    var p = logits.map { Foundation.exp($0 - mx) }    // NaN when mx = -inf, as the reference
                    let sum = p.reduce(0, +)
                    p = p.map { $0 / sum }
                    if c.zeroNaN, p[0].isNaN { p = p.map { _ in 0 } }
                    for t in 0..<c.d {
                        var acc = 0.0
                        for j in 0..<c.s { acc += p[j] * Double(v[(bi * c.s + j) * hd + hi * c.d + t]) }
                        out[(bi * c.s + i) * hd + hi * c.d + t] = acc
                    }
                }
            }
        }
        return out
    }

    func run(_ c: Case, q: [Float], k: [Float], v: [Float], mask: Tensor, threads: Int, dropPaddedKeys: Bool = true) throws -> [Float] {
        let op = AttentionOp(heads: c.h, headSize: c.d, scale: 1 / Float(c.d).squareRoot(), zeroNaNRows: c.zeroNaN,
                             dropPaddedKeys: dropPaddedKeys)
        let shape = [c.b, c.s, c.h * c.d]
        let inputs: [Tensor?] = [try Tensor(floats: q, shape: shape), try Tensor(floats: k, shape: shape),
                                 try Tensor(floats: v, shape: shape), mask]
        return try op.run(inputs, ExecContext(pool: BufferPool(), threads: threads))[0].floatArray()
    }

    /// Compares NaN-aware: a NaN in the reference must be NaN in `got`.
    func assertClose(_ got: [Float], _ want: [Double], _ tol: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.count, want.count, what, file: file, line: line)
        var worst = 0.0, nanMismatch = 0
        for (g, w) in zip(got, want) {
            if w.isNaN || g.isNaN { if w.isNaN != g.isNaN { nanMismatch += 1 }; continue }
            worst = max(worst, abs(Double(g) - w))
        }
        XCTAssertEqual(nanMismatch, 0, "\(what): NaN where the reference has none or vice versa", file: file, line: line)
        XCTAssertLessThanOrEqual(worst, tol, "\(what): max |diff| \(worst)", file: file, line: line)
    }

    func check(_ c: Case, seed: UInt64, bigDroppedKeys: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws {
        let hd = c.h * c.d, n = c.b * c.s * hd
        let q = testRandoms(n, seed: seed), v = testRandoms(n, seed: seed + 2)
        var k = testRandoms(n, seed: seed + 1)
        if bigDroppedKeys {
            // Padded keys aligned with the queries and huge: their scores (~+4e4 for d = 8) beat the
            // -1e4 mask, so they must not be dropped (the exactness check has to refuse).
            for bi in 0..<c.b {
                for j in c.lengths[bi]..<c.s {
                    for t in 0..<hd {
                        let qFirst: Float = q[bi * c.s * hd + t]
                        k[(bi * c.s + j) * hd + t] = qFirst < 0 ? -30000 : 30000
                    }
                }
            }
        }
        let valid = { (bi: Int, j: Int) in j < c.lengths[bi] }
        var keyMask = [Float](repeating: 0, count: c.b * c.s)
        for bi in 0..<c.b { for j in 0..<c.s where !valid(bi, j) { keyMask[bi * c.s + j] = c.maskValue } }
        // The same mask expanded over query rows ([B, 1, S, S]), as newer exports feed it.
        var rowMask = [Float](repeating: 0, count: c.b * c.s * c.s)
        for bi in 0..<c.b { for i in 0..<c.s { for j in 0..<c.s { rowMask[(bi * c.s + i) * c.s + j] = keyMask[bi * c.s + j] } } }
        let want = reference(q: q, k: k, v: v, c, scale: 1 / Double(c.d).squareRoot()) { bi, _, _, j in Double(keyMask[bi * c.s + j]) }
        let what = "B\(c.b) S\(c.s) H\(c.h) D\(c.d) lengths \(c.lengths) mask \(c.maskValue) zeroNaN \(c.zeroNaN)"
        let refTol = c.lengths.contains(0) && c.maskValue == -10000 ? Self.fullyMaskedTolerance : Self.refTolerance
        let keyTensor = try Tensor(floats: keyMask, shape: [c.b, 1, 1, c.s]), rowTensor = try Tensor(floats: rowMask, shape: [c.b, 1, c.s, c.s])
        for threads in [1, 2] {
            let full = try run(c, q: q, k: k, v: v, mask: keyTensor, threads: threads, dropPaddedKeys: false)
            assertClose(full, want, refTol, "\(what), \(threads) threads, full S×S path vs double reference", file: file, line: line)
            for (name, m) in [("[B,1,1,S] mask", keyTensor), ("[B,1,S,S] mask", rowTensor)] {
                let got = try run(c, q: q, k: k, v: v, mask: m, threads: threads)
                assertClose(got, want, refTol, "\(what), \(threads) threads, \(name) vs double reference", file: file, line: line)
                assertClose(got, full.map(Double.init), Double(Self.pathTolerance), "\(what), \(threads) threads, \(name) vs full path", file: file, line: line)
            }
        }
    }

    func testCausalMaskWithKeyPadding() throws {
        // Query rows differ (causal), and padding past each length is masked in every row:
        // keys past the longest length drop, the causal part is applied per row.
        for maskValue in Self.maskValues {
            let c = Case(b: 3, s: 13, h: 2, d: 16, lengths: [13, 6, 1], maskValue: maskValue)
            let hd = c.h * c.d, n = c.b * c.s * hd
            let q = testRandoms(n, seed: 51), k = testRandoms(n, seed: 52), v = testRandoms(n, seed: 53)
            let allowed = { (bi: Int, i: Int, j: Int) in j <= i && j < c.lengths[bi] }
            var m = [Float](repeating: 0, count: c.b * c.s * c.s)
            for bi in 0..<c.b { for i in 0..<c.s { for j in 0..<c.s where !allowed(bi, i, j) { m[(bi * c.s + i) * c.s + j] = maskValue } } }
            let want = reference(q: q, k: k, v: v, c, scale: 1 / Double(c.d).squareRoot()) { bi, _, i, j in allowed(bi, i, j) ? 0 : Double(maskValue) }
            let mask = try Tensor(floats: m, shape: [c.b, 1, c.s, c.s])
            for threads in [1, 2] {
                let full = try run(c, q: q, k: k, v: v, mask: mask, threads: threads, dropPaddedKeys: false)
                let got = try run(c, q: q, k: k, v: v, mask: mask, threads: threads)
                assertClose(got, want, Self.refTolerance, "causal + padding \(maskValue), \(threads) threads")
                assertClose(got, full.map(Double.init), Double(Self.pathTolerance), "causal + padding \(maskValue), \(threads) threads vs full path")
            }
        }
    }

    static let maskValues: [Float] = [-10000, -3.4028235e38, -.infinity]

    func testKeyPaddingMasksOfSeveralLengths() throws {
        var seed: UInt64 = 100
        for maskValue in Self.maskValues {
            for (h, d) in [(2, 8), (3, 16), (4, 32)] {
                for s in [9, 37] {
                    // All valid, one valid, a few, all but one, and a batch row of each.
                    let lengths = [s, 1, 5, s - 1]
                    try check(Case(b: lengths.count, s: s, h: h, d: d, lengths: lengths, maskValue: maskValue), seed: seed)
                    seed += 10
                }
            }
        }
    }

    func testFullyMaskedRows() throws {
        // A batch row with no valid key: -1e4 gives uniform-ish weights over all keys,
        // finfo.min and -inf rows are NaN, or 0 with zeroNaNRows — as the reference.
        for maskValue in Self.maskValues {
            for zeroNaN in [false, true] {
                // d = 32 runs the unpacked head products; d = 8 the GEMM.
                for d in [8, 32] {
                    try check(Case(b: 3, s: 11, h: 2, d: d, lengths: [11, 0, 3], maskValue: maskValue, zeroNaN: zeroNaN), seed: 7)
                }
            }
        }
    }

    func testHugeScoresOnPaddedKeysAreNotDropped() throws {
        for d in [8, 32] {
            try check(Case(b: 2, s: 12, h: 2, d: d, lengths: [12, 4], maskValue: -10000), seed: 21, bigDroppedKeys: true)
        }
    }

    /// The key-dropping step itself: it must accept ordinary inputs (so the op really skips
    /// padding) and refuse when padded keys could matter.
    func testKeyDroppingIsTakenForOrdinaryInputsAndRefusedForHugeScores() throws {
        let s = 16, d = 8, lk = 5
        let q = testRandoms(s * d, seed: 41), v = testRandoms(s * d, seed: 43)
        var k = testRandoms(s * d, seed: 42)
        for maskValue: Float in [-10000, -3.4028235e38, -.infinity] {
            let mask = (0..<s).map { $0 < lk ? Float(0) : maskValue }
            var out = [Float](repeating: 0, count: s * d), scratch = [Float](repeating: 0, count: s * s)
            let taken = AttentionOp.attendPrefix(lk, s: s, d: d, hd: d, q: q, k: k, v: v, out: &out, mask: mask,
                                                 maskRowStride: 0, maskKeyStride: 1, droppedMaskMax: maskValue,
                                                 scale: 1 / Float(d).squareRoot(), zeroNaN: false, scratch: &scratch)
            XCTAssertTrue(taken, "mask \(maskValue)")
        }
        for t in 0..<d { k[(s - 1) * d + t] = q[t] < 0 ? -30000 : 30000 }   // score ≈ +4e4 for query 0
        let mask = (0..<s).map { $0 < lk ? Float(0) : -10000 }
        var out = [Float](repeating: 0, count: s * d), scratch = [Float](repeating: 0, count: s * s)
        let taken = AttentionOp.attendPrefix(lk, s: s, d: d, hd: d, q: q, k: k, v: v, out: &out, mask: mask,
                                             maskRowStride: 0, maskKeyStride: 1, droppedMaskMax: -10000,
                                             scale: 1 / Float(d).squareRoot(), zeroNaN: false, scratch: &scratch)
        XCTAssertFalse(taken)
        XCTAssertEqual(out, [Float](repeating: 0, count: s * d), "nothing written when refused")
    }

    func testMaskVaryingOverHeads() throws {
        // [B, H, 1, S]: each (batch, head) has its own key range.
        let c = Case(b: 2, s: 10, h: 3, d: 8, lengths: [], maskValue: -.infinity)
        let hd = c.h * c.d, n = c.b * c.s * hd
        let q = testRandoms(n, seed: 31), k = testRandoms(n, seed: 32), v = testRandoms(n, seed: 33)
        let len = { (bi: Int, hi: Int) in [[10, 4, 1], [7, 2, 9]][bi][hi] }
        var m = [Float](repeating: 0, count: c.b * c.h * c.s)
        for bi in 0..<c.b { for hi in 0..<c.h { for j in len(bi, hi)..<c.s { m[(bi * c.h + hi) * c.s + j] = -.infinity } } }
        let want = reference(q: q, k: k, v: v, c, scale: 1 / Double(c.d).squareRoot()) { bi, hi, _, j in j < len(bi, hi) ? 0 : -.infinity }
        for threads in [1, 2] {
            let got = try run(c, q: q, k: k, v: v, mask: try Tensor(floats: m, shape: [c.b, c.h, 1, c.s]), threads: threads)
            assertClose(got, want, Self.refTolerance, "per-head mask, \(threads) threads")
        }
    }

    func testExpFlushesBelowItsRangeToZero() {
        for x: Float in [-87.5, -88, -100, -1e4, -3.4028235e38, -.infinity] {
            XCTAssertEqual(VectorMath.exp(x), 0, "exp(\(x))")
        }
        XCTAssertTrue(VectorMath.exp(Float.nan).isNaN)
        XCTAssertTrue(VectorMath.exp(Float(bitPattern: 0xFFC0_0000)).isNaN)   // x86's default NaN, sign bit set
        XCTAssertEqual(VectorMath.exp(0), 1)
        XCTAssertEqual(VectorMath.exp(Float.infinity), VectorMath.exp(88.37626))
        XCTAssertTrue(VectorMath.exp(-87.3).isNormal)
        // Next to the clamp the polynomial is good to a few 1e-6 relative (measured 3.1e-6).
        XCTAssertEqual(Double(VectorMath.exp(-87.3)), Foundation.exp(-87.3), accuracy: 1e-5 * Foundation.exp(-87.3))
        // Softmax output has exact zeros for masked logits and no subnormal values.
        var row: [Float] = [0, 0, 0, -87, -87.3, -90, -1e4, -.infinity, -0.5, -3.4028235e38, -0.25]
        row.withUnsafeMutableBufferPointer { p in softmaxRow(p.baseAddress!, p.baseAddress!, p.count, false) }
        for (j, p) in row.enumerated() { XCTAssertTrue(p == 0 || p.isNormal, "softmax[\(j)] = \(p)") }
        XCTAssertEqual(Array(row[5...7]), [0, 0, 0])
        XCTAssertEqual(row[9], 0)
    }
}
