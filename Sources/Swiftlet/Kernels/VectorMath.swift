#if canImport(Glibc)
import Glibc  // logf, for the lanes VectorMath.log leaves to libm
#endif
import _Builtin_intrinsics.intel

/// Vectorized transcendental functions for SIMD8<Float> (AVX2 width).
/// Accuracy targets: exp within ~2 ulp, erf within 1.5e-7 absolute — well inside the
/// 1e-4 parity budget, and an order of magnitude faster than calling libm per element.
enum VectorMath {
    /// Inputs below -87.33654 (where exp(x) drops under the smallest normal float,
    /// 2^-126) return exactly 0 rather than a value near 1.2e-38: flushing the result
    /// keeps denormals out of softmax, whose masked positions (x ≈ -1e4 … -inf) would
    /// otherwise feed tiny probabilities into the next GEMM, which on many x86 cores takes
    /// a microcode assist per denormal operand (a 40× slower attention for padded
    /// batches). The absolute error is below 1.2e-38. NaN stays NaN.
    @_transparent
    static func exp(_ xIn: SIMD8<Float>) -> SIMD8<Float> {
        // Cephes-style: exp(x) = 2^n * exp(r), r = x - n ln2, |r| <= ln2/2.
        let lo = SIMD8<Float>(repeating: -87.33654)
        var x = vmin(vmax(xIn, lo), SIMD8(repeating: 88.37626))
        let nanOrZero = x - x   // NaN only for a NaN input (the clamps keep NaN), else 0
        // Adding 1.5·2^23 rounds to an integer in the low mantissa bits; those bits then
        // give 2^n directly. (Generic SIMD float→int conversion is a slow scalar loop.)
        let t = x * 1.44269504088896341 + 12582912.0
        let fx = t - 12582912.0
        x = x - fx * 0.693359375
        x = x + fx * 2.12194440e-4
        let z = x * x
        var y = SIMD8<Float>(repeating: 1.9875691500e-4)
        y = y * x + 1.3981999507e-3
        y = y * x + 8.3334519073e-3
        y = y * x + 4.1665795894e-2
        y = y * x + 1.6666665459e-1
        y = y * x + 5.0000001201e-1
        y = y * z + x + 1
        let n = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127
        let scale = unsafeBitCast(n &<< 23, to: SIMD8<Float>.self)
        // Flush where xIn < lo: the sign bit of xIn - lo, spread over the lane by an
        // arithmetic shift, masks the result off; adding `nanOrZero` keeps NaN inputs NaN
        // whatever their sign bit. (Integer ops rather than a SIMD compare and select,
        // which made the compiler stop inlining exp into its callers.)
        let below = unsafeBitCast(xIn - lo, to: SIMD8<Int32>.self) &>> 31
        let flushed = unsafeBitCast(unsafeBitCast(y * scale, to: SIMD8<Int32>.self) & ~below, to: SIMD8<Float>.self)
        return flushed + nanOrZero
    }

    @inline(__always)
    static func exp(_ x: Float) -> Float {
        exp(SIMD8<Float>(repeating: x))[0]
    }

    /// Natural log: x = 2^e · (1 + f) with 1 + f in [√½, √2), log(x) = e·ln2 + log(1 + f) by
    /// Cephes' degree-9 polynomial in f; within 2 ulp of libm's logf for positive normal
    /// inputs. A vector holding anything else (0, subnormals, negatives, ±inf, NaN) is rare
    /// and goes to libm lane by lane, which gives the edge values. (SPLADE's head takes log1p
    /// over 30,522 logits per token: libm per element was a third of the whole model's time.)
    @inline(__always)
    static func log(_ x: SIMD8<Float>) -> SIMD8<Float> {
        // Written in AVX2 intrinsics: the same steps on SIMD8 were partly scalarised by the
        // compiler (the polynomial lane by lane, 1.8 ns per value against 0.9 here), with the
        // same roundings (no FMA), so the results are bit for bit those of that version.
        @_transparent func ci(_ k: Int32) -> __m256i { _mm256_set1_epi32(k) }
        @_transparent func c(_ k: Float) -> __m256 { _mm256_set1_ps(k) }
        let xi = unsafeBitCast(x, to: __m256i.self)
        // Positive normal floats are the bit patterns 0x0080_0000 ... 0x7f7f_ffff: outside,
        // t or 0x7eff_ffff − t goes negative, and movemask collects the sign bits.
        let t = _mm256_sub_epi32(xi, ci(0x0080_0000))
        let outside = _mm256_or_si256(t, _mm256_sub_epi32(ci(0x7eff_ffff), t))
        if _mm256_movemask_ps(_mm256_castsi256_ps(outside)) != 0 { return logLaneByLane(x) }
        // The range reduction without a compare and select: offsetting the bits by 1.0 − √½
        // moves the exponent's step from 1.0 to √½, so the mantissa, offset back, lands in
        // [√½, √2). The exponent becomes a float without a conversion: added to 1.5·2^23's
        // bits, an integer's float value minus 1.5·2^23 is the integer.
        let ix = _mm256_add_epi32(xi, ci(0x3f80_0000 - 0x3f35_04f3))
        let e = _mm256_sub_ps(_mm256_castsi256_ps(_mm256_add_epi32(_mm256_srai_epi32(ix, 23), ci(0x4B40_0000 - 127))),
                              c(12582912.0))
        let f = _mm256_sub_ps(_mm256_castsi256_ps(_mm256_add_epi32(_mm256_and_si256(ix, ci(0x007f_ffff)), ci(0x3f35_04f3))),
                              c(1))
        let z = _mm256_mul_ps(f, f)
        var y = c(7.0376836292e-2)
        y = _mm256_sub_ps(_mm256_mul_ps(y, f), c(1.1514610310e-1))
        y = _mm256_add_ps(_mm256_mul_ps(y, f), c(1.1676998740e-1))
        y = _mm256_sub_ps(_mm256_mul_ps(y, f), c(1.2420140846e-1))
        y = _mm256_add_ps(_mm256_mul_ps(y, f), c(1.4249322787e-1))
        y = _mm256_sub_ps(_mm256_mul_ps(y, f), c(1.6668057665e-1))
        y = _mm256_add_ps(_mm256_mul_ps(y, f), c(2.0000714765e-1))
        y = _mm256_sub_ps(_mm256_mul_ps(y, f), c(2.4999993993e-1))
        y = _mm256_add_ps(_mm256_mul_ps(y, f), c(3.3333331174e-1))
        y = _mm256_mul_ps(_mm256_mul_ps(y, f), z)
        y = _mm256_add_ps(y, _mm256_mul_ps(e, c(-2.12194440e-4)))
        y = _mm256_sub_ps(y, _mm256_mul_ps(z, c(0.5)))
        return _mm256_add_ps(_mm256_add_ps(f, y), _mm256_mul_ps(e, c(0.693359375)))
    }

