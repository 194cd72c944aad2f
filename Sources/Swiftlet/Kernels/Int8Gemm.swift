#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SwiftletAVX512
import SwiftletVNNI
import _Builtin_intrinsics.intel

/// The integer-tile family for int8 weights, picked from CPUID: `vpdpbusd` on AVX512-VNNI,
/// `vpmaddubsw` on AVX2. Both compute exact int32 sums, so they agree bit for bit.
public enum Int8ISA: String, Sendable, CaseIterable {
    case vnni
    case avx2

    /// The family the int8 MatMuls of this process use.
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

/// An int8 weight B [K, N], packed once at load into 32-column panels of [k/4][32][4]
/// bytes (k zero-padded to a multiple of 4, columns past N zero), the layout both tile
/// families read. Two kinds of scales:
/// - per column (the int8 encoding: w = q · scale[j]), K summed in blocks of 128;
/// - per column and 32-k block (Q8_0/Q4_0: w = q · d[block][j]), K summed in blocks of 32.
final class Int8PackedMatrix: @unchecked Sendable {
    static let nr = 32
    let k: Int
    let n: Int
    let k4: Int
    let panels: Int
    /// K per exact int32 partial sum: each is scaled by its activation scale (and, for
    /// block formats, its weight scale) before it is added in float.
    let blockK: Int
    /// K blocks of `blockK` (the last one shorter when k is not a multiple).
    let blocks: Int
    let data: UnsafeMutablePointer<Int8>
    /// Per column, padded to whole panels (all 1 for block formats).
    let scales: UnsafeMutablePointer<Float>
    /// [blocks][panels · 32]: the weight scale of each column in each K block; ones for
    /// per-column weights (so one scaled tile serves both).
    let blockScales: UnsafeMutablePointer<Float>
    /// Whether `blockScales` holds real per-block weight scales.
    let hasBlockScales: Bool
    /// 128 · Σ q over each K block, per column ([blocks][panels · 32]): what VNNI's
    /// unsigned A (q + 128) adds to a block's sum.
    let vnniOffsets: UnsafeMutablePointer<Int32>
    /// 32 zeros: the AVX2 tiles need no offset.
    let noOffsets: UnsafeMutablePointer<Int32>

    var width: Int { panels * Int8PackedMatrix.nr }

    private init(k: Int, n: Int, blockK: Int, hasBlockScales: Bool) {
        let nr = Int8PackedMatrix.nr
        self.k = k
        self.n = n
        k4 = (k + 3) / 4
        panels = (n + nr - 1) / nr
        self.blockK = blockK
        self.hasBlockScales = hasBlockScales
        blocks = max(1, (k + blockK - 1) / blockK)
        let width = panels * nr
        data = Storage.alignedAlloc(max(1, panels * k4 * nr * 4)).assumingMemoryBound(to: Int8.self)
        scales = Storage.alignedAlloc(max(1, width) * 4).assumingMemoryBound(to: Float.self)
        blockScales = Storage.alignedAlloc(max(1, blocks * width) * 4).assumingMemoryBound(to: Float.self)
        vnniOffsets = Storage.alignedAlloc(max(1, blocks * width) * 4).assumingMemoryBound(to: Int32.self)
        noOffsets = Storage.alignedAlloc(nr * 4).assumingMemoryBound(to: Int32.self)
        scales.initialize(repeating: hasBlockScales ? 1 : 0, count: width)
        blockScales.initialize(repeating: hasBlockScales ? 0 : 1, count: blocks * width)
        vnniOffsets.initialize(repeating: 0, count: blocks * width)
        noOffsets.initialize(repeating: 0, count: nr)
    }

