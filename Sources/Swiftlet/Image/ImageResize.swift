/// Bilinear resize reproducing cv2.resize(INTER_LINEAR) on 8-bit images.
///
/// OpenCV does 8-bit bilinear in fixed point: 11-bit weights (rounded separately per tap),
/// a horizontal pass into Int32 rows, then a vertical pass that pre-shifts rows by 4 bits
/// and keeps the high 16 bits of each product before a rounding shift by 2 (the SIMD
/// formula, which covers all but a row's last few bytes; its scalar tail rounds once
/// instead and can differ by 1). Every step below mirrors one of those.
extension RGBImage {
    /// The image scaled to `dw` × `dh` pixels, as cv2.resize(INTER_LINEAR) would.
    ///
    /// - Throws: ``SwiftletError/invalidInput(_:)`` when a target side is below 1.
    public func resized(width dw: Int, height dh: Int) throws -> RGBImage {
        guard dw > 0, dh > 0 else { throw SwiftletError.invalidInput("resize target \(dw)x\(dh) must be at least 1x1") }
        guard dw.multipliedReportingOverflow(by: dh).overflow == false, dw * dh <= ImageDecodeOptions.defaultMaxPixels else {
            throw SwiftletError.invalidInput("resize target \(dw)x\(dh) exceeds \(ImageDecodeOptions.defaultMaxPixels) pixels")
        }
        if dw == width && dh == height { return self }
        return resizeBilinear(self, dw, dh)
    }
}

private let coefScale: Float = 2048  // INTER_RESIZE_COEF_SCALE

/// Source index and the two fixed-point weights for each destination coordinate.
private func linearTaps(src: Int, dst: Int) -> (index: [Int], w0: [Int32], w1: [Int32]) {
    let scale = 1.0 / (Double(dst) / Double(src))
    var index = [Int](repeating: 0, count: dst), w0 = [Int32](repeating: 0, count: dst), w1 = [Int32](repeating: 0, count: dst)
    for d in 0..<dst {
        var f = Float((Double(d) + 0.5) * scale - 0.5)
        var s = Int(f.rounded(.down))
        f -= Float(s)
        if s < 0 { f = 0; s = 0 }
        if s >= src - 1 { f = 0; s = src - 1 }
        index[d] = s
        w0[d] = Int32(((1 - f) * coefScale).rounded(.toNearestOrEven))
        w1[d] = Int32((f * coefScale).rounded(.toNearestOrEven))
    }
    return (index, w0, w1)
}

private func resizeBilinear(_ img: RGBImage, _ dw: Int, _ dh: Int) -> RGBImage {
    let sw = img.width, sh = img.height, cn = 3
    let xt = linearTaps(src: sw, dst: dw)
    // Rows use cv2's clamped source rows rather than adjusted weights (same result).
    let scaleY = 1.0 / (Double(dh) / Double(sh))
    var out = [UInt8](repeating: 0, count: dw * dh * cn)
    var row0 = [Int32](repeating: 0, count: dw * cn), row1 = [Int32](repeating: 0, count: dw * cn)
    var cached0 = -1, cached1 = -1

    func horizontal(_ sy: Int, into row: inout [Int32]) {
        img.pixels.withUnsafeBufferPointer { s in
            let base = sy * sw * cn
            for dx in 0..<dw {
                let sx = xt.index[dx] * cn
                let a0 = xt.w0[dx], a1 = xt.w1[dx]
                let nx = xt.index[dx] + 1 < sw ? sx + cn : sx
                for k in 0..<cn {
                    row[dx * cn + k] = Int32(s[base + sx + k]) * a0 + Int32(s[base + nx + k]) * a1
                }
            }
        }
    }

    for dy in 0..<dh {
        var fy = Float((Double(dy) + 0.5) * scaleY - 0.5)
        let sy = Int(fy.rounded(.down))
        fy -= Float(sy)
        let b0 = Int32(((1 - fy) * coefScale).rounded(.toNearestOrEven))
        let b1 = Int32((fy * coefScale).rounded(.toNearestOrEven))
        let r0 = min(max(sy, 0), sh - 1), r1 = min(max(sy + 1, 0), sh - 1)
        if r0 == cached1 { swap(&row0, &row1); cached0 = r0; cached1 = -1 }
        if r0 != cached0 { horizontal(r0, into: &row0); cached0 = r0 }
        if r1 != cached1 { horizontal(r1, into: &row1); cached1 = r1 }
        let o = dy * dw * cn
        for x in 0..<(dw * cn) {
            let v = ((b0 * (row0[x] >> 4)) >> 16) + ((b1 * (row1[x] >> 4)) >> 16)
            out[o + x] = UInt8(clamping: (v + 2) >> 2)
        }
    }
    return RGBImage(uncheckedWidth: dw, height: dh, pixels: out)
}
