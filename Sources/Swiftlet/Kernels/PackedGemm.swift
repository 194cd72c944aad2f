import Foundation

/// A constant right-hand matrix B [K, N] repacked once, at load, into column panels of 16:
/// panel p holds rows 0..<K of columns 16p..<16p+16 contiguously (zero-padded at the edge).
/// BLAS repacks B on every call; for weights that never change, doing it once removes that
/// cost, which dominates small-batch latency.
final class PackedMatrix: @unchecked Sendable {
    static let panelWidth = 16
    let k: Int
    let n: Int
    let panels: Int
    let data: UnsafeMutablePointer<Float>

    init(_ b: UnsafePointer<Float>, k: Int, n: Int) {
        self.k = k
        self.n = n
        panels = (n + 15) / 16
        data = Storage.alignedAlloc(max(1, panels * k * 16) * 4).assumingMemoryBound(to: Float.self)
        for p in 0..<panels {
            let cols = min(16, n - p * 16)
            for kk in 0..<k {
                let dst = data + (p * k + kk) * 16
                (dst).update(from: b + kk * n + p * 16, count: cols)
                if cols < 16 { (dst + cols).update(repeating: 0, count: 16 - cols) }
            }
        }
    }

    deinit { free(data) }
}

/// C[m×n] = A[m×k] · B (+ bias per column), B pre-packed. A 6×16 register tile (12 AVX2
/// accumulators) walks each panel; rows are blocked so the A block stays in L2 while
/// panels stream through L1.
enum PackedGemm {
    static let rowBlock = 96

    static func gemm(m: Int, a: UnsafePointer<Float>, lda: Int, b: PackedMatrix,
                     bias: UnsafePointer<Float>?, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int) {
        let rowBlocks = (m + rowBlock - 1) / rowBlock
        // Tiles of (row block × panel group) spread over threads; small m splits by panels.
        let panelGroup = max(1, min(b.panels, (b.panels * rowBlocks + threads * 4 - 1) / (threads * 4)))
        let groups = (b.panels + panelGroup - 1) / panelGroup
        let tiles = rowBlocks * groups
        let work = m * b.n * b.k
        parallelChunks(tiles, threads: work < 1 << 17 ? 1 : threads) { range in
            var edge = [Float](repeating: 0, count: 6 * 16)
            for t in range {
                let rb = t / groups, g = t % groups
                let i0 = rb * rowBlock, i1 = min(m, i0 + rowBlock)
                for p in (g * panelGroup)..<min(b.panels, (g + 1) * panelGroup) {
                    let cols = min(16, b.n - p * 16)
                    let bp = b.data + p * b.k * 16
                    let biasP = bias.map { $0 + p * 16 }
                    var i = i0
                    while i < i1 {
                        let rows = min(6, i1 - i)
                        if rows == 6 && cols == 16 {
                            tile6x16(a + i * lda, lda, bp, b.k, biasP, 16, c + i * ldc + p * 16, ldc)
                        } else {
                            // Edge tile: compute into a scratch tile, copy the valid part.
                            edge.withUnsafeMutableBufferPointer { e in
                                tileEdge(a + i * lda, lda, rows, bp, b.k, biasP, cols, e.baseAddress!)
                                for r in 0..<rows { (c + (i + r) * ldc + p * 16).update(from: e.baseAddress! + r * 16, count: cols) }
                            }
                        }
                        i += rows
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func biasVectors(_ bias: UnsafePointer<Float>?, _ cols: Int) -> (SIMD8<Float>, SIMD8<Float>) {
        guard let bias else { return (SIMD8(), SIMD8()) }
        var v0 = SIMD8<Float>(), v1 = SIMD8<Float>()
        for j in 0..<min(cols, 8) { v0[j] = bias[j] }
        if cols > 8 { for j in 8..<cols { v1[j - 8] = bias[j] } }
        return (v0, v1)
    }

    @inline(__always)
    private static func tile6x16(_ a: UnsafePointer<Float>, _ lda: Int, _ bp: UnsafePointer<Float>, _ k: Int,
                                 _ bias: UnsafePointer<Float>?, _ cols: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        let (bv0, bv1) = biasVectors(bias, cols)
        var c00 = bv0, c01 = bv1, c10 = bv0, c11 = bv1, c20 = bv0, c21 = bv1
        var c30 = bv0, c31 = bv1, c40 = bv0, c41 = bv1, c50 = bv0, c51 = bv1
        let rb = UnsafeRawPointer(bp)
        let a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda, a4 = a + 4 * lda, a5 = a + 5 * lda
        for kk in 0..<k {
            let b0 = rb.load(fromByteOffset: kk * 64, as: SIMD8<Float>.self)
            let b1 = rb.load(fromByteOffset: kk * 64 + 32, as: SIMD8<Float>.self)
            var x = SIMD8<Float>(repeating: a0[kk]); c00.addProduct(x, b0); c01.addProduct(x, b1)
            x = SIMD8<Float>(repeating: a1[kk]); c10.addProduct(x, b0); c11.addProduct(x, b1)
            x = SIMD8<Float>(repeating: a2[kk]); c20.addProduct(x, b0); c21.addProduct(x, b1)
            x = SIMD8<Float>(repeating: a3[kk]); c30.addProduct(x, b0); c31.addProduct(x, b1)
            x = SIMD8<Float>(repeating: a4[kk]); c40.addProduct(x, b0); c41.addProduct(x, b1)
            x = SIMD8<Float>(repeating: a5[kk]); c50.addProduct(x, b0); c51.addProduct(x, b1)
        }
        let rc = UnsafeMutableRawPointer(c)
        @inline(__always) func st(_ r: Int, _ v0: SIMD8<Float>, _ v1: SIMD8<Float>) {
            rc.storeBytes(of: v0, toByteOffset: r * ldc * 4, as: SIMD8<Float>.self)
            rc.storeBytes(of: v1, toByteOffset: r * ldc * 4 + 32, as: SIMD8<Float>.self)
        }
        st(0, c00, c01); st(1, c10, c11); st(2, c20, c21); st(3, c30, c31); st(4, c40, c41); st(5, c50, c51)
    }

    /// Up to 6 rows of a panel into a 6×16 scratch tile (row stride 16).
    private static func tileEdge(_ a: UnsafePointer<Float>, _ lda: Int, _ rows: Int, _ bp: UnsafePointer<Float>, _ k: Int,
                                 _ bias: UnsafePointer<Float>?, _ cols: Int, _ out: UnsafeMutablePointer<Float>) {
        let (bv0, bv1) = biasVectors(bias, cols)
        let rb = UnsafeRawPointer(bp)
        let ro = UnsafeMutableRawPointer(out)
        for r in 0..<rows {
            var c0 = bv0, c1 = bv1
            let ar = a + r * lda
            for kk in 0..<k {
                let x = SIMD8<Float>(repeating: ar[kk])
                c0.addProduct(x, rb.load(fromByteOffset: kk * 64, as: SIMD8<Float>.self))
                c1.addProduct(x, rb.load(fromByteOffset: kk * 64 + 32, as: SIMD8<Float>.self))
            }
            ro.storeBytes(of: c0, toByteOffset: r * 64, as: SIMD8<Float>.self)
            ro.storeBytes(of: c1, toByteOffset: r * 64 + 32, as: SIMD8<Float>.self)
        }
    }
}