    /// Fills each panel from `value(kk, col)`, accumulating the VNNI offsets.
    private func pack(threads: Int, _ value: (Int, Int) -> Int8) {
        let nr = Int8PackedMatrix.nr, panelBytes = k4 * nr * 4, width = self.width
        let data = self.data, offsets = vnniOffsets, k = self.k, n = self.n, blockK = self.blockK
        parallelChunks(panels, threads: k * n < 1 << 16 ? 1 : threads) { range in
            for p in range {
                let dst = data + p * panelBytes
                dst.initialize(repeating: 0, count: panelBytes)
                for j in 0..<min(nr, n - p * nr) {
                    let col = p * nr + j
                    for kk in 0..<k {
                        let v = value(kk, col)
                        dst[(kk / 4) * nr * 4 + j * 4 + kk % 4] = v
                        offsets[(kk / blockK) * width + col] += 128 * Int32(v)
                    }
                }
            }
        }
    }

    /// Per-column int8: B[kk][j] = q[kk·n + j] (row-major [K, N], values in -127...127;
    /// `checked` throws on -128, which the AVX2 tiles' sign trick cannot take).
    convenience init(_ q: UnsafePointer<Int8>, scales s: UnsafePointer<Float>, k: Int, n: Int, threads: Int = 1,
                     checked: Bool) throws {
        if let i = (0..<(k * n)).first(where: { q[$0] == -128 }) {
            throw SwiftletError.invalidModel("int8 weight holds -128 at element \(i); values must lie in -127...127")
        }
        self.init(q, scales: s, k: k, n: n, threads: threads)
    }

    /// Per-column int8 of values known to lie in -127...127 (tests, benchmarks).
    convenience init(_ q: UnsafePointer<Int8>, scales s: UnsafePointer<Float>, k: Int, n: Int, threads: Int = 1) {
        self.init(k: k, n: n, blockK: Int8Gemm.blockK, hasBlockScales: false)
        scales.update(from: s, count: n)
        pack(threads: threads) { kk, col in q[kk * n + col] }
    }

    /// Q8_0/Q4_0 blocks along K as the file stores them: for each column, its K/32 blocks
    /// in order (fp16 d, then 32 int8 or 16 bytes of nibble pairs). Q4_0 nibbles become
    /// q − 8 in -8...7. Throws on a Q8_0 value of -128 (the AVX2 tiles' sign trick needs
    /// |q| ≤ 127; the reference quantizer never writes it).
    convenience init(blocks raw: UnsafeRawPointer, q4: Bool, k: Int, n: Int, threads: Int = 1) throws {
        let bs = EncodedTensor.blockSize
        precondition(k % bs == 0, "block formats need k to be a multiple of 32")
        self.init(k: k, n: n, blockK: bs, hasBlockScales: true)
        let perColumn = k / bs, blockBytes = q4 ? 18 : 34, width = self.width
        for col in 0..<n {
            for b in 0..<perColumn {
                let p = raw + (col * perColumn + b) * blockBytes
                blockScales[b * width + col] = Float(Float16(bitPattern: p.loadUnaligned(as: UInt16.self).littleEndian))
                if !q4, let i = (0..<bs).first(where: { p.load(fromByteOffset: 2 + $0, as: Int8.self) == -128 }) {
                    throw SwiftletError.invalidModel("Q8_0 block \(b) of column \(col) holds -128 at \(i); values must lie in -127...127")
                }
            }
        }
        pack(threads: threads) { kk, col in
            let p = raw + (col * perColumn + kk / bs) * blockBytes + 2, e = kk % bs
            if !q4 { return p.load(fromByteOffset: e, as: Int8.self) }
            let byte = p.load(fromByteOffset: e % 16, as: UInt8.self)
            return Int8(Int(e < 16 ? byte & 0x0F : byte >> 4) - 8)
        }
    }

