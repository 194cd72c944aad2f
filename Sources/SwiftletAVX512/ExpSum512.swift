// exp(x − shift) over 16 lanes for softmax, with the bits and the summation order of the
// 8-lane loop in the Swiftlet module (Kernels/ExpSum.swift). The exponential is a chain of
// ~20 dependent steps; in AVX2's 16 registers its constants were reloaded every vector.
import _Builtin_intrinsics.intel

public enum ExpSum512 {
    /// y[i] = exp(x[i] − shift) for i in 0..<n (n a multiple of 8) and the lane-wise sum of
    /// the 8-float vectors in order (acc + v₀ + v₁ + …, each addition rounded as before).
    public static func expSum(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, shift: Float) -> __m256 {
        let s = _mm512_set1_ps(shift)
        let upper = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 15, 14, 13, 12, 11, 10, 9, 8)
        var acc = _mm256_setzero_ps()
        var i = 0
        while i + 16 <= n {
            let e = Gelu512.exp(_mm512_sub_ps(_mm512_loadu_ps(x + i), s))
            _mm512_storeu_ps(y + i, e)
            acc = _mm256_add_ps(acc, _mm512_castps512_ps256(e))
            acc = _mm256_add_ps(acc, _mm512_castps512_ps256(_mm512_permutexvar_ps(upper, e)))
            i += 16
        }
        if i < n {
            // One 8-float vector left: the low half of a masked 16-lane one.
            let e = Gelu512.exp(_mm512_sub_ps(_mm512_maskz_loadu_ps(0xFF, x + i), s))
            _mm512_mask_storeu_ps(y + i, 0xFF, e)
            acc = _mm256_add_ps(acc, _mm512_castps512_ps256(e))
        }
        return acc
    }
}
