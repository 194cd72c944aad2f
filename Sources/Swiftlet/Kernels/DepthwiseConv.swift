import Foundation

/// Direct convolution for one channel plane (depthwise: each output channel reads one input
/// channel), any kernel size, stride, dilation and padding.
///
/// The plane is first copied into a zero-padded scratch buffer split into `sW` column
/// phases (phase p holds padded columns p, p+sW, …). Tap (ki, kj) of output column ow then
/// reads phase (kj·dW) mod sW at index ow + (kj·dW) / sW: a contiguous SIMD load for every
/// stride, with no bounds checks in the inner loop.
enum DepthwiseConv {
    /// Floats of scratch `plane` needs for geometry `w`.
    static func scratchCount(_ w: Window2D) -> Int {
        let rows = (w.outH - 1) * w.sH + (w.kH - 1) * w.dH + 1
        return rows * w.sW * phaseWidth(w)
    }

    private static func phaseWidth(_ w: Window2D) -> Int {
        let outW8 = (w.outW + 7) & ~7
        return outW8 + (w.kW - 1) * w.dW / w.sW + 1
    }

    static func plane(_ x: UnsafePointer<Float>, _ wt: UnsafePointer<Float>, bias: Float, _ act: Epilogue,
                      _ g: Window2D, _ y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let pw = phaseWidth(g), sW = g.sW
        let rows = (g.outH - 1) * g.sH + (g.kH - 1) * g.dH + 1
        let rowStride = sW * pw
        scratch.update(repeating: 0, count: rows * rowStride)
        // Scatter the input into padded, phase-split rows.
        for r in 0..<rows {
            let ih = r - g.padT
            guard ih >= 0 && ih < g.inH else { continue }
            let src = x + ih * g.inW, dst = scratch + r * rowStride
            if sW == 1 {
                let n = min(g.inW, pw - g.padL)
                if n > 0 { (dst + g.padL).update(from: src, count: n) }
                continue
            }
            for iw in 0..<g.inW {
                let j = iw + g.padL
                // Columns past what any output reads are dropped (they may exceed the phase width).
                let q = j / sW
                if q < pw { dst[(j % sW) * pw + q] = src[iw] }
            }
        }
        let taps = g.kH * g.kW
        var tapOffset = [Int](repeating: 0, count: taps)
        for ki in 0..<g.kH {
            for kj in 0..<g.kW {
                let c = kj * g.dW
                tapOffset[ki * g.kW + kj] = ki * g.dH * rowStride + (c % sW) * pw + c / sW
            }
        }
        let b = SIMD8<Float>(repeating: bias)
        tapOffset.withUnsafeBufferPointer { offs in
            let raw = UnsafeRawPointer(scratch)
            @inline(__always) func ld(_ i: Int) -> SIMD8<Float> { raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) }
            for oh in 0..<g.outH {
                let base = oh * g.sH * rowStride
                let yrow = y + oh * g.outW
                var ow = 0
                // Four independent accumulators hide FMA latency.
                while ow + 32 <= g.outW {
                    var a0 = b, a1 = b, a2 = b, a3 = b
                    for t in 0..<taps {
                        let wv = SIMD8<Float>(repeating: wt[t])
                        let p = base + offs[t] + ow
                        a0 += wv * ld(p); a1 += wv * ld(p + 8); a2 += wv * ld(p + 16); a3 += wv * ld(p + 24)
                    }
                    let out = UnsafeMutableRawPointer(yrow + ow)
                    out.storeBytes(of: act.apply(a0), as: SIMD8<Float>.self)
                    out.storeBytes(of: act.apply(a1), toByteOffset: 32, as: SIMD8<Float>.self)
                    out.storeBytes(of: act.apply(a2), toByteOffset: 64, as: SIMD8<Float>.self)
                    out.storeBytes(of: act.apply(a3), toByteOffset: 96, as: SIMD8<Float>.self)
                    ow += 32
                }
                while ow < g.outW {
                    var a0 = b
                    for t in 0..<taps { a0 += SIMD8<Float>(repeating: wt[t]) * ld(base + offs[t] + ow) }
                    let r = act.apply(a0)
                    if ow + 8 <= g.outW {
                        UnsafeMutableRawPointer(yrow + ow).storeBytes(of: r, as: SIMD8<Float>.self)
                    } else {
                        for j in 0..<(g.outW - ow) { yrow[ow + j] = r[j] }
                    }
                    ow += 8
                }
            }
        }
    }
}
