import XCTest
import SwiftletTestSupport
@testable import Swiftlet
import SwiftletAVX512

/// Attention's row softmax: the 16-lane passes (SoftmaxRow512, taken on AVX-512) give the
/// bits of the 8-lane mask add + `softmaxRow`, with and without a mask, around every
/// vector edge, with -inf/finfo.min masks, fully masked rows and NaN logits.
final class SoftmaxRowsTests: XCTestCase {
    func logits(_ n: Int, seed: UInt64) -> [Float] {
        var v = testRandoms(n, seed: seed).map { $0 * 12 }
        let specials: [Float] = [0, -0, .nan, 1e-30, -1e-30]
        for (i, s) in specials.enumerated() where i * 7 < n && seed % 3 == 0 { v[i * 7] = s }
        return v
    }

    func maskValues(_ n: Int, seed: UInt64) -> [Float] {
        // A key-padding mask: 0 for a prefix, then the given fill.
        let fills: [Float] = [-10000, -3.4028235e38, -.infinity]
        let keep = Int(seed) % (n + 1)
        return (0..<n).map { $0 < keep ? 0 : fills[Int(seed) % 3] }
    }

    func eightLane(_ x: [Float], _ mask: [Float]?) -> [Float] {
        var row = x
        row.withUnsafeMutableBufferPointer { r in
            if let mask { for j in 0..<r.count { r[j] += mask[j] } }
            softmaxRow(r.baseAddress!, r.baseAddress!, r.count, false)
        }
        return row
    }

    func testSameBitsAsTheEightLaneSoftmax() {
        for n in [1, 7, 8, 15, 16, 17, 31, 32, 33, 37, 100, 128, 129] {
            for seed in UInt64(0)..<6 {
                let x = logits(n, seed: seed + UInt64(n) * 10)
                for mask in [nil, maskValues(n, seed: seed)] {
                    let want = eightLane(x, mask)
                    var got = x
                    got.withUnsafeMutableBufferPointer { r in
                        if let mask { mask.withUnsafeBufferPointer { maskedSoftmaxRow(r.baseAddress!, mask: $0.baseAddress!, n) } }
                        else { maskedSoftmaxRow(r.baseAddress!, mask: nil, n) }
                    }
                    XCTAssertEqual(got.map(\.bitPattern), want.map(\.bitPattern), "n \(n) seed \(seed) mask \(mask != nil)")
                }
            }
        }
    }

    func testAddMaskAndMax() {
        for n in [1, 15, 16, 17, 40, 128] {
            for seed in UInt64(0)..<6 {
                let x = logits(n, seed: seed + 1), mask = maskValues(n, seed: seed)
                var row = x
                let got = row.withUnsafeMutableBufferPointer { r in
                    mask.withUnsafeBufferPointer { addMaskAndMax(r.baseAddress!, mask: $0.baseAddress!, n) }
                }
                let sums = zip(x, mask).map { $0 + $1 }
                XCTAssertEqual(row.map(\.bitPattern), sums.map(\.bitPattern), "n \(n) seed \(seed): the mask is added")
                XCTAssertEqual(got.nan, sums.contains { $0.isNaN }, "n \(n) seed \(seed)")
                XCTAssertEqual(got.max, sums.filter { !$0.isNaN }.max() ?? -.infinity, "n \(n) seed \(seed)")
            }
        }
        // The AVX-512 pass itself, where this CPU has it (the loops above took it already).
        guard CPUFeatures.current.avx512 else { return }
        var a: [Float] = (0..<37).map { Float($0 % 11) - 5 }
        a[20] = .nan
        let avx512 = a.withUnsafeMutableBufferPointer { SoftmaxRow512.addMax($0.baseAddress!, nil, 37) }
        XCTAssertEqual(avx512.max, 5)
        XCTAssertTrue(avx512.nan)
    }
}
