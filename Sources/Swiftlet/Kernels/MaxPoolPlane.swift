/// MaxPool of one float32 plane without the indices output: the rows and columns whose
/// whole window lies inside the input run branch-free (vectorized when the column stride is
/// 1, as in PP-OCRv6's 2×2 / stride-1 SAME pool, where the generic loop took a quarter of the
/// detector's time); the border falls back to the clipped scalar window.
///
/// The result is the scalar rule's exactly: taps in row-major window order, the first tap
/// inside the input taken as it is and a later one only when it compares greater (so a NaN
/// wins only as the first tap, an all-−∞ window gives −∞).
func maxPoolPlane(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ g: Window2D) {
    // Output columns whose taps are all inside the input: w0 ≥ 0 and w0 + (kW−1)·dW < inW.
    let owLo = min(g.outW, (g.padL + g.sW - 1) / g.sW)
    let lastTap = g.inW - 1 - (g.kW - 1) * g.dW + g.padL
    let owHi = lastTap < 0 ? owLo : max(owLo, min(g.outW, lastTap / g.sW + 1))
    for oh in 0..<g.outH {
        let h0 = oh * g.sH - g.padT
        let row = dst + oh * g.outW
        // Window rows inside the input: 0 ≤ h0 + ki·dH < inH.
        let kiLo = h0 >= 0 ? 0 : (-h0 + g.dH - 1) / g.dH
        let kiHi = h0 >= g.inH ? 0 : min(g.kH, (g.inH - 1 - h0) / g.dH + 1)
        guard kiLo < kiHi, owLo < owHi else {
            for ow in 0..<g.outW { row[ow] = clippedMax(src, g, h0, ow * g.sW - g.padL) }
            continue
        }
        for ow in 0..<owLo { row[ow] = clippedMax(src, g, h0, ow * g.sW - g.padL) }
        for ow in owHi..<g.outW { row[ow] = clippedMax(src, g, h0, ow * g.sW - g.padL) }
        let n = owHi - owLo
        let out = row + owLo
        // Column of tap (ih, kj) for output owLo + j: ih·inW + (owLo + j)·sW − padL + kj·dW.
        let origin = owLo * g.sW - g.padL
        var first = true
        for ki in kiLo..<kiHi {
            let ih = h0 + ki * g.dH
            for kj in 0..<g.kW {
                let tap = src + ih * g.inW + origin + kj * g.dW
                if first {
                    if g.sW == 1 { out.update(from: tap, count: n) } else { for j in 0..<n { out[j] = tap[j * g.sW] } }
                    first = false
                } else if g.sW == 1 {
                    var j = 0
                    while j + 16 <= n {
                        let v = UnsafeRawPointer(tap + j).loadUnaligned(as: SIMD16<Float>.self)
                        let best = UnsafeRawPointer(out + j).loadUnaligned(as: SIMD16<Float>.self)
                        UnsafeMutableRawPointer(out + j).storeBytes(of: best.replacing(with: v, where: v .> best), as: SIMD16<Float>.self)
                        j += 16
                    }
                    while j < n { if tap[j] > out[j] { out[j] = tap[j] }; j += 1 }
                } else {
                    for j in 0..<n where tap[j * g.sW] > out[j] { out[j] = tap[j * g.sW] }
                }
            }
        }
    }
}

/// One window clipped to the input, by the scalar rule (see `maxPoolPlane`).
@inline(__always)
private func clippedMax(_ src: UnsafePointer<Float>, _ g: Window2D, _ h0: Int, _ w0: Int) -> Float {
    var best = -Float.infinity, found = false
    for ki in 0..<g.kH {
        let ih = h0 + ki * g.dH
        guard ih >= 0 && ih < g.inH else { continue }
        for kj in 0..<g.kW {
            let iw = w0 + kj * g.dW
            guard iw >= 0 && iw < g.inW else { continue }
            let v = src[ih * g.inW + iw]
            if v > best || !found { best = v; found = true }
        }
    }
    return best
}
