/// The register tile of the implicit-GEMM convolution: 6 output channels × 16 (or 8)
/// pixels, y[r][j] = act(bias[r] + Σ_t w[t·6 + r] · b[offs[t] + j]). Taps are addressed
/// through an offset table, so any kernel size, stride and dilation is the same loop over a
/// phase-split band (DirectConv). 12 AVX2 accumulators; per tap 2 pixel loads, 6 broadcasts.
enum ConvTile {
    static let mr = 6

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

    /// 6 output channels × 16 pixels; rows past `rows` (a partial channel block) are not stored.
    @inline(__always)
    static func tile16(_ b: UnsafePointer<Float>, _ offs: UnsafePointer<Int>, _ k: Int, _ w: UnsafePointer<Float>,
                       _ bias: UnsafePointer<Float>, _ act: Epilogue, _ y: UnsafeMutablePointer<Float>, _ ldy: Int, rows: Int) {
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
            guard r < rows else { return }
            out.storeBytes(of: act.apply(v0), toByteOffset: r * ldy * 4, as: SIMD8<Float>.self)
            out.storeBytes(of: act.apply(v1), toByteOffset: r * ldy * 4 + 32, as: SIMD8<Float>.self)
        }
        st(0, c00, c01); st(1, c10, c11); st(2, c20, c21); st(3, c30, c31); st(4, c40, c41); st(5, c50, c51)
    }

    @inline(__always)
    static func tile8(_ b: UnsafePointer<Float>, _ offs: UnsafePointer<Int>, _ k: Int, _ w: UnsafePointer<Float>,
                      _ bias: UnsafePointer<Float>, _ act: Epilogue, _ y: UnsafeMutablePointer<Float>, _ ldy: Int, rows: Int) {
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
        @inline(__always) func st(_ r: Int, _ v: SIMD8<Float>) {
            if r < rows { out.storeBytes(of: act.apply(v), toByteOffset: r * ldy * 4, as: SIMD8<Float>.self) }
        }
        st(0, c0); st(1, c1); st(2, c2); st(3, c3); st(4, c4); st(5, c5)
    }
}
