import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Attention's per-head products on unpacked operands give the bits of the packed GEMM on
/// the same ISA (the same FMAs in the same order per element), for key counts around the
/// tile width, row counts around every tile height, and on each ISA this CPU runs.
final class HeadProductsTests: XCTestCase {
    func testScoresAndWeightedValuesMatchPackedGemmBits() {
        for isa in GemmISA.available {
            let tiles = HeadProducts(isa: isa)
            for d in [isa.nr, 2 * isa.nr] {
                XCTAssertTrue(tiles.supports(headSize: d))
                for (rows, keys) in [(1, 1), (5, 7), (13, 33), (37, 37), (128, 128), (25, 95)] {
                    let hd = 3 * d, ld = tiles.paddedKeys(keys)
                    let q = testRandoms(rows * hd, seed: UInt64(rows * 7 + keys))
                    let k = testRandoms(keys * hd, seed: UInt64(keys * 5 + rows))
                    let v = testRandoms(keys * hd, seed: UInt64(keys * 3 + d))
                    let scale: Float = 0.17
                    var scores = [Float](repeating: .nan, count: rows * ld), kt = [Float](repeating: .nan, count: tiles.transposeFloats(keys: keys, headSize: d))
                    tiles.scores(q: q, ldq: hd, rows: rows, k: k, ldk: hd, keys: keys, d: d, scale: scale, kt: &kt, into: &scores)
                    var want = [Float](repeating: 0, count: rows * keys)
                    Gemm.own(m: rows, n: keys, k: d, a: q, lda: hd, transA: false, b: k, ldb: hd, transB: true,
                             c: &want, ldc: keys, alpha: scale, beta: 0, threads: 1, isa: isa)
                    let what = "\(isa) d \(d) rows \(rows) keys \(keys)"
                    for i in 0..<rows {
                        XCTAssertEqual(Array(scores[(i * ld)..<(i * ld + keys)]).map(\.bitPattern),
                                       Array(want[(i * keys)..<((i + 1) * keys)]).map(\.bitPattern), "scores \(what) row \(i)")
                    }
                    // P·V with P a row-stride-ld probability-like matrix (the scores' layout).
                    let p = testRandoms(rows * ld, seed: UInt64(rows + keys + d))
                    var out = [Float](repeating: .nan, count: rows * hd), ref = [Float](repeating: .nan, count: rows * hd)
                    tiles.weightedValues(p: p, ldp: ld, rows: rows, keys: keys, v: v, ldv: hd, d: d, out: &out, ldo: hd)
                    Gemm.own(m: rows, n: d, k: keys, a: p, lda: ld, transA: false, b: v, ldb: hd, transB: false,
                             c: &ref, ldc: hd, alpha: 1, beta: 0, threads: 1, isa: isa)
                    for i in 0..<rows {
                        XCTAssertEqual(Array(out[(i * hd)..<(i * hd + d)]).map(\.bitPattern),
                                       Array(ref[(i * hd)..<(i * hd + d)]).map(\.bitPattern), "P·V \(what) row \(i)")
                        XCTAssertTrue(out[(i * hd + d)..<((i + 1) * hd)].allSatisfy(\.isNaN), "P·V \(what) wrote past its head")
                    }
                }
            }
            XCTAssertFalse(tiles.supports(headSize: 8))
            XCTAssertFalse(tiles.supports(headSize: isa.nr + 8))
        }
    }
}
