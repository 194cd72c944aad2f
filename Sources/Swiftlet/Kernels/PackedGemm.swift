#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// A right-hand matrix B [K, N] packed into column panels of the register tile's width:
/// panel p holds rows 0..<K of columns p·nr ..< p·nr + nr contiguously (zero past N).
/// Constant weights are packed once, at load; BLAS repacks them on every call, which is
/// most of the cost of a small batch.
final class PackedMatrix: @unchecked Sendable {
    let isa: GemmISA
    let k: Int
    let n: Int
    let panels: Int
    let data: UnsafeMutablePointer<Float>

    /// Packs B[kk][j] = src[kk·ldb + j], or src[j·ldb + kk] when `transposed`.
    init(_ src: UnsafePointer<Float>, k: Int, n: Int, ldb: Int? = nil, transposed: Bool = false,
         isa: GemmISA = .best, threads: Int = 1) {
        self.isa = isa
        self.k = k
        self.n = n
        let nr = isa.nr
        panels = (n + nr - 1) / nr
        data = Storage.alignedAlloc(max(1, panels * k * nr) * 4).assumingMemoryBound(to: Float.self)
        let ld = ldb ?? (transposed ? k : n), data = self.data, panels = self.panels
        parallelChunks(panels, threads: k * n < 1 << 16 ? 1 : threads) { range in
            for p in range {
                let cols = min(nr, n - p * nr), dst = data + p * k * nr
                if transposed {
                    for j in 0..<cols {
                        let s = src + (p * nr + j) * ld
                        for kk in 0..<k { dst[kk * nr + j] = s[kk] }
                    }
                    if cols < nr { for kk in 0..<k { (dst + kk * nr + cols).update(repeating: 0, count: nr - cols) } }
                } else {
                    for kk in 0..<k {
                        (dst + kk * nr).update(from: src + kk * ld + p * nr, count: cols)
                        if cols < nr { (dst + kk * nr + cols).update(repeating: 0, count: nr - cols) }
                    }
                }
            }
        }
    }

    deinit { free(data) }
}

/// Swiftlet's own single-precision GEMM on a packed B: C[m×n] = alpha·op(A)·B + bias
/// (+ C when accumulating), then an activation, written while the tile is still in L1.
/// A is copied block by block into the tile's interleaved layout (each block sized to stay
/// in L2 while every B panel of the tile streams past it); work is split over threads by
/// (row block × panel group).
enum PackedGemm {
    /// Floats of A per packed block (192 KiB: in L2 beside the B panel being streamed).
    static let blockFloats = 49_152

