import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// The int8 GEMM: tiles exact against a scalar int32 reference (bit-identical sums) for
/// every ISA family this CPU runs, across shapes around the tile edges and odd k; the
/// families and thread counts agree bit for bit on the float result; activation
/// quantization (per row and 128-k block) follows its definition.
final class Int8GemmTests: XCTestCase {
    /// Deterministic int8 values in -127...127, extremes included.
    func int8s(_ n: Int, seed: UInt64) -> [Int8] {
        var x = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<n).map { i in
            x = x &* 6364136223846793005 &+ 1442695040888963407
            if i % 17 == 0 { return i % 34 == 0 ? 127 : -127 }
            return Int8(Int((x >> 33) % 255) - 127)
        }
    }

    func testTilesAreExact() {
        for isa in Int8ISA.available {
            for (m, k, n) in [(1, 1, 1), (3, 5, 7), (13, 37, 33), (12, 384, 32), (25, 1537, 70), (4, 4, 64), (17, 96, 31)] {
                let qa = int8s(m * k, seed: UInt64(m * 1000 + k)), qb = int8s(k * n, seed: UInt64(n * 77 + k))
                let scales = [Float](repeating: 1, count: n)
                let packed = qb.withUnsafeBufferPointer { Int8PackedMatrix($0.baseAddress!, scales: scales, k: k, n: n) }
                let stride = packed.k4 * 4, nr = Int8PackedMatrix.nr
                // A as the tiles read it: micro-panels of mr rows, [k4][mr][4] bytes, q (+128
                // for VNNI), zero-padded in k.
                let offset: UInt8 = isa == .vnni ? 128 : 0, mr = isa.mr, micro = (m + mr - 1) / mr
                var a = [UInt8](repeating: offset, count: micro * mr * stride)
                for i in 0..<m {
                    for kk in 0..<k {
                        a[(i / mr) * mr * stride + (kk / 4) * mr * 4 + (i % mr) * 4 + kk % 4] = UInt8(bitPattern: qa[i * k + kk]) &+ offset
                    }
                }
                var got = [Int32](repeating: 0, count: m * n)
                var tile = [Int32](repeating: 0, count: mr * nr)
                for p in 0..<packed.panels {
                    for panel in 0..<micro {
                        let rows = min(mr, m - panel * mr)
                        a.withUnsafeBytes { ab in
                            tile.withUnsafeMutableBufferPointer { t in
                                isa.tile(rows: rows, a: ab.baseAddress! + panel * mr * stride,
                                         b: UnsafeRawPointer(packed.data + p * packed.k4 * nr * 4), k4: packed.k4, c: t.baseAddress!, ldc: nr)
                            }
                        }
                        for r in 0..<rows {
                            let i = panel * mr + r
                            for j in 0..<min(nr, n - p * nr) {
                                let col = p * nr + j
                                let offset = (0..<packed.blocks).reduce(Int32(0)) { $0 + packed.vnniOffsets[$1 * packed.panels * nr + col] }
                                got[i * n + col] = tile[r * nr + j] - (isa == .vnni ? offset : 0)
                            }
                        }
                    }
                }
                var want = [Int32](repeating: 0, count: m * n)
                for i in 0..<m { for j in 0..<n { for kk in 0..<k { want[i * n + j] += Int32(qa[i * k + kk]) * Int32(qb[kk * n + j]) } } }
                XCTAssertEqual(got, want, "\(isa) m=\(m) k=\(k) n=\(n)")
            }
        }
    }

    /// The float result: the same definition computed in scalar code. Each row is
    /// quantized per block of `Int8Gemm.blockK` k (scale max|a|/127), each block's exact
    /// int32 sum is added in float32 with a fused multiply-add, then scaled by the column.
    func reference(_ a: [Float], _ qb: [Int8], _ scales: [Float], _ bias: [Float], m: Int, k: Int, n: Int) -> [Float] {
        var out = [Float](repeating: 0, count: m * n)
        let kb = Int8Gemm.blockK
        for i in 0..<m {
            var acc = [Float](repeating: 0, count: n)
            for lo in stride(from: 0, to: k, by: kb) {
                let block = a[(i * k + lo)..<(i * k + min(k, lo + kb))]
                let amax = block.map { abs($0) }.max() ?? 0
                let q = block.map { Int32(max(-127, min(127, ($0 * (amax > 0 ? 127 / amax : 0)).rounded(.toNearestOrEven)))) }
                let bs: Float = amax > 0 ? amax / 127 : 0
                for j in 0..<n {
                    var s: Int32 = 0
                    for (e, qv) in q.enumerated() { s += qv * Int32(qb[(lo + e) * n + j]) }
                    acc[j] = acc[j].addingProduct(Float(s), bs)
                }
            }
            for j in 0..<n { out[i * n + j] = acc[j] * scales[j] + bias[j] }
        }
        return out
    }

    func gemm(_ a: [Float], _ packed: Int8PackedMatrix, _ bias: [Float], m: Int, threads: Int, isa: Int8ISA, act: Activation = .none) -> [Float] {
        var out = [Float](repeating: .nan, count: m * packed.n)
        let pool = threads > 1 ? WorkerPool(size: threads) : nil
        a.withUnsafeBufferPointer { ap in
            bias.withUnsafeBufferPointer { bp in
                out.withUnsafeMutableBufferPointer { o in
                    CurrentPool.with(pool) {
                        Int8Gemm.gemm(m: m, a: ap.baseAddress!, lda: packed.k, b: packed, c: o.baseAddress!, ldc: packed.n,
                                      bias: bp.baseAddress!, act: act, threads: threads, isa: isa)
                    }
                }
            }
        }
        return out
    }

    func testGemmMatchesDefinitionOnEveryISAAndThreadCount() {
        for (m, k, n) in [(1, 384, 384), (7, 33, 45), (30, 384, 1536), (129, 1536, 384), (5, 3, 2), (3, 300, 70)] {
            let a = testRandoms(m * k, seed: UInt64(m + k)), qb = int8s(k * n, seed: UInt64(n))
            let scales = testRandoms(n, seed: 9).map { abs($0) / 50 + 1e-3 }, bias = testRandoms(n, seed: 11)
            let packed = qb.withUnsafeBufferPointer { Int8PackedMatrix($0.baseAddress!, scales: scales, k: k, n: n, threads: 2) }
            let want = reference(a, qb, scales, bias, m: m, k: k, n: n)
            var first: [Float]?
            for isa in Int8ISA.available {
                for threads in 1...4 {
                    let got = gemm(a, packed, bias, m: m, threads: threads, isa: isa)
                    // Same int32 sums and the same scaling; only the order of the final
                    // multiply-add may differ from the scalar loop by one rounding.
                    for i in 0..<got.count {
                        XCTAssertEqual(got[i], want[i], accuracy: 2e-6 * max(1, abs(want[i])), "\(isa) t=\(threads) m=\(m) k=\(k) n=\(n) @\(i)")
                    }
                    if let first { XCTAssertEqual(got, first, "\(isa) t=\(threads) differs bit-wise") } else { first = got }
                }
            }
        }
    }

    /// GELU in the epilogue (BERT's FFN): the VNNI path on AVX-512 stores and activates in one
    /// pass (Gelu512.scaleBiasMap), the AVX2 path stores and then maps; the two must agree bit
    /// for bit, and with the GELU of the plain product. n = 45: a partial last panel too.
    func testGeluEpilogueSameBitsOnEveryISA() {
        for (m, k, n) in [(30, 384, 96), (7, 33, 45)] {
            let a = testRandoms(m * k, seed: UInt64(5 * m + k)), qb = int8s(k * n, seed: UInt64(n + 1))
            let scales = testRandoms(n, seed: 19).map { abs($0) / 50 + 1e-3 }, bias = testRandoms(n, seed: 23)
            let packed = qb.withUnsafeBufferPointer { Int8PackedMatrix($0.baseAddress!, scales: scales, k: k, n: n, threads: 2) }
            var first: [Float]?
            for isa in Int8ISA.available {
                for threads in [1, 2] {
                    let plain = gemm(a, packed, bias, m: m, threads: threads, isa: isa)
                    let want = plain.map { VectorMath.gelu(SIMD8<Float>(repeating: $0))[0] }
                    let got = gemm(a, packed, bias, m: m, threads: threads, isa: isa, act: .gelu)
                    XCTAssertEqual(got.map(\.bitPattern), want.map(\.bitPattern), "\(isa) t=\(threads) m=\(m) n=\(n)")
                    if let first { XCTAssertEqual(got.map(\.bitPattern), first.map(\.bitPattern), "\(isa) t=\(threads)") } else { first = got }
                }
            }
        }
    }

    /// Q4_0/Q8_0 weights: K in blocks of 32, each block's exact sum scaled by the row's
    /// block scale times the column's block scale d. Every ISA and thread count gives the
    /// same bits, within one rounding of the scalar definition.
    func testBlockScaledWeightsMatchDefinitionOnEveryISAAndThreadCount() throws {
        for (m, k, n, q4) in [(1, 384, 384, true), (13, 64, 45, false), (30, 384, 1536, true), (129, 1536, 96, true), (7, 32, 33, false)] {
            let a = testRandoms(m * k, seed: UInt64(3 * m + k))
            let blocks = k / 32, blockBytes = q4 ? 18 : 34
            var raw = [UInt8](repeating: 0, count: n * blocks * blockBytes)
            var qb = [Int8](repeating: 0, count: k * n), d = [Float](repeating: 0, count: blocks * n)
            let vals = int8s(k * n, seed: UInt64(k + n))
            for j in 0..<n {
                for b in 0..<blocks {
                    let o = (j * blocks + b) * blockBytes
                    let dv = Float(Float16(Float((j * 31 + b * 7) % 50 + 1) * 0.001))
                    d[b * n + j] = dv
                    withUnsafeBytes(of: Float16(dv).bitPattern.littleEndian) { raw[o] = $0[0]; raw[o + 1] = $0[1] }
                    for e in 0..<32 {
                        let kk = b * 32 + e
                        let v: Int8 = q4 ? Int8(Int(vals[kk * n + j]) & 15) - 8 : vals[kk * n + j]
                        qb[kk * n + j] = v
                        if q4 {
                            let nib = UInt8(Int(v) + 8)
                            raw[o + 2 + e % 16] |= e < 16 ? nib : nib << 4
                        } else {
                            raw[o + 2 + e] = UInt8(bitPattern: v)
                        }
                    }
                }
            }
            let packed = try raw.withUnsafeBytes { try Int8PackedMatrix(blocks: $0.baseAddress!, q4: q4, k: k, n: n, threads: 2) }
            XCTAssertEqual(packed.blockK, 32)
            // The definition, in scalar code.
            var want = [Float](repeating: 0, count: m * n)
            let bias = testRandoms(n, seed: 17)
            for i in 0..<m {
                var acc = [Float](repeating: 0, count: n)
                for b in 0..<blocks {
                    let part = a[(i * k + b * 32)..<(i * k + b * 32 + 32)]
                    let amax = part.map { abs($0) }.max() ?? 0
                    let q = part.map { Int32(max(-127, min(127, ($0 * (amax > 0 ? 127 / amax : 0)).rounded(.toNearestOrEven)))) }
                    let rs: Float = amax > 0 ? amax / 127 : 0
                    for j in 0..<n {
                        var sum: Int32 = 0
                        for (e, qv) in q.enumerated() { sum += qv * Int32(qb[(b * 32 + e) * n + j]) }
                        acc[j] = acc[j].addingProduct(Float(sum), rs * d[b * n + j])
                    }
                }
                for j in 0..<n { want[i * n + j] = acc[j] + bias[j] }
            }
            var first: [Float]?
            for isa in Int8ISA.available {
                for threads in [1, 2, 3] {
                    let got = gemm(a, packed, bias, m: m, threads: threads, isa: isa)
                    for i in 0..<got.count {
                        XCTAssertEqual(got[i], want[i], accuracy: 2e-6 * max(1, abs(want[i])), "\(isa) t=\(threads) m=\(m) k=\(k) n=\(n) @\(i)")
                    }
                    if let first { XCTAssertEqual(got, first, "\(isa) t=\(threads) differs bit-wise") } else { first = got }
                }
            }
        }
    }

    func testZeroAndNaNRows() {
        let k = 40, n = 40
        var a = [Float](repeating: 0, count: 3 * k)
        a[2 * k + 5] = .nan
        for j in 0..<k { a[k + j] = Float(j) - 20 }
        let qb = int8s(k * n, seed: 3), scales = [Float](repeating: 0.01, count: n), bias = testRandoms(n, seed: 4)
        let packed = qb.withUnsafeBufferPointer { Int8PackedMatrix($0.baseAddress!, scales: scales, k: k, n: n) }
        for isa in Int8ISA.available {
            let out = gemm(a, packed, bias, m: 3, threads: 1, isa: isa)
            XCTAssertEqual(Array(out[0..<n]), bias, "a zero row gives the bias alone")
            XCTAssertTrue(out[(2 * n)...].allSatisfy(\.isNaN), "a NaN in a row makes the row NaN")
            XCTAssertTrue(out[n..<(2 * n)].allSatisfy(\.isFinite))
        }
    }

    func testQuantizedProductIsCloseToTheFloatProduct() {
        // Per-row activation scales + per-column weight scales: on random data the result
        // is within 2% of the largest output of the exact product of the dequantized values.
        let m = 16, k = 384, n = 96
        let a = testRandoms(m * k, seed: 21), qb = int8s(k * n, seed: 22), scales = [Float](repeating: 0.02, count: n)
        let packed = qb.withUnsafeBufferPointer { Int8PackedMatrix($0.baseAddress!, scales: scales, k: k, n: n) }
        let out = gemm(a, packed, [Float](repeating: 0, count: n), m: m, threads: 2, isa: .best, act: .relu)
        var exact = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { var s: Float = 0; for kk in 0..<k { s += a[i * k + kk] * Float(qb[kk * n + j]) * 0.02 }; exact[i * n + j] = max(0, s) } }
        let top = exact.map(abs).max()!
        for i in 0..<out.count { XCTAssertEqual(out[i], exact[i], accuracy: 0.02 * top) }
    }
}
