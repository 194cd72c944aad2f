import Foundation

/// Unfolds output rows [oh0, oh1) of one image group into a column matrix so a convolution
/// becomes one GEMM: row (c·kH + ki)·kW + kj holds, for every output pixel of the block,
/// the input value under kernel tap (ki, kj) of channel c (0 where the tap falls in padding).
enum Im2Col {
    static func unfold(_ x: UnsafePointer<Float>, channels: Int, _ w: Window2D,
                       rows oh0: Int, _ oh1: Int, into col: UnsafeMutablePointer<Float>) {
        let outW = w.outW, ncols = (oh1 - oh0) * outW
        let plane = w.inH * w.inW
        for c in 0..<channels {
            let xc = x + c * plane
            for ki in 0..<w.kH {
                for kj in 0..<w.kW {
                    let row = col + ((c * w.kH + ki) * w.kW + kj) * ncols
                    let colOff = kj * w.dW - w.padL
                    // Output columns whose tap lands inside the input: lo ..< hi.
                    let lo = min(outW, max(0, (-colOff + w.sW - 1) / w.sW))
                    let hi = max(lo, min(outW, (w.inW - colOff + w.sW - 1) / w.sW))
                    for oh in oh0..<oh1 {
                        let dst = row + (oh - oh0) * outW
                        let ih = oh * w.sH - w.padT + ki * w.dH
                        guard ih >= 0 && ih < w.inH else {
                            dst.update(repeating: 0, count: outW)
                            continue
                        }
                        if lo > 0 { dst.update(repeating: 0, count: lo) }
                        let src = xc + ih * w.inW + colOff
                        if w.sW == 1 {
                            (dst + lo).update(from: src + lo, count: hi - lo)
                        } else {
                            var ow = lo
                            while ow < hi { dst[ow] = src[ow * w.sW]; ow += 1 }
                        }
                        if hi < outW { (dst + hi).update(repeating: 0, count: outW - hi) }
                    }
                }
            }
        }
    }
}