    @inline(never)
    static func logLaneByLane(_ x: SIMD8<Float>) -> SIMD8<Float> {
        var r = SIMD8<Float>()
        for i in 0..<8 { r[i] = logf(x[i]) }
        return r
    }

    /// Abramowitz & Stegun 7.1.26.
    @_transparent
    static func erf(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let ax = simdAbs(x)
        let t = 1 / (1 + 0.3275911 * ax)
        var p = SIMD8<Float>(repeating: 1.061405429)
        p = p * t - 1.453152027
        p = p * t + 1.421413741
        p = p * t - 0.284496736
        p = p * t + 0.254829592
        p = p * t
        let y = 1 - p * exp(-(ax * ax))
        return y.replacing(with: -y, where: x .< 0)
    }

    @inline(__always)
    static func erf(_ x: Float) -> Float {
        erf(SIMD8<Float>(repeating: x))[0]
    }

    /// Exact (erf-based) GELU, as BERT and torch's default use.
    @_transparent
    static func gelu(_ x: SIMD8<Float>) -> SIMD8<Float> {
        0.5 * x * (1 + erf(x * 0.70710678118654752))
    }

    @_transparent
    static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> {
        1 / (1 + exp(-x))
    }

    @_transparent
    static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
        // tanh(x) = 2*sigmoid(2x) - 1, clamped where exp saturates.
        let c = vmin(vmax(x, SIMD8(repeating: -9)), SIMD8(repeating: 9))
        let e = exp(2 * c)
        return (e - 1) / (e + 1)
    }
}

// The standard library's pointwiseMin/Max are generic and were not inlined into hot
// loops (a call per vector); `replacing(with:where:)` was, but in a reduction loop it
// compiled to a compare, a max on one half and a blend on the other (softmax's row max:
// 10 cycles a step). maxps(b, a) is b > a ? b : a — a when either is NaN, as before.
@inline(__always)
func vmax(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { _mm256_max_ps(b, a) }

/// b < a ? b : a — a when either is NaN.
@inline(__always)
func vmin(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { _mm256_min_ps(b, a) }

@inline(__always)
func simdAbs(_ x: SIMD8<Float>) -> SIMD8<Float> {
    unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x7fff_ffff, to: SIMD8<Float>.self)
}

/// Applies a SIMD8 function over n floats, finishing the tail through a padded vector.
/// (Heavy functions are better as a `VectorEpilogue` type: a closure this large may stay
/// out of line, called per vector — `Activation.map`.)
@inline(__always)
func mapFloats(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int,
               _ f: (SIMD8<Float>) -> SIMD8<Float>) {
    var i = 0
    while i + 8 <= n {
        storeFloats(f(loadFloats(src + i)), dst + i)
        i += 8
    }
    if i < n {
        storeFloats(f(loadFloats(src + i, count: n - i)), dst + i, count: n - i)
    }
}

/// Eight floats from p (unaligned).
@inline(__always)
func loadFloats(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

/// The first `count` (< 8) floats from p, zeros after.
@inline(__always)
func loadFloats(_ p: UnsafePointer<Float>, count: Int) -> SIMD8<Float> {
    var v = SIMD8<Float>(repeating: 0)
    for j in 0..<count { v[j] = p[j] }
    return v
}

@inline(__always)
func storeFloats(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// The first `count` (< 8) lanes of v to p.
@inline(__always)
func storeFloats(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, count: Int) {
    for j in 0..<count { p[j] = v[j] }
}
