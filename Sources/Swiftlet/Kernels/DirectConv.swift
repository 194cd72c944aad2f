#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Convolution as an implicit GEMM: y[oc][pixel] = Σ_t W[oc][t] · B[t][pixel] over the taps
/// t = (c, ki, kj), without ever writing B (the im2col matrix). Output rows are computed in
/// bands; each band first copies the input rows it reads into a zero-padded scratch split
/// into `sW` column phases (phase p holds padded columns p, p+sW, …), so the 16 pixels a
/// tile needs under one tap are contiguous whatever the stride, and tap t is just a fixed
/// offset into the band. A 6×16 register tile (12 AVX2 accumulators) broadcasts 6 weights
/// and loads 16 pixels per tap.
///
/// Why not im2col + BLAS: for the DB-head convs (96→24 channels, 3×3, 160×160) im2col
/// writes 9× the input, and OpenBLAS then copies that matrix again into its own panel
/// layout; both passes cost as much as the arithmetic. Here the only copy is the band
/// (≈ input size), and it stays in L2 while every output channel block reads it.
enum DirectConv {
    static let mr = ConvTile.mr
    /// Scratch budget per thread for one band of input rows (fits L2 next to the weights).
    static let bandBytes = 384 << 10

    /// Geometry of the band scratch shared by every band of one convolution.
    struct Plan {
        let g: Window2D
        let channels: Int
        /// Floats per phase row: the widest tile start plus the furthest tap.
        let phaseWidth: Int
        let rowStride: Int
        /// Output rows per band and input rows the band holds.
        let bandOut: Int
        let bandIn: Int
        var channelStride: Int { bandIn * rowStride }
        var scratchCount: Int { channels * channelStride }

        init(_ g: Window2D, channels: Int, threads: Int) {
            self.g = g
            self.channels = channels
            phaseWidth = (g.outW + 15) / 16 * 16 + (g.kW - 1) * g.dW / g.sW
            rowStride = g.sW * phaseWidth
            let perRow = channels * rowStride * 4
            func rowsIn(_ r: Int) -> Int { (r - 1) * g.sH + (g.kH - 1) * g.dH + 1 }
            // As many output rows as the budget allows, but at least one band per thread.
            var r = max(1, (g.outH + threads - 1) / threads)
            while r > 1 && rowsIn(r) * perRow > DirectConv.bandBytes { r -= 1 }
            bandOut = r
            bandIn = rowsIn(r)
        }

        /// Scratch offset of tap t = (c·kH + ki)·kW + kj relative to a tile's first pixel.
        func tapOffsets() -> [Int] {
            var offs = [Int](repeating: 0, count: channels * g.kH * g.kW)
            for c in 0..<channels {
                for ki in 0..<g.kH {
                    for kj in 0..<g.kW {
                        let col = kj * g.dW
                        offs[(c * g.kH + ki) * g.kW + kj] = c * channelStride + ki * g.dH * rowStride + (col % g.sW) * phaseWidth + col / g.sW
                    }
                }
            }
            return offs
        }
    }

