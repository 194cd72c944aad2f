#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

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
        scatter(x, g, scratch)
        // One specialised copy of the tap loop per common epilogue, so the activation is
        // inlined into it instead of being a call (with a switch) per output vector.
        switch (act.act, act.hasAffine) {
        case (.none, false): taps(wt, bias, g, y, scratch, Identity())
        case (.relu, false): taps(wt, bias, g, y, scratch, Relu())
        case (.hardSwish, false): taps(wt, bias, g, y, scratch, HardSwish())
        case (.none, true): taps(wt, bias, g, y, scratch, Affine(inner: Identity(), scale: act.scale, shift: act.shift))
        case (.relu, true): taps(wt, bias, g, y, scratch, Affine(inner: Relu(), scale: act.scale, shift: act.shift))
        case (.hardSwish, true): taps(wt, bias, g, y, scratch, Affine(inner: HardSwish(), scale: act.scale, shift: act.shift))
        default: taps(wt, bias, g, y, scratch, act)
        }
    }

    /// Copies the plane into padded, phase-split rows and zeroes only the cells no input
    /// value lands in (the padding and the tail the SIMD taps over-read).
    @inline(__always)
    private static func scatter(_ x: UnsafePointer<Float>, _ g: Window2D, _ scratch: UnsafeMutablePointer<Float>) {
        let pw = phaseWidth(g), sW = g.sW
        let rows = (g.outH - 1) * g.sH + (g.kH - 1) * g.dH + 1
        let rowStride = sW * pw
        // For sW == 2, input columns below `simdEnd` are deinterleaved 16 at a time: even
        // columns go to one phase, odd ones to the other.
        let pe = g.padL & 1, qe = g.padL >> 1, qo = (g.padL + 1) >> 1
        var simdEnd = 0
        if sW == 2 { while simdEnd + 16 <= g.inW && simdEnd / 2 + 8 + max(qe, qo) <= pw { simdEnd += 16 } }
        // The layout of every phase is the same for all rows: its first input column iw0,
        // the slot q0 that column lands in, how many columns land there (columns past what
        // any output reads are dropped), and how many of those the SIMD pass placed.
        let spans = (0..<sW).map { ph -> (iw0: Int, q0: Int, n: Int, done: Int) in
            let iw0 = ((ph - g.padL) % sW + sW) % sW
            let q0 = (iw0 + g.padL) / sW
            let n = max(0, min((g.inW - iw0 + sW - 1) / sW, pw - q0))
            return (iw0, q0, n, simdEnd > iw0 ? (simdEnd - iw0 + sW - 1) / sW : 0)
        }
        for r in 0..<rows {
            let ih = r - g.padT, dst = scratch + r * rowStride
            guard ih >= 0 && ih < g.inH else {
                dst.update(repeating: 0, count: rowStride)
                continue
            }
            let src = x + ih * g.inW
            if simdEnd > 0 {
                let de = UnsafeMutableRawPointer(dst + pe * pw + qe), dO = UnsafeMutableRawPointer(dst + (1 - pe) * pw + qo)
                let raw = UnsafeRawPointer(src)
                var iw = 0
                while iw < simdEnd {
                    let v = raw.loadUnaligned(fromByteOffset: iw * 4, as: SIMD16<Float>.self)
                    de.storeBytes(of: v.evenHalf, toByteOffset: iw * 2, as: SIMD8<Float>.self)
                    dO.storeBytes(of: v.oddHalf, toByteOffset: iw * 2, as: SIMD8<Float>.self)
                    iw += 16
                }
            }
            for ph in 0..<sW {
                let sp = spans[ph], d = dst + ph * pw
                if sp.q0 > 0 { d.update(repeating: 0, count: min(sp.q0, pw)) }
                if sW == 1 {
                    if sp.n > 0 { (d + sp.q0).update(from: src + sp.iw0, count: sp.n) }
                } else {
                    // Strided gather of what the SIMD pass did not place.
                    var k = sp.done, s = sp.iw0 + k * sW
                    while k < sp.n { d[sp.q0 + k] = src[s]; k += 1; s += sW }
                }
                if sp.q0 + sp.n < pw { (d + sp.q0 + sp.n).update(repeating: 0, count: pw - sp.q0 - sp.n) }
            }
        }
    }

    private static func taps<E: VectorEpilogue>(_ wt: UnsafePointer<Float>, _ bias: Float, _ g: Window2D, _ y: UnsafeMutablePointer<Float>,
                                                _ scratch: UnsafeMutablePointer<Float>, _ act: E) {
        let pw = phaseWidth(g), sW = g.sW
        let rowStride = sW * pw
        let taps = g.kH * g.kW
        var tapOffset = [Int](repeating: 0, count: taps)
        for ki in 0..<g.kH {
            for kj in 0..<g.kW {
                let c = kj * g.dW
                tapOffset[ki * g.kW + kj] = ki * g.dH * rowStride + (c % sW) * pw + c / sW
            }
        }
        tapOffset.withUnsafeBufferPointer { offs in
            let b = SIMD8<Float>(repeating: bias)
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

private struct Identity: VectorEpilogue {
    @inline(__always) func apply(_ v: SIMD8<Float>) -> SIMD8<Float> { v }
}

private struct Relu: VectorEpilogue {
    @inline(__always) func apply(_ v: SIMD8<Float>) -> SIMD8<Float> { Activation.relu.apply(v) }
}

private struct HardSwish: VectorEpilogue {
    @inline(__always) func apply(_ v: SIMD8<Float>) -> SIMD8<Float> { Activation.hardSwish.apply(v) }
}

/// Same operation order as Epilogue.apply with an affine part: activation, then · scale + shift.
private struct Affine<Inner: VectorEpilogue>: VectorEpilogue {
    let inner: Inner
    let scale: Float, shift: Float
    @inline(__always) func apply(_ v: SIMD8<Float>) -> SIMD8<Float> { inner.apply(v) * scale + shift }
}