    static func gemm(m: Int, a: UnsafePointer<Float>, lda: Int, transA: Bool = false, b: PackedMatrix,
                     c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, accumulate: Bool = false,
                     bias: UnsafePointer<Float>? = nil, act: Activation = .none, threads: Int) {
        let isa = b.isa, mr = isa.mr, nr = isa.nr, k = b.k, n = b.n
        if m == 0 || n == 0 { return }
        if k == 0 {
            // Nothing to multiply: the product is 0.
            for i in 0..<m {
                let row = c + i * ldc
                for j in 0..<n { row[j] = (accumulate ? row[j] : 0) + (bias?[j] ?? 0) }
                Epilogue(act: act).biasActivate(row, n, bias: 0)
            }
            return
        }
        // Row blocks as even as the L2 budget allows (no 8-row straggler after a full block).
        let mcMax = max(mr, blockFloats / k / mr * mr)
        let rowBlocks = (m + mcMax - 1) / mcMax
        let mc = ((m + rowBlocks - 1) / rowBlocks + mr - 1) / mr * mr
        let t = m * n * k < 1 << 17 ? 1 : threads
        // Few row blocks (a short batch): split the panels too, so every thread has work.
        // Tiles run panel-group-major, so each thread's contiguous chunk covers whole groups.
        let groups = rowBlocks >= 4 * t ? 1 : min(b.panels, t)
        let perGroup = (b.panels + groups - 1) / groups
        // With panel groups, several threads read the same rows of A: pack all of A once,
        // shared, split by micro-panels (it is small then: under 4·threads blocks).
        let micro = (m + mr - 1) / mr
        let shared: UnsafeMutablePointer<Float>? = groups > 1 ? Storage.alignedAlloc(micro * mr * k * 4).assumingMemoryBound(to: Float.self) : nil
        defer { shared.map { free($0) } }
        if let shared {
            parallelChunks(micro, threads: t) { r in
                packA(a, lda: lda, transA: transA, rows: (r.lowerBound * mr)..<min(m, r.upperBound * mr), k: k, mr: mr,
                      into: shared + r.lowerBound * mr * k)
            }
        }
        parallelChunks(rowBlocks * groups, threads: t) { range in
            let own: UnsafeMutablePointer<Float>? = shared == nil ? Storage.alignedAlloc(mc * k * 4).assumingMemoryBound(to: Float.self) : nil
            let edge = Storage.alignedAlloc((mr + 1) * nr * 4).assumingMemoryBound(to: Float.self)
            defer { own.map { free($0) }; free(edge) }
            let edgeBias = edge + mr * nr
            var packedBlock = -1
            for tile in range {
                let rb = tile % rowBlocks, g = tile / rowBlocks
                let i0 = rb * mc, rows = min(m, i0 + mc) - i0
                let apack: UnsafeMutablePointer<Float>
                if let shared {
                    apack = shared + i0 * k
                } else {
                    apack = own!
                    if packedBlock != rb {
                        packA(a, lda: lda, transA: transA, rows: i0..<(i0 + rows), k: k, mr: mr, into: apack)
                        packedBlock = rb
                    }
                }
                for p in (g * perGroup)..<min(b.panels, (g + 1) * perGroup) {
                    let cols = min(nr, n - p * nr), bp = b.data + p * k * nr
                    var biasP = bias.map { $0 + p * nr }
                    if cols < nr, let bias {
                        edgeBias.update(from: bias + p * nr, count: cols)
                        (edgeBias + cols).update(repeating: 0, count: nr - cols)
                        biasP = UnsafePointer(edgeBias)
                    }
                    var r = 0
                    while r < rows {
                        let h = min(mr, rows - r)
                        let ap = apack + (r / mr) * k * mr
                        let cp = c + (i0 + r) * ldc + p * nr
                        if cols == nr {
                            isa.tile(rows: h, a: ap, b: bp, k: k, c: cp, ldc: ldc, alpha: alpha, bias: biasP, accumulate: accumulate)
                        } else {
                            // Last, partial panel: run the full tile on a scratch copy.
                            if accumulate { for q in 0..<h { (edge + q * nr).update(from: cp + q * ldc, count: cols) } }
                            isa.tile(rows: h, a: ap, b: bp, k: k, c: edge, ldc: nr, alpha: alpha, bias: biasP, accumulate: accumulate)
                            for q in 0..<h { (cp + q * ldc).update(from: edge + q * nr, count: cols) }
                        }
                        if act != .none {
                            let e = Epilogue(act: act)
                            for q in 0..<h { e.biasActivate(cp + q * ldc, cols, bias: 0) }
                        }
                        r += h
                    }
                }
            }
        }
    }

    /// Rows of op(A) into [micro-panel][k][mr] order: the tile then reads one broadcast
    /// per row and k from a single stream.
    @inline(__always)
    static func packA(_ a: UnsafePointer<Float>, lda: Int, transA: Bool, rows: Range<Int>, k: Int, mr: Int,
                      into dst: UnsafeMutablePointer<Float>) {
        // Pointer steps and eight values per load: the indexed scalar loop spent most of its
        // time on checked `kk · mr` products (a tenth of an e5 batch-1 run on 1 thread).
        var q0 = 0
        let count = rows.count
        while q0 < count {
            let h = min(mr, count - q0), i0 = rows.lowerBound + q0
            let panel = dst + (q0 / mr) * k * mr
            if transA {
                // Column kk of op(A) is row kk of A: h contiguous floats per k.
                var s = a + i0, d = panel
                for _ in 0..<k {
                    for q in 0..<h { d[q] = s[q] }
                    s += lda
                    d += mr
                }
            } else {
                for q in 0..<h { scatter(a + (i0 + q) * lda, count: k, to: panel + q, stride: mr) }
            }
            q0 += mr
        }
    }

    /// dst[j · stride] = src[j] for j in 0..<count.
    @inline(__always)
    static func scatter(_ src: UnsafePointer<Float>, count: Int, to dst: UnsafeMutablePointer<Float>, stride: Int) {
        let s1 = stride, s2 = 2 * stride, s3 = 3 * stride, s4 = 4 * stride
        let s5 = 5 * stride, s6 = 6 * stride, s7 = 7 * stride, s8 = 8 * stride
        var d = dst, j = 0
        while j + 8 <= count {
            let v = loadFloats(src + j)
            d[0] = v[0]; d[s1] = v[1]; d[s2] = v[2]; d[s3] = v[3]
            d[s4] = v[4]; d[s5] = v[5]; d[s6] = v[6]; d[s7] = v[7]
            d += s8
            j += 8
        }
        while j < count {
            d.pointee = src[j]
            d += s1
            j += 1
        }
    }
}
