/// Alpha removal as RapidOCR 3.10.0 does it (LoadImage.cvt_four_to_three), so that white
/// text on a transparent background stays readable: the background becomes white when the
/// visible pixels (alpha > 0) are dark on average — mean luminance 0.299 R + 0.587 G +
/// 0.114 B below 128 — and black otherwise (white for a fully transparent image); each pixel
/// is then c·α + bg·(1 − α) with α = alpha/255, in float32, truncated to a byte.
///
/// Every arithmetic step follows numpy's: luminance per pixel in float64 and its mean by
/// numpy's pairwise summation (the first value, plus the pairwise sum of the rest, over the
/// count), the blend in float32. Unlike RapidOCR, images whose alpha comes from a gray+alpha
/// PNG, a palette or a tRNS chunk get the same rule (RapidOCR reads those through PIL modes
/// LA, P and RGB: gray+alpha over white without the luminance test, palette indices as gray
/// values, tRNS ignored).
struct AlphaFlatten {
    /// Byte offsets of R, G, B and A within a 4-byte pixel.
    let r: Int, g: Int, b: Int, a: Int

    static let rgba = AlphaFlatten(r: 0, g: 1, b: 2, a: 3)
    static let bgra = AlphaFlatten(r: 2, g: 1, b: 0, a: 3)

    /// `height` rows of `width` 4-byte pixels, rows `stride` bytes apart → packed R,G,B.
    func flatten(_ src: UnsafePointer<UInt8>, width: Int, height: Int, stride: Int) -> [UInt8] {
        let bg = Float(background(src, width: width, height: height, stride: stride))
        var out = [UInt8](repeating: 0, count: width * height * 3)
        out.withUnsafeMutableBufferPointer { d in
            for y in 0..<height {
                let row = src + y * stride, o = y * width * 3
                for x in 0..<width {
                    let p = row + 4 * x
                    let alpha = p[a]
                    if alpha == 255 {  // c·1 + bg·0 is c exactly in float32
                        d[o + 3 * x] = p[r]; d[o + 3 * x + 1] = p[g]; d[o + 3 * x + 2] = p[b]
                        continue
                    }
                    let an = Float(alpha) / 255, keep = 1 - an
                    let back = bg * keep
                    d[o + 3 * x] = UInt8(Float(p[r]) * an + back)
                    d[o + 3 * x + 1] = UInt8(Float(p[g]) * an + back)
                    d[o + 3 * x + 2] = UInt8(Float(p[b]) * an + back)
                }
            }
        }
        return out
    }

    /// 255 (white) or 0 (black): the background that contrasts with the visible pixels.
    func background(_ src: UnsafePointer<UInt8>, width: Int, height: Int, stride: Int) -> UInt8 {
        var lum: [Double] = []
        for y in 0..<height {
            let row = src + y * stride
            for x in 0..<width {
                let p = row + 4 * x
                if p[a] > 0 { lum.append(0.299 * Double(p[r]) + 0.587 * Double(p[g]) + 0.114 * Double(p[b])) }
            }
        }
        guard !lum.isEmpty else { return 255 }
        let total = lum.withUnsafeBufferPointer { l in l[0] + pairwiseSum(l, from: 1, count: l.count - 1) }
        return total / Double(lum.count) < 128 ? 255 : 0
    }
}

/// numpy's pairwise_sum for float64 (8 running sums over blocks of up to 128 values, halves
/// cut at multiples of 8 above that), so the mean rounds exactly as numpy's does.
func pairwiseSum(_ a: UnsafeBufferPointer<Double>, from start: Int, count n: Int) -> Double {
    if n < 8 {
        var res = 0.0
        for i in 0..<n { res += a[start + i] }
        return res
    }
    if n <= 128 {
        var r = (0..<8).map { a[start + $0] }
        var i = 8
        while i < n - n % 8 {
            for j in 0..<8 { r[j] += a[start + i + j] }
            i += 8
        }
        var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n { res += a[start + i]; i += 1 }
        return res
    }
    var n2 = n / 2
    n2 -= n2 % 8
    return pairwiseSum(a, from: start, count: n2) + pairwiseSum(a, from: start + n2, count: n - n2)
}
