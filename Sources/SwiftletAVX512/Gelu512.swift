// Exact (erf) GELU over 16 lanes: the same IEEE operations in the same order as the SIMD8
// version (VectorMath.gelu/erf/exp in the Swiftlet module), so every lane's bits are that
// version's; GeluTests compares the two value by value. Half the instructions per value
// matter here because the function is latency-bound: one vector's ~60 dependent steps
// leave the out-of-order window holding only a few vectors. Intrinsics, not generic
// SIMD16 methods, so no generic specialization compiled for AVX-512 can be shared with
// the AVX2 module (tools/check-isa.sh).
import _Builtin_intrinsics.intel

public enum Gelu512 {
    /// y[i] = gelu(x[i]) for i in 0..<n (x == y allowed).
    public static func map(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 16 <= n {
            _mm512_storeu_ps(y + i, gelu(_mm512_loadu_ps(x + i)))
            i += 16
        }
        if i < n {
            // Masked load and store: the lanes past n are neither read nor written.
            let mask = __mmask16((1 << (n - i)) - 1)
            _mm512_mask_storeu_ps(y + i, mask, gelu(_mm512_maskz_loadu_ps(mask, x + i)))
        }
    }

    /// y[i] = gelu(acc[i] · scales[i] + bias[i]) for i in 0..<n (no bias: gelu(acc[i] · scales[i])),
    /// the int8 GEMM's store and activation in one pass with the same roundings (multiply,
    /// then add, then `gelu`). One pass, because the two-pass form reads back 16-float
    /// vectors that 8-float stores had just written: on Intel cores such a load cannot be
    /// forwarded from the stores and waits until they reach the cache, which for output rows
    /// not yet in cache is a trip to memory (GELU took as long as the VNNI tiles in an int8
    /// e5 batch on Emerald Rapids).
    public static func scaleBiasMap(_ acc: UnsafePointer<Float>, scales: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                                    _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 16 <= n {
            var v = _mm512_mul_ps(_mm512_loadu_ps(acc + i), _mm512_loadu_ps(scales + i))
            if let bias { v = _mm512_add_ps(v, _mm512_loadu_ps(bias + i)) }
            _mm512_storeu_ps(y + i, gelu(v))
            i += 16
        }
        if i < n {
            let mask = __mmask16((1 << (n - i)) - 1)
            var v = _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, acc + i), _mm512_maskz_loadu_ps(mask, scales + i))
            if let bias { v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(mask, bias + i)) }
            _mm512_mask_storeu_ps(y + i, mask, gelu(v))
        }
    }

    @inline(__always) static func c(_ v: Float) -> __m512 { _mm512_set1_ps(v) }
    @inline(__always) static func ci(_ v: Int32) -> __m512i { _mm512_set1_epi32(v) }
    @inline(__always) static func bits(_ v: __m512) -> __m512i { _mm512_castps_si512(v) }
    @inline(__always) static func float(_ v: __m512i) -> __m512 { _mm512_castsi512_ps(v) }

    /// 0.5 · x · (1 + erf(x · √½)).
    @inline(__always)
    static func gelu(_ x: __m512) -> __m512 {
        _mm512_mul_ps(_mm512_mul_ps(c(0.5), x), _mm512_add_ps(c(1), erf(_mm512_mul_ps(x, c(0.70710678118654752)))))
    }

    /// Abramowitz & Stegun 7.1.26, as VectorMath.erf.
    @inline(__always)
    static func erf(_ x: __m512) -> __m512 {
        let xi = bits(x)
        let ax = float(_mm512_and_si512(xi, ci(0x7fff_ffff)))
        let t = _mm512_div_ps(c(1), _mm512_add_ps(c(1), _mm512_mul_ps(c(0.3275911), ax)))
        var p = c(1.061405429)
        p = _mm512_sub_ps(_mm512_mul_ps(p, t), c(1.453152027))
        p = _mm512_add_ps(_mm512_mul_ps(p, t), c(1.421413741))
        p = _mm512_sub_ps(_mm512_mul_ps(p, t), c(0.284496736))
        p = _mm512_add_ps(_mm512_mul_ps(p, t), c(0.254829592))
        p = _mm512_mul_ps(p, t)
        let negSquare = float(_mm512_xor_si512(bits(_mm512_mul_ps(ax, ax)), ci(Int32(bitPattern: 0x8000_0000))))
        let y = _mm512_sub_ps(c(1), _mm512_mul_ps(p, exp(negSquare)))
        // -y where x < 0 (ordered: not -0, not NaN): the sign bit set and the magnitude in
        // 1 ... 0x7f80_0000 (the smallest subnormal up to infinity), all in integer lanes.
        let sign = _mm512_srai_epi32(xi, 31)
        let u = _mm512_sub_epi32(_mm512_and_si512(xi, ci(0x7fff_ffff)), ci(1))
        let nonzero = _mm512_andnot_si512(_mm512_srai_epi32(u, 31), ci(-1))
        let notNaN = _mm512_srai_epi32(_mm512_sub_epi32(u, ci(0x7f80_0000)), 31)
        let negative = _mm512_and_si512(sign, _mm512_and_si512(nonzero, notNaN))
        return float(_mm512_xor_si512(bits(y), _mm512_and_si512(negative, ci(Int32(bitPattern: 0x8000_0000)))))
    }

    /// As VectorMath.exp: Cephes' polynomial, 2^n from the rounding constant's bits, results
    /// below exp(-87.33654) flushed to 0, NaN kept.
    @inline(__always)
    static func exp(_ xIn: __m512) -> __m512 {
        let lo = c(-87.33654)
        // VectorMath's vmax(a, b) / vmin(a, b) are maxps(b, a) / minps(b, a): a NaN `a` stays.
        var x = _mm512_min_ps(c(88.37626), _mm512_max_ps(lo, xIn))
        let nanOrZero = _mm512_sub_ps(x, x)
        let t = _mm512_add_ps(_mm512_mul_ps(x, c(1.44269504088896341)), c(12582912.0))
        let fx = _mm512_sub_ps(t, c(12582912.0))
        x = _mm512_sub_ps(x, _mm512_mul_ps(fx, c(0.693359375)))
        x = _mm512_add_ps(x, _mm512_mul_ps(fx, c(2.12194440e-4)))
        let z = _mm512_mul_ps(x, x)
        var y = c(1.9875691500e-4)
        y = _mm512_add_ps(_mm512_mul_ps(y, x), c(1.3981999507e-3))
        y = _mm512_add_ps(_mm512_mul_ps(y, x), c(8.3334519073e-3))
        y = _mm512_add_ps(_mm512_mul_ps(y, x), c(4.1665795894e-2))
        y = _mm512_add_ps(_mm512_mul_ps(y, x), c(1.6666665459e-1))
        y = _mm512_add_ps(_mm512_mul_ps(y, x), c(5.0000001201e-1))
        y = _mm512_add_ps(_mm512_add_ps(_mm512_mul_ps(y, z), x), c(1))
        let n = _mm512_add_epi32(_mm512_sub_epi32(bits(t), ci(0x4B40_0000)), ci(127))
        let scale = float(_mm512_slli_epi32(n, 23))
        let below = _mm512_srai_epi32(bits(_mm512_sub_ps(xIn, lo)), 31)
        let flushed = float(_mm512_andnot_si512(below, bits(_mm512_mul_ps(y, scale))))
        return _mm512_add_ps(flushed, nanOrZero)
    }
}
