// The two cheap passes of a softmax row over 16 lanes: adding the mask while finding the
// maximum, and scaling by 1/sum with the denormal flush. With exp-and-sum (ExpSum512) they
// are a softmax of attention scores; in the 8-lane loops of the Swiftlet module they cost
// as much as the exponentials. Every step is element-wise or a maximum, so the bits are the
// 8-lane loops' bits (see Kernels/SoftmaxRows.swift).

public enum SoftmaxRow512 {
    /// row[j] += mask[j] (when mask is given) for j < n; returns the largest non-NaN value
    /// (-inf when there is none), as the 8-lane loop's `vmax`/`Swift.max` do, and whether
    /// any value was NaN.
    public static func addMax(_ row: UnsafeMutablePointer<Float>, _ mask: UnsafePointer<Float>?, _ n: Int) -> (max: Float, nan: Bool) {
        var acc = SIMD16<Float>(repeating: -.infinity)
        var nan = SIMDMask<SIMD16<Int32>>(repeating: false)
        let r = UnsafeMutableRawPointer(row)
        var i = 0
        if let mask {
            let m = UnsafeRawPointer(mask)
            while i + 16 <= n {
                let v = r.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self) + m.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
                r.storeBytes(of: v, toByteOffset: i &* 4, as: SIMD16<Float>.self)
                acc = acc.replacing(with: v, where: v .> acc)
                nan .|= v .!= v
                i &+= 16
            }
        } else {
            while i + 16 <= n {
                let v = r.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
                acc = acc.replacing(with: v, where: v .> acc)
                nan .|= v .!= v
                i &+= 16
            }
        }
        var mx = acc.max(), sawNaN = any(nan)
        while i < n {
            if let mask { row[i] += mask[i] }
            if row[i] > mx { mx = row[i] }
            sawNaN = sawNaN || row[i].isNaN
            i &+= 1
        }
        return (mx, sawNaN)
    }

    /// y[j] = y[j] · inv for j < n, with products below the smallest normal float set to 0.
    public static func scaleFlush(_ y: UnsafeMutablePointer<Float>, _ n: Int, _ inv: Float) {
        let s = SIMD16<Float>(repeating: inv), tiny = SIMD16<Float>(repeating: .leastNormalMagnitude)
        let r = UnsafeMutableRawPointer(y)
        var i = 0
        while i + 16 <= n {
            let p = r.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self) * s
            r.storeBytes(of: p.replacing(with: SIMD16<Float>(), where: p .< tiny), toByteOffset: i &* 4, as: SIMD16<Float>.self)
            i &+= 16
        }
        while i < n {
            let p = y[i] * inv
            y[i] = p < .leastNormalMagnitude ? 0 : p
            i &+= 1
        }
    }
}
