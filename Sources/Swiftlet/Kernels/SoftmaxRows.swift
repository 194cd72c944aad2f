#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SwiftletAVX512

/// y = softmax(x) (or log-softmax) over one row of n values; x and y may be the same.
@inline(__always)
func softmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ log: Bool) {
    var mx = -Float.infinity
    var i = 0
    let rx = UnsafeRawPointer(x)
    if n >= 8 {
        var mv8 = SIMD8<Float>(repeating: -.infinity)
        while i + 8 <= n { mv8 = vmax(mv8, rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)); i += 8 }
        mx = mv8.max()
    }
    while i < n { mx = Swift.max(mx, x[i]); i += 1 }
    if mx == -.infinity {
        // Every position masked out: 0/0, as the reference computes it.
        for j in 0..<n { y[j] = .nan }
        return
    }
    if log {
        var s: Float = 0
        for i in 0..<n { s += VectorMath.exp(x[i] - mx) }
        let ls = logf(s)
        for i in 0..<n { y[i] = x[i] - mx - ls }
        return
    }
    let inv = 1 / expShiftedSum(x, y, n, shift: mx)
    // exp already returns 0 far below the maximum; values that only drop under the smallest
    // normal float when divided by the sum are flushed too, so softmax never emits denormals
    // (slow operands for the GEMM that usually follows). Absolute error < 1.2e-38.
    let tiny = SIMD8<Float>(repeating: .leastNormalMagnitude)
    mapFloats(y, y, n) { v in
        let p = v * inv
        return p.replacing(with: SIMD8<Float>(), where: p .< tiny)
    }
}

/// row = softmax(row + mask) in place over n values (mask contiguous, or nil for none):
/// attention's per-row step. On AVX-512 the mask add, maximum and scaling run 16 lanes at
/// a time (SoftmaxRow512) around the shared exp-and-sum; elsewhere, the 8-lane
/// `softmaxRow`. Both give the same bits: the passes are element-wise or a maximum, which
/// no lane count changes (a NaN is skipped by both maxima; a ±0 maximum only shifts
/// values by zero), and the one ordered sum is `expShiftedSum`'s on both paths.
@inline(__always)
func maskedSoftmaxRow(_ row: UnsafeMutablePointer<Float>, mask: UnsafePointer<Float>?, _ n: Int) {
    if CPUFeatures.current.avx512 {
        let mx = SoftmaxRow512.addMax(row, mask, n).max
        if mx == -.infinity {
            // Every position masked out: 0/0, as the reference computes it.
            for j in 0..<n { row[j] = .nan }
            return
        }
        SoftmaxRow512.scaleFlush(row, n, 1 / expShiftedSum(row, row, n, shift: mx))
        return
    }
    if let mask { addRow(row, mask, n) }
    softmaxRow(row, row, n, false)
}

/// row[j] += mask[j] for j < n (mask contiguous, or nil), and the largest non-NaN value
/// (-inf if none) with whether any value is NaN: the first pass of `maskedSoftmaxRow`,
/// for callers that inspect the logits before the softmax.
@inline(__always)
func addMaskAndMax(_ row: UnsafeMutablePointer<Float>, mask: UnsafePointer<Float>?, _ n: Int) -> (max: Float, nan: Bool) {
    if CPUFeatures.current.avx512 { return SoftmaxRow512.addMax(row, mask, n) }
    if let mask { addRow(row, mask, n) }
    var mx = -Float.infinity, nan = false
    for j in 0..<n {
        if row[j].isNaN { nan = true } else { mx = Swift.max(mx, row[j]) }
    }
    return (mx, nan)
}

/// row[j] += mask[j] for j < n.
@inline(__always)
private func addRow(_ row: UnsafeMutablePointer<Float>, _ mask: UnsafePointer<Float>, _ n: Int) {
    var j = 0
    while j + 8 <= n {
        storeFloats(loadFloats(row + j) + loadFloats(mask + j), row + j)
        j += 8
    }
    while j < n { row[j] += mask[j]; j += 1 }
}
