/// cv2.getPerspectiveTransform + cv2.warpPerspective(INTER_CUBIC, BORDER_REPLICATE) on 8-bit
/// images. OpenCV 5 (what RapidOCR's pinned opencv-python resolves to) samples at the exact
/// floating-point source position with float bicubic weights (A = −0.75); OpenCV 4's
/// 1/32-pixel fixed-point tables differ by up to 4 levels on tilted boxes, so we follow 5.

/// The 3×3 matrix (row-major) mapping the four `src` points onto the four `dst` points.
func perspectiveTransform(from src: [(Double, Double)], to dst: [(Double, Double)]) throws -> [Double] {
    var a = [[Double]](repeating: [Double](repeating: 0, count: 9), count: 8)
    for i in 0..<4 {
        let (x, y) = src[i], (u, v) = dst[i]
        a[i] = [x, y, 1, 0, 0, 0, -x * u, -y * u, u]
        a[i + 4] = [0, 0, 0, x, y, 1, -x * v, -y * v, v]
    }
    // Gaussian elimination with partial pivoting (cv2 solves with DECOMP_LU).
    for c in 0..<8 {
        var p = c
        for r in (c + 1)..<8 where abs(a[r][c]) > abs(a[p][c]) { p = r }
        guard abs(a[p][c]) > 1e-12 else { throw SwiftletError.invalidInput("text box corners are degenerate (collinear points): \(src)") }
        a.swapAt(c, p)
        for r in (c + 1)..<8 {
            let f = a[r][c] / a[c][c]
            if f == 0 { continue }
            for k in c..<9 { a[r][k] -= f * a[c][k] }
        }
    }
    var x = [Double](repeating: 0, count: 8)
    for r in stride(from: 7, through: 0, by: -1) {
        var s = a[r][8]
        for k in (r + 1)..<8 { s -= a[r][k] * x[k] }
        x[r] = s / a[r][r]
    }
    return x + [1]
}

/// Inverse of a 3×3 matrix by cofactors (cv2.invert's DECOMP_LU path for n ≤ 3).
func invert3x3(_ m: [Double]) throws -> [Double] {
    let det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6])
    guard det != 0 else { throw SwiftletError.invalidInput("perspective transform is singular") }
    let d = 1 / det
    return [
        (m[4] * m[8] - m[5] * m[7]) * d, (m[2] * m[7] - m[1] * m[8]) * d, (m[1] * m[5] - m[2] * m[4]) * d,
        (m[5] * m[6] - m[3] * m[8]) * d, (m[0] * m[8] - m[2] * m[6]) * d, (m[2] * m[3] - m[0] * m[5]) * d,
        (m[3] * m[7] - m[4] * m[6]) * d, (m[1] * m[6] - m[0] * m[7]) * d, (m[0] * m[4] - m[1] * m[3]) * d,
    ]
}

/// Bicubic weights (A = −0.75) for a sample at fraction `x` past the second tap.
@inline(__always)
private func cubicWeights(_ x: Float) -> (Float, Float, Float, Float) {
    let a: Float = -0.75
    let c0 = ((a * (x + 1) - 5 * a) * (x + 1) + 8 * a) * (x + 1) - 4 * a
    let c1 = ((a + 2) * x - (a + 3)) * x * x + 1
    let c2 = ((a + 2) * (1 - x) - (a + 3)) * (1 - x) * (1 - x) + 1
    return (c0, c1, c2, 1 - c0 - c1 - c2)
}

extension RGBImage {
    /// cv2.warpPerspective(self, forward, (width, height), flags=INTER_CUBIC,
    /// borderMode=BORDER_REPLICATE); `forward` maps source to destination.
    func warpedPerspectiveCubic(_ forward: [Double], width ow: Int, height oh: Int) throws -> RGBImage {
        guard ow > 0, oh > 0 else { throw SwiftletError.invalidInput("warp target \(ow)x\(oh) must be at least 1x1") }
        let m = try invert3x3(forward)
        var out = [UInt8](repeating: 0, count: ow * oh * 3)
        let sw = width, sh = height
        pixels.withUnsafeBufferPointer { s in
            for y in 0..<oh {
                for x in 0..<ow {
                    let xd = Double(x), yd = Double(y)
                    let w = m[6] * xd + m[7] * yd + m[8]
                    let inv = w != 0 ? 1 / w : 0
                    let fx = (m[0] * xd + m[1] * yd + m[2]) * inv, fy = (m[3] * xd + m[4] * yd + m[5]) * inv
                    // Far-outside coordinates only ever see replicated border pixels.
                    let cx = min(max(fx, -8), Double(sw + 8)), cy = min(max(fy, -8), Double(sh + 8))
                    let x0 = Int(cx.rounded(.down)), y0 = Int(cy.rounded(.down))
                    let wx = cubicWeights(Float(cx - Double(x0))), wy = cubicWeights(Float(cy - Double(y0)))
                    let wxs = [wx.0, wx.1, wx.2, wx.3], wys = [wy.0, wy.1, wy.2, wy.3]
                    var xs = [0, 0, 0, 0], ys = [0, 0, 0, 0]
                    for k in 0..<4 {
                        xs[k] = min(max(x0 - 1 + k, 0), sw - 1)
                        ys[k] = min(max(y0 - 1 + k, 0), sh - 1)
                    }
                    for c in 0..<3 {
                        var sum: Float = 0
                        for r in 0..<4 {
                            let row = ys[r] * sw
                            var rs: Float = 0
                            for k in 0..<4 { rs += Float(s[(row + xs[k]) * 3 + c]) * wxs[k] }
                            sum += rs * wys[r]
                        }
                        out[(y * ow + x) * 3 + c] = UInt8(clamping: Int(sum.rounded(.toNearestOrEven)))
                    }
                }
            }
        }
        return RGBImage(uncheckedWidth: ow, height: oh, pixels: out)
    }
}