    /// Output rows [oh0, oh1) of all m channels. `x` points at the group's first input
    /// channel plane, `y` at its first output plane; `wp` is `packWeights` output, `bias`
    /// has m values (or nil); `scratch` holds `plan.scratchCount` floats.
    static func band(_ x: UnsafePointer<Float>, _ plan: Plan, rows oh0: Int, _ oh1: Int,
                     wp: UnsafePointer<Float>, m: Int, offs: UnsafePointer<Int>,
                     bias: UnsafePointer<Float>?, _ act: Epilogue,
                     y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let g = plan.g
        let k = plan.channels * g.kH * g.kW
        fill(x, plan, firstRow: oh0 * g.sH - g.padT, rows: (oh1 - oh0 - 1) * g.sH + (g.kH - 1) * g.dH + 1, into: scratch)
        let outPlane = g.outH * g.outW
        var edge = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
        var biasBlock = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        withUnsafeMutableBytes(of: &edge) { edgeRaw in
            withUnsafeMutableBytes(of: &biasBlock) { biasRaw in
                let tmp = edgeRaw.baseAddress!.assumingMemoryBound(to: Float.self)
                let bb = biasRaw.baseAddress!.assumingMemoryBound(to: Float.self)
                for blk in 0..<(m + mr - 1) / mr {
                    let oc0 = blk * mr, rows = min(mr, m - oc0)
                    for r in 0..<mr { bb[r] = r < rows ? bias?[oc0 + r] ?? 0 : 0 }
                    let w = wp + blk * k * mr
                    for oh in oh0..<oh1 {
                        let b = scratch + (oh - oh0) * g.sH * plan.rowStride
                        let yrow = y + oc0 * outPlane + oh * g.outW
                        var ow = 0
                        while ow + 16 <= g.outW {
                            ConvTile.tile16(b + ow, offs, k, w, bb, act, yrow + ow, outPlane, rows: rows)
                            ow += 16
                        }
                        if ow + 8 <= g.outW {
                            ConvTile.tile8(b + ow, offs, k, w, bb, act, yrow + ow, outPlane, rows: rows)
                            ow += 8
                        }
                        // Fewer than 8 pixels left: full tile into a scratch tile, then copy
                        // what is valid.
                        if ow < g.outW {
                            let cols = g.outW - ow
                            ConvTile.tile8(b + ow, offs, k, w, bb, act, tmp, 16, rows: mr)
                            for r in 0..<rows { (yrow + r * outPlane + ow).update(from: tmp + r * 16, count: cols) }
                            ow += cols
                        }
                    }
                }
            }
        }
    }

    /// Copies `rows` input rows starting at `ih0` (may lie in the padding) of every channel
    /// into the phase-split band; every scratch float the tiles read is written.
    static func fill(_ x: UnsafePointer<Float>, _ plan: Plan, firstRow ih0: Int, rows: Int, into s: UnsafeMutablePointer<Float>) {
        let g = plan.g, pw = plan.phaseWidth, sW = g.sW
        for c in 0..<plan.channels {
            let xc = x + c * g.inH * g.inW
            for r in 0..<rows {
                let dst = s + c * plan.channelStride + r * plan.rowStride
                let ih = ih0 + r
                guard ih >= 0 && ih < g.inH else {
                    dst.update(repeating: 0, count: plan.rowStride)
                    continue
                }
                let src = xc + ih * g.inW
                for p in 0..<sW {
                    let d = dst + p * pw
                    // Phase p, slot q holds input column q·sW + p − padL.
                    let lo = min(pw, max(0, (g.padL - p + sW - 1) / sW))
                    let hi = max(lo, min(pw, (g.inW + g.padL - p + sW - 1) / sW))
                    if lo > 0 { d.update(repeating: 0, count: lo) }
                    let first = src + (lo * sW + p - g.padL)
                    if sW == 1 {
                        (d + lo).update(from: first, count: hi - lo)
                    } else if sW == 2 {
                        gatherEven(first, count: hi - lo, limit: src + g.inW, into: d + lo)
                    } else {
                        for q in 0..<(hi - lo) { d[lo + q] = first[q * sW] }
                    }
                    if hi < pw { (d + hi).update(repeating: 0, count: pw - hi) }
                }
            }
        }
    }

    /// d[i] = s[2i] for i < n; 16-float loads deinterleaved while they stay below `limit`.
    @inline(__always)
    private static func gatherEven(_ s: UnsafePointer<Float>, count n: Int, limit: UnsafePointer<Float>, into d: UnsafeMutablePointer<Float>) {
        var i = 0
        let raw = UnsafeRawPointer(s), out = UnsafeMutableRawPointer(d)
        while i + 8 <= n && s + 2 * i + 16 <= limit {
            let v = raw.loadUnaligned(fromByteOffset: 2 * i * 4, as: SIMD16<Float>.self)
            out.storeBytes(of: v.evenHalf, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n { d[i] = s[2 * i]; i += 1 }
    }
}
