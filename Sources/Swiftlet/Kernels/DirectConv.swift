import Foundation

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
    static let mr = 6
    /// Scratch budget per thread for one band of input rows (fits L2 next to the weights).
    static let bandBytes = 384 << 10

    /// Floats needed by `packWeights` for m output channels of k taps.
    static func packedCount(m: Int, k: Int) -> Int { (m + mr - 1) / mr * k * mr }

    /// W [m][k] (row stride ldw) → blocks of 6 output channels, tap-major: block b holds
    /// W[6b..<6b+6][t] contiguously for each t, zero past m.
    static func packWeights(_ w: UnsafePointer<Float>, m: Int, k: Int, ldw: Int, into p: UnsafeMutablePointer<Float>) {
        for b in 0..<(m + mr - 1) / mr {
            let dst = p + b * k * mr
            for r in 0..<mr {
                let oc = b * mr + r
                if oc < m {
                    let src = w + oc * ldw
                    for t in 0..<k { dst[t * mr + r] = src[t] }
                } else {
                    for t in 0..<k { dst[t * mr + r] = 0 }
                }
            }
        }
    }

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
                        if rows == mr {
                            while ow + 16 <= g.outW {
                                tile16(b + ow, offs, k, w, bb, act, yrow + ow, outPlane)
                                ow += 16
                            }
                            if ow + 8 <= g.outW {
                                tile8(b + ow, offs, k, w, bb, act, yrow + ow, outPlane)
                                ow += 8
                            }
                        }
                        // Ragged edge (partial channel block or < 8 pixels left): full tile into
                        // a scratch tile, then copy what is valid.
                        while ow < g.outW {
                            let cols = min(16, g.outW - ow)
                            if cols > 8 { tile16(b + ow, offs, k, w, bb, act, tmp, 16) } else { tile8(b + ow, offs, k, w, bb, act, tmp, 16) }
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

    @inline(__always)
    private static func tile16(_ b: UnsafePointer<Float>, _ offs: UnsafePointer<Int>, _ k: Int, _ w: UnsafePointer<Float>,
                               _ bias: UnsafePointer<Float>, _ act: Epilogue, _ y: UnsafeMutablePointer<Float>, _ ldy: Int) {
        var c00 = SIMD8<Float>(repeating: bias[0]), c01 = c00
        var c10 = SIMD8<Float>(repeating: bias[1]), c11 = c10
        var c20 = SIMD8<Float>(repeating: bias[2]), c21 = c20
        var c30 = SIMD8<Float>(repeating: bias[3]), c31 = c30
        var c40 = SIMD8<Float>(repeating: bias[4]), c41 = c40
        var c50 = SIMD8<Float>(repeating: bias[5]), c51 = c50
        let rb = UnsafeRawPointer(b)
        var wt = w
        for t in 0..<k {
            let o = offs[t] &* 4
            let b0 = rb.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            let b1 = rb.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD8<Float>.self)
            var v = SIMD8<Float>(repeating: wt[0]); c00.addProduct(v, b0); c01.addProduct(v, b1)
            v = SIMD8<Float>(repeating: wt[1]); c10.addProduct(v, b0); c11.addProduct(v, b1)
            v = SIMD8<Float>(repeating: wt[2]); c20.addProduct(v, b0); c21.addProduct(v, b1)
            v = SIMD8<Float>(repeating: wt[3]); c30.addProduct(v, b0); c31.addProduct(v, b1)
            v = SIMD8<Float>(repeating: wt[4]); c40.addProduct(v, b0); c41.addProduct(v, b1)
            v = SIMD8<Float>(repeating: wt[5]); c50.addProduct(v, b0); c51.addProduct(v, b1)
            wt += mr
        }
        let out = UnsafeMutableRawPointer(y)
        @inline(__always) func st(_ r: Int, _ v0: SIMD8<Float>, _ v1: SIMD8<Float>) {
            out.storeBytes(of: act.apply(v0), toByteOffset: r * ldy * 4, as: SIMD8<Float>.self)
            out.storeBytes(of: act.apply(v1), toByteOffset: r * ldy * 4 + 32, as: SIMD8<Float>.self)
        }
        st(0, c00, c01); st(1, c10, c11); st(2, c20, c21); st(3, c30, c31); st(4, c40, c41); st(5, c50, c51)
    }

    @inline(__always)
    private static func tile8(_ b: UnsafePointer<Float>, _ offs: UnsafePointer<Int>, _ k: Int, _ w: UnsafePointer<Float>,
                              _ bias: UnsafePointer<Float>, _ act: Epilogue, _ y: UnsafeMutablePointer<Float>, _ ldy: Int) {
        var c0 = SIMD8<Float>(repeating: bias[0]), c1 = SIMD8<Float>(repeating: bias[1])
        var c2 = SIMD8<Float>(repeating: bias[2]), c3 = SIMD8<Float>(repeating: bias[3])
        var c4 = SIMD8<Float>(repeating: bias[4]), c5 = SIMD8<Float>(repeating: bias[5])
        let rb = UnsafeRawPointer(b)
        var wt = w
        for t in 0..<k {
            let b0 = rb.loadUnaligned(fromByteOffset: offs[t] &* 4, as: SIMD8<Float>.self)
            c0.addProduct(SIMD8<Float>(repeating: wt[0]), b0)
            c1.addProduct(SIMD8<Float>(repeating: wt[1]), b0)
            c2.addProduct(SIMD8<Float>(repeating: wt[2]), b0)
            c3.addProduct(SIMD8<Float>(repeating: wt[3]), b0)
            c4.addProduct(SIMD8<Float>(repeating: wt[4]), b0)
            c5.addProduct(SIMD8<Float>(repeating: wt[5]), b0)
            wt += mr
        }
        let out = UnsafeMutableRawPointer(y)
        out.storeBytes(of: act.apply(c0), as: SIMD8<Float>.self)
        out.storeBytes(of: act.apply(c1), toByteOffset: ldy * 4, as: SIMD8<Float>.self)
        out.storeBytes(of: act.apply(c2), toByteOffset: 2 * ldy * 4, as: SIMD8<Float>.self)
        out.storeBytes(of: act.apply(c3), toByteOffset: 3 * ldy * 4, as: SIMD8<Float>.self)
        out.storeBytes(of: act.apply(c4), toByteOffset: 4 * ldy * 4, as: SIMD8<Float>.self)
        out.storeBytes(of: act.apply(c5), toByteOffset: 5 * ldy * 4, as: SIMD8<Float>.self)
    }
}
