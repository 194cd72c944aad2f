import Foundation
import SwiftletVNNI
import _Builtin_intrinsics.intel

/// The integer-tile family for int8 weights, picked from CPUID: `vpdpbusd` on AVX512-VNNI,
/// `vpmaddubsw` on AVX2. Both compute exact int32 sums, so they agree bit for bit.
public enum Int8ISA: String, Sendable, CaseIterable {
    case vnni
    case avx2

    public static let best: Int8ISA = CPUFeatures.current.avx512VNNI ? .vnni : .avx2
    /// Families this CPU can run (tests exercise each).
    static var available: [Int8ISA] { CPUFeatures.current.avx512VNNI ? [.vnni, .avx2] : [.avx2] }

    /// Rows per A micro-panel (the register tile's height).
    var mr: Int { self == .vnni ? Int8TilesVNNI.mr : Int8TilesAVX2.mr }

    /// Exact int32 sums of rows 0..<rows of one A micro-panel ([k4][mr][4] bytes) against
    /// one 32-column B panel, into c[rows × 32].
    @inline(__always)
    func tile(rows: Int, a: UnsafeRawPointer, b: UnsafeRawPointer, k4: Int, c: UnsafeMutablePointer<Int32>, ldc: Int) {
        switch self {
        case .vnni:
            Int8TilesVNNI.run(rows: rows, a: a, b: b, k4: k4, c: c, ldc: ldc)
        case .avx2:
            Int8TilesAVX2.run(rows: rows, a: a, b: b, k4: k4, c: c, ldc: ldc)
            Int8TilesAVX2.run(rows: rows, a: a, b: b + 64, k4: k4, c: c + 16, ldc: ldc)
        }
    }
}

/// An int8 weight B [K, N] with one float scale per column (symmetric: w = q · scale[j]),
/// packed once at load into 32-column panels of [k/4][32][4] bytes (k zero-padded to a
/// multiple of 4, columns past N zero), the layout both tile families read.
final class Int8PackedMatrix: @unchecked Sendable {
    static let nr = 32
    let k: Int
    let n: Int
    let k4: Int
    let panels: Int
    let data: UnsafeMutablePointer<Int8>
    /// Per column, padded to whole panels: the scale, and Σ_k q (for the VNNI offset).
    let scales: UnsafeMutablePointer<Float>
    let columnSums: UnsafeMutablePointer<Int32>

    /// Packs B[kk][j] = q[kk·n + j] (row-major [K, N], values in -127...127).
    init(_ q: UnsafePointer<Int8>, scales s: UnsafePointer<Float>, k: Int, n: Int, threads: Int = 1) {
        let nr = Int8PackedMatrix.nr
        self.k = k
        self.n = n
        k4 = (k + 3) / 4
        panels = (n + nr - 1) / nr
        let panelBytes = k4 * nr * 4
        data = Storage.alignedAlloc(max(1, panels * panelBytes)).assumingMemoryBound(to: Int8.self)
        scales = Storage.alignedAlloc(max(1, panels * nr) * 4).assumingMemoryBound(to: Float.self)
        columnSums = Storage.alignedAlloc(max(1, panels * nr) * 4).assumingMemoryBound(to: Int32.self)
        scales.initialize(repeating: 0, count: panels * nr)
        columnSums.initialize(repeating: 0, count: panels * nr)
        scales.update(from: s, count: n)
        let data = self.data, sums = columnSums, k4 = self.k4
        parallelChunks(panels, threads: k * n < 1 << 16 ? 1 : threads) { range in
            for p in range {
                let dst = data + p * panelBytes
                dst.initialize(repeating: 0, count: panelBytes)
                for j in 0..<min(nr, n - p * nr) {
                    let col = p * nr + j
                    var sum: Int32 = 0
                    for kk in 0..<k {
                        let v = q[kk * n + col]
                        dst[(kk / 4) * nr * 4 + j * 4 + kk % 4] = v
                        sum += Int32(v)
                    }
                    sums[col] = sum
                }
            }
        }
        _ = k4
    }

    deinit {
        free(data)
        free(scales)
        free(columnSums)
    }

    var byteCount: Int { panels * k4 * Int8PackedMatrix.nr * 4 + panels * Int8PackedMatrix.nr * 8 }
}

