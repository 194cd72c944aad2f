import _Builtin_intrinsics.intel

/// One row of the fused SPLADE pooling (`MaskedLogMaxOp`): the running maxima of
/// log(row + addend) · mask, the arithmetic of the unfused Add, Log, Mul and ReduceMax.
enum LogMaxRow {
    /// o[i] = max(o[i], log(row[i] + addend) · mask), keeping o[i] where the value is NaN.
    @inline(__always)
    static func apply(_ row: UnsafePointer<Float>, _ n: Int, addend: Float, mask: Float, into o: UnsafeMutablePointer<Float>) {
        // Intrinsics rather than SIMD8 arithmetic, which the compiler scalarised around the log.
        let c = _mm256_set1_ps(addend), mv = _mm256_set1_ps(mask)
        var i = 0
        @inline(__always) func step(_ x: SIMD8<Float>, _ cur: SIMD8<Float>) -> SIMD8<Float> {
            // __m256 is SIMD8<Float> to Swift: no conversions between the two.
            let val = _mm256_mul_ps(VectorMath.log(_mm256_add_ps(x, c)), mv)
            // maxps(val, cur) is `val > cur ? val : cur`: a NaN value keeps cur, as ReduceMax's
            // Swift.max does; the two differ only in which zero wins a tie of +0 and -0.
            return _mm256_max_ps(val, cur)
        }
        let r = UnsafeRawPointer(row), d = UnsafeMutableRawPointer(o)
        while i + 8 <= n {
            let cur = d.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            d.storeBytes(of: step(r.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self), cur), toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        if i < n {
            // The tail through padded vectors (1 in the unused lanes: a valid log input).
            var xs = SIMD8<Float>(repeating: 1), cur = SIMD8<Float>(repeating: 0)
            for k in 0..<(n - i) { xs[k] = row[i + k]; cur[k] = o[i + k] }
            let res = step(xs, cur)
            for k in 0..<(n - i) { o[i + k] = res[k] }
        }
    }
}