    deinit {
        free(data)
        free(scales)
        free(blockScales)
        free(vnniOffsets)
        free(noOffsets)
    }
}

/// C[m×n] = dequantize(quantize(A · diag(inputScale)) · B) + bias, then the activation.
///
/// A's rows are quantized on the fly to int8 with one scale per block of `blockK` k
/// (max |a| / 127 over the block, round to nearest even): one scale per whole row lets an
/// outlier channel (BERT has a few) flatten every other value of the token to a handful
/// of levels, which cost all-MiniLM-L6-v2 up to 2% cosine; per-block scales keep the rest
/// of the row fine. The tiles sum each block exactly in int32; the block sums are scaled
/// and added in float32, then multiplied by the column's scale as the tile is stored.
/// `inputScale` (per k) is the SmoothQuant factor a converter may put before a MatMul
/// (a Mul by a constant vector), applied while quantizing instead of as a separate pass.
enum Int8Gemm {
    /// K per activation scale: 32 tile steps of 4.
    static let blockK = 128

    /// Rows of A quantized for `isa` (q + 128 for VNNI) into micro-panels of `isa.mr` rows,
    /// [k4][mr][4] bytes each, and a scale per row and K block ([rows][blocks]).
    static func quantizeRows(_ a: UnsafePointer<Float>, lda: Int, rows: Range<Int>, k: Int, k4: Int, isa: Int8ISA,
                             blockK: Int = Int8Gemm.blockK, inputScale: UnsafePointer<Float>? = nil,
                             into q: UnsafeMutablePointer<UInt8>, scales: UnsafeMutablePointer<Float>) {
        let stride = k4 * 4, mr = isa.mr, blocks = max(1, (k + blockK - 1) / blockK)
        let dst = UnsafeMutablePointer<UInt8>.allocate(capacity: stride)
        let scaled: UnsafeMutablePointer<Float>? = inputScale == nil ? nil : .allocate(capacity: max(1, k))
        defer { dst.deallocate(); scaled?.deallocate() }
        for r in rows {
            var src = a + r * lda
            if let scaled, let inputScale {
                var j = 0
                while j + 8 <= k {
                    _mm256_storeu_ps(scaled + j, _mm256_mul_ps(_mm256_loadu_ps(src + j), _mm256_loadu_ps(inputScale + j)))
                    j += 8
                }
                while j < k { scaled[j] = src[j] * inputScale[j]; j += 1 }
                src = UnsafePointer(scaled)
            }
            for b in 0..<blocks {
                let lo = b * blockK, hi = min(k, lo + blockK)
                quantizeSpan(src + lo, count: hi - lo, isa: isa, into: dst + lo, scale: scales + r * blocks + b)
            }
            // Padding: any value times the zero-padded weights adds nothing.
            dst.advanced(by: k).initialize(repeating: isa == .vnni ? 128 : 0, count: stride - k)
            // Scatter the row's 4-byte groups into its slot of the micro-panel.
            // (Pointer steps, not i · mr · 4 offsets: their overflow checks were half this loop.)
            var to = UnsafeMutableRawPointer(q + (r / mr) * stride * mr + (r % mr) * 4)
            var from = UnsafeRawPointer(dst)
            let end = from + 4 * k4, step = mr * 4
            while from < end {
                to.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
                from += 4
                to += step
            }
        }
    }

    /// q = round(a · 127 / max|a|) in -127...127 (+ 128 for VNNI) over `count` values; the
    /// span's scale is max|a| / 127.
    @inline(__always)
    private static func quantizeSpan(_ src: UnsafePointer<Float>, count k: Int, isa: Int8ISA,
                                     into dst: UnsafeMutablePointer<UInt8>, scale: UnsafeMutablePointer<Float>) {
        let bias: UInt8 = isa == .vnni ? 128 : 0
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
        // Horizontal max by shuffles: SIMD8's generic max() was a call (once per row and K
        // block: with sum(), 3% of an int8 MiniLM run). `poison`'s lanes are ±0 unless a NaN
        // arrived, so any bit besides the sign means one did.
        var m = horizontalMax(_mm256_max_ps(amax0, amax1))
        var sawNaN = _mm256_testz_si256(_mm256_castps_si256(poison), _mm256_castps_si256(absMask)) == 0
        while j < k { m = max(m, abs(src[j])); if (src[j] * 0).isNaN { sawNaN = true }; j += 1 }
        if sawNaN { m = .nan }
        let inv = 127 / m
        guard m.isFinite && m > 0 && inv.isFinite else {
            // Zeros (or values too small to scale) give zeros; a NaN or infinity makes the
            // row NaN, as the float GEMM would (NaN scale with q 0: no float-to-int
            // conversion of a NaN, which would trap).
            scale.pointee = m.isFinite ? 0 : .nan
            dst.initialize(repeating: bias, count: k)
            return
        }
        scale.pointee = m / 127
        // 32 at a time: scale, convert (round to nearest even, the MXCSR default), narrow
        // with saturation (the values already lie in -127...127), undo the lane interleave
        // of the two packs, and shift to unsigned for VNNI.
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
    }

