#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// col2im for ConvTranspose: places the GEMM's per-tap rows `col[(oc·kH + ki)·kW + kj][ih, iw]`
/// (one row of `ldCol` floats per tap, input rows `ih0..<ih0+rows` of the plane) into the output.
enum Col2Im {
    /// Non-overlapping case (kernel == stride, no dilation, output exactly inH·sH × inW·sW):
    /// every output pixel gets exactly one tap, so the output is written once, bias included,
    /// with no fill pass. For kW == 2 two 8-wide tap rows interleave into 16 outputs.
    static func tiled(_ col: UnsafePointer<Float>, ldCol: Int, ih0: Int, rows: Int, _ g: Window2D,
                      bias: Float, _ y: UnsafeMutablePointer<Float>) {
        let inW = g.inW, kH = g.kH, kW = g.kW
        let b = SIMD8<Float>(repeating: bias)
        for r in 0..<rows {
            for ki in 0..<kH {
                let yrow = y + ((ih0 + r) * kH + ki) * g.outW
                let src = col + ki * kW * ldCol + r * inW
                var iw = 0
                if kW == 2 {
                    let s0 = UnsafeRawPointer(src), s1 = UnsafeRawPointer(src + ldCol), out = UnsafeMutableRawPointer(yrow)
                    while iw + 8 <= inW {
                        var v = SIMD16<Float>()
                        v.evenHalf = s0.loadUnaligned(fromByteOffset: iw * 4, as: SIMD8<Float>.self) + b
                        v.oddHalf = s1.loadUnaligned(fromByteOffset: iw * 4, as: SIMD8<Float>.self) + b
                        out.storeBytes(of: v, toByteOffset: iw * 8, as: SIMD16<Float>.self)
                        iw += 8
                    }
                } else if kW == 1 {
                    let s0 = UnsafeRawPointer(src), out = UnsafeMutableRawPointer(yrow)
                    while iw + 8 <= inW {
                        out.storeBytes(of: s0.loadUnaligned(fromByteOffset: iw * 4, as: SIMD8<Float>.self) + b,
                                       toByteOffset: iw * 4, as: SIMD8<Float>.self)
                        iw += 8
                    }
                }
                while iw < inW {
                    for kj in 0..<kW { yrow[iw * kW + kj] = src[kj * ldCol + iw] + bias }
                    iw += 1
                }
            }
        }
    }

    /// General case (overlapping taps, padding, dilation, output padding): the output plane
    /// must already hold the bias; every tap adds its in-range contributions.
    static func scatterAdd(_ col: UnsafePointer<Float>, ldCol: Int, _ g: Window2D, _ y: UnsafeMutablePointer<Float>) {
        for ki in 0..<g.kH {
            for kj in 0..<g.kW {
                let src = col + (ki * g.kW + kj) * ldCol
                // Output column of input column iw is iw·sW + base; keep the iw with 0 ≤ that < outW.
                let base = kj * g.dW - g.padL
                let iwLo = base >= 0 ? 0 : (-base + g.sW - 1) / g.sW
                let iwHi = g.outW - 1 - base < 0 ? 0 : min(g.inW, (g.outW - 1 - base) / g.sW + 1)
                guard iwLo < iwHi else { continue }
                for ih in 0..<g.inH {
                    let oh = ih * g.sH - g.padT + ki * g.dH
                    guard oh >= 0 && oh < g.outH else { continue }
                    let yrow = y + oh * g.outW, srow = src + ih * g.inW
                    var ow = base + iwLo * g.sW
                    for iw in iwLo..<iwHi { yrow[ow] += srow[iw]; ow += g.sW }
                }
            }
        }
    }
}