/// C[m×n] = dequantize(quantize(A) · B) + bias, then the activation: A's rows are quantized
/// on the fly to int8 with one scale per row (max |a| / 127, round to nearest even), the
/// products summed exactly in int32 by the tiles, and each sum scaled by
/// scale(row) · scale(column) as the tile is stored.
enum Int8Gemm {
    /// Rows of A quantized for `isa` (q + 128 for VNNI) into micro-panels of `isa.mr` rows,
    /// [k4][mr][4] bytes each, and a scale per row. Rows of zeros get scale 0 and q 0.
    static func quantizeRows(_ a: UnsafePointer<Float>, lda: Int, rows: Range<Int>, k: Int, k4: Int, isa: Int8ISA,
                             into q: UnsafeMutablePointer<UInt8>, scales: UnsafeMutablePointer<Float>) {
        let stride = k4 * 4, mr = isa.mr
        let dst = UnsafeMutablePointer<UInt8>.allocate(capacity: stride)
        defer { dst.deallocate() }
        for r in rows {
            quantizeRow(a + r * lda, k: k, stride: stride, isa: isa, into: dst, scale: scales + r)
            // Scatter the row's 4-byte groups into its slot of the micro-panel.
            let panel = UnsafeMutableRawPointer(q + (r / mr) * stride * mr + (r % mr) * 4)
            let src = UnsafeRawPointer(dst)
            for i in 0..<k4 {
                panel.storeBytes(of: src.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self), toByteOffset: i * mr * 4, as: UInt32.self)
            }
        }
    }

    /// One row: q = round(a · 127 / max|a|) in -127...127 (+ 128 for VNNI), zero-padded to
    /// `stride` bytes; the row's scale is max|a| / 127.
    @inline(__always)
    private static func quantizeRow(_ src: UnsafePointer<Float>, k: Int, stride: Int, isa: Int8ISA,
                                    into dst: UnsafeMutablePointer<UInt8>, scale: UnsafeMutablePointer<Float>) {
        let bias: UInt8 = isa == .vnni ? 128 : 0
        do {
            // max |a| and a NaN detector (0 · a is NaN once any a is NaN or infinite).
            let absMask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFF_FFFF)), zero = _mm256_setzero_ps()
            var amax0 = zero, amax1 = zero, poison = zero
            var j = 0
            while j + 16 <= k {
                let v0 = _mm256_loadu_ps(src + j), v1 = _mm256_loadu_ps(src + j + 8)
                amax0 = _mm256_max_ps(amax0, _mm256_and_ps(v0, absMask))
                amax1 = _mm256_max_ps(amax1, _mm256_and_ps(v1, absMask))
                poison = _mm256_add_ps(poison, _mm256_add_ps(_mm256_mul_ps(v0, zero), _mm256_mul_ps(v1, zero)))
                j += 16
            }
            let lanes = unsafeBitCast(_mm256_max_ps(amax0, amax1), to: SIMD8<Float>.self)
            var m = lanes.max(), tail = unsafeBitCast(poison, to: SIMD8<Float>.self).sum()
            while j < k { m = max(m, abs(src[j])); tail += src[j] * 0; j += 1 }
            if tail.isNaN { m = .nan }
            let inv = 127 / m
            guard m.isFinite && m > 0 && inv.isFinite else {
                // Zeros (or values too small to scale) give zeros; a NaN or infinity makes the
                // whole row NaN, as the float GEMM would (NaN scale with q 0: no
                // float-to-int conversion of a NaN, which would trap).
                scale.pointee = m.isFinite ? 0 : .nan
                dst.initialize(repeating: bias, count: stride)
                return
            }
            scale.pointee = m / 127
            // 32 at a time: scale, convert (round to nearest even, the MXCSR default),
            // narrow with saturation (the values already lie in -127...127), undo the
            // lane interleave of the two packs, and shift to unsigned for VNNI.
            let vinv = _mm256_set1_ps(inv), lo = _mm256_set1_epi8(-127), flip = _mm256_set1_epi8(Int8(bitPattern: bias))
            let order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)
            j = 0
            while j + 32 <= k {
                let p = src + j
                let i0 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(p), vinv))
                let i1 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(p + 8), vinv))
                let i2 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(p + 16), vinv))
                let i3 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(p + 24), vinv))
                let b8 = _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3))
                let v = _mm256_xor_si256(_mm256_max_epi8(_mm256_permutevar8x32_epi32(b8, order), lo), flip)
                _mm256_storeu_si256(UnsafeMutableRawPointer(dst + j).assumingMemoryBound(to: __m256i.self), v)
                j += 32
            }
            while j < k {
                let v = Int8(max(-127, min(127, (src[j] * inv).rounded(.toNearestOrEven))))
                dst[j] = UInt8(bitPattern: v) &+ bias
                j += 1
            }
            // Padding: any value times the zero-padded weights adds nothing.
            while j < stride { dst[j] = bias; j += 1 }
        }
    }

    static func gemm(m: Int, a: UnsafePointer<Float>, lda: Int, b: Int8PackedMatrix, c: UnsafeMutablePointer<Float>, ldc: Int,
                     bias: UnsafePointer<Float>? = nil, act: Activation = .none, threads: Int, isa: Int8ISA = .best) {
        let n = b.n, k = b.k, k4 = b.k4, nr = Int8PackedMatrix.nr, mr = isa.mr
        if m == 0 || n == 0 { return }
        let stride = k4 * 4, micro = (m + mr - 1) / mr
        let q = Storage.alignedAlloc(max(1, micro * mr * stride)).assumingMemoryBound(to: UInt8.self)
        let rowScales = Storage.alignedAlloc(max(1, m) * 4).assumingMemoryBound(to: Float.self)
        defer { free(q); free(rowScales) }
        let t = m * n * k < 1 << 16 ? 1 : threads
        parallelChunks(m, threads: t, minChunk: 8) { rows in
            quantizeRows(a, lda: lda, rows: rows, k: k, k4: k4, isa: isa, into: q, scales: rowScales)
        }
        // Work items: (row block, panel), panel-major so a thread's run of items reuses
        // one panel from cache; row blocks small enough that every thread gets work.
        let rowBlock = max(mr, min(((m + mr - 1) / mr) * mr, 16 * mr))
        let rowBlocks = (m + rowBlock - 1) / rowBlock
        let offsetScale: Int32 = isa == .vnni ? 128 : 0
        parallelChunks(rowBlocks * b.panels, threads: t) { items in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: mr * nr) { tileBuf in
                let acc = tileBuf.baseAddress!
                for item in items {
                    let p = item / rowBlocks, rb = item % rowBlocks
                    let i0 = rb * rowBlock, i1 = min(m, i0 + rowBlock)
                    let bp = UnsafeRawPointer(b.data + p * k4 * nr * 4)
                    let cols = min(nr, n - p * nr), col0 = p * nr
                    var r = i0
                    while r < i1 {
                        let h = min(mr, i1 - r)
                        isa.tile(rows: h, a: UnsafeRawPointer(q + r * stride), b: bp, k4: k4, c: acc, ldc: nr)
                        for rr in 0..<h {
                            store(acc + rr * nr, rowScale: rowScales[r + rr], b: b, col0: col0, cols: cols,
                                  offset: offsetScale, bias: bias, into: c + (r + rr) * ldc + col0)
                            if act != .none { Epilogue(act: act).biasActivate(c + (r + rr) * ldc + col0, cols, bias: 0) }
                        }
                        r += h
                    }
                }
            }
        }
    }

    /// One row of a tile: (sum − offset·colsum) · rowScale · colScale + bias.
    @inline(__always)
    private static func store(_ acc: UnsafeMutablePointer<Int32>, rowScale: Float, b: Int8PackedMatrix, col0: Int, cols: Int,
                              offset: Int32, bias: UnsafePointer<Float>?, into out: UnsafeMutablePointer<Float>) {
        let sums = b.columnSums + col0, scales = b.scales + col0
        if cols == 32 {
            for h in stride(from: 0, to: 32, by: 16) {
                let s = UnsafeRawPointer(acc + h).loadUnaligned(as: SIMD16<Int32>.self)
                    &- UnsafeRawPointer(sums + h).loadUnaligned(as: SIMD16<Int32>.self) &* offset
                var v = SIMD16<Float>(s) * (UnsafeRawPointer(scales + h).loadUnaligned(as: SIMD16<Float>.self) * rowScale)
                if let bias { v += UnsafeRawPointer(bias + col0 + h).loadUnaligned(as: SIMD16<Float>.self) }
                UnsafeMutableRawPointer(out + h).storeBytes(of: v, as: SIMD16<Float>.self)
            }
        } else {
            for j in 0..<cols {
                out[j] = Float(acc[j] &- sums[j] &* offset) * (scales[j] * rowScale) + (bias?[col0 + j] ?? 0)
            }
        }
    }
}