    // Lane permutations (immediate-operand shuffles are C macros Swift cannot import).
    private static let swapHalves = _mm256_setr_epi32(4, 5, 6, 7, 0, 1, 2, 3)
    private static let swapPairs = _mm256_setr_epi32(2, 3, 0, 1, 6, 7, 4, 5)
    private static let swapLanes = _mm256_setr_epi32(1, 0, 3, 2, 5, 4, 7, 6)

    @inline(__always)
    private static func horizontalMax(_ v: __m256) -> Float {
        var x = _mm256_max_ps(v, _mm256_permutevar8x32_ps(v, swapHalves))
        x = _mm256_max_ps(x, _mm256_permutevar8x32_ps(x, swapPairs))
        x = _mm256_max_ps(x, _mm256_permutevar8x32_ps(x, swapLanes))
        return _mm256_cvtss_f32(x)
    }

    static func gemm(m: Int, a: UnsafePointer<Float>, lda: Int, b: Int8PackedMatrix, c: UnsafeMutablePointer<Float>, ldc: Int,
                     bias: UnsafePointer<Float>? = nil, act: Activation = .none, inputScale: UnsafePointer<Float>? = nil,
                     threads: Int, isa: Int8ISA = .best) {
        let n = b.n, k = b.k, k4 = b.k4, nr = Int8PackedMatrix.nr, mr = isa.mr, blocks = b.blocks
        if m == 0 || n == 0 { return }
        let stride = k4 * 4, micro = (m + mr - 1) / mr
        let q = Storage.alignedAlloc(max(1, micro * mr * stride)).assumingMemoryBound(to: UInt8.self)
        let rowScales = Storage.alignedAlloc(max(1, m * blocks) * 4).assumingMemoryBound(to: Float.self)
        defer { free(q); free(rowScales) }
        let t = m * n * k < 1 << 16 ? 1 : threads
        parallelChunks(m, threads: t, minChunk: 8) { rows in
            quantizeRows(a, lda: lda, rows: rows, k: k, k4: k4, isa: isa, blockK: b.blockK, inputScale: inputScale,
                         into: q, scales: rowScales)
        }
        // Work items: (row block, panel), panel-major so a thread's run of items reuses
        // one panel from cache; row blocks small enough that every thread gets work.
        let rowBlock = max(mr, min(((m + mr - 1) / mr) * mr, 16 * mr))
        let rowBlocks = (m + rowBlock - 1) / rowBlock
        let width = b.width, stepsPerBlock = b.blockK / 4
        // GELU (BERT's FFN) fused into the store where AVX-512 has the 16-lane GELU: storing,
        // then reading the row back for the activation, stalls Intel cores (Gelu512.scaleBiasMap).
        let geluInStore = act == .gelu && CPUFeatures.current.avx512
        parallelChunks(rowBlocks * b.panels, threads: t) { items in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: mr * nr) { sumsBuf in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: mr * nr) { accBuf in
                let sums = sumsBuf.baseAddress!, acc = accBuf.baseAddress!
                for item in items {
                    let p = item / rowBlocks, rb = item % rowBlocks
                    let i0 = rb * rowBlock, i1 = min(m, i0 + rowBlock)
                    let bp = UnsafeRawPointer(b.data + p * k4 * nr * 4)
                    let cols = min(nr, n - p * nr), col0 = p * nr
                    var r = i0
                    while r < i1 {
                        let h = min(mr, i1 - r)
                        if isa == .vnni {
                            // Block sums folded into float inside the registers.
                            Int8TilesVNNI.runScaled(rows: h, a: UnsafeRawPointer(q + r * stride), b: bp, k4: k4,
                                                    stepsPerBlock: stepsPerBlock, rowScales: rowScales + r * blocks, rowStride: blocks,
                                                    offsets: b.vnniOffsets + col0, offsetStride: width,
                                                    colScales: b.blockScales + col0, colStride: width, acc: acc, ldc: nr)
                        } else {
                            acc.initialize(repeating: 0, count: h * nr)
                            for blk in 0..<blocks {
                                let s0 = blk * stepsPerBlock, steps = min(stepsPerBlock, k4 - s0)
                                isa.tile(rows: h, a: UnsafeRawPointer(q + r * stride + s0 * mr * 4), b: bp + s0 * nr * 4,
                                         k4: steps, c: sums, ldc: nr)
                                let colScales = b.blockScales + blk * width + col0
                                for rr in 0..<h {
                                    addBlock(sums + rr * nr, b.noOffsets, rowScales[(r + rr) * blocks + blk], colScales, acc + rr * nr)
                                }
                            }
                        }
                        for rr in 0..<h {
                            let out = c + (r + rr) * ldc + col0
                            if geluInStore {
                                Gelu512.scaleBiasMap(acc + rr * nr, scales: b.scales + col0, bias: bias.map { $0 + col0 }, out, cols)
                                continue
                            }
                            store(acc + rr * nr, b: b, col0: col0, cols: cols, bias: bias, into: out)
                            if act != .none { Epilogue(act: act).biasActivate(out, cols, bias: 0) }
                        }
                        r += h
                    }
                }
            }
            }
        }
    }

    /// acc[0..<32] += Float(sums − offsets) · (rowScale · colScales[j]) (fused multiply-add),
    /// the same arithmetic as the VNNI scaled tiles.
    @inline(__always)
    private static func addBlock(_ sums: UnsafePointer<Int32>, _ off: UnsafePointer<Int32>, _ rowScale: Float,
                                 _ colScales: UnsafePointer<Float>, _ acc: UnsafeMutablePointer<Float>) {
        let rs = _mm256_set1_ps(rowScale)
        for c in stride(from: 0, to: 32, by: 8) {
            let s = _mm256_sub_epi32(_mm256_loadu_si256(UnsafeRawPointer(sums + c).assumingMemoryBound(to: __m256i.self)),
                                     _mm256_loadu_si256(UnsafeRawPointer(off + c).assumingMemoryBound(to: __m256i.self)))
            let sc = _mm256_mul_ps(rs, _mm256_loadu_ps(colScales + c))
            _mm256_storeu_ps(acc + c, _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), sc, _mm256_loadu_ps(acc + c)))
        }
    }

    /// One row of a tile: acc · colScale + bias.
    @inline(__always)
    private static func store(_ acc: UnsafePointer<Float>, b: Int8PackedMatrix, col0: Int, cols: Int,
                              bias: UnsafePointer<Float>?, into out: UnsafeMutablePointer<Float>) {
        let scales = b.scales + col0
        if cols == 32 {
            for h in stride(from: 0, to: 32, by: 8) {
                var v = _mm256_mul_ps(_mm256_loadu_ps(acc + h), _mm256_loadu_ps(scales + h))
                if let bias { v = _mm256_add_ps(v, _mm256_loadu_ps(bias + col0 + h)) }
                _mm256_storeu_ps(out + h, v)
            }
        } else {
            // Multiply, then add the bias if any: the roundings of the 8-lane path above (and of
            // Gelu512.scaleBiasMap), with no + 0 turning a -0 into +0.
            for j in 0..<cols {
                let v = acc[j] * scales[j]
                out[j] = bias.map { v + $0[col0 + j] } ?? v
            }
        }
    }
}
