#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Softmax / LogSoftmax. Opset ≥ 13 normalizes along one axis; older opsets flatten to
/// 2-D at `axis` and normalize each row — both become "rows of length L" here.
struct SoftmaxOp: Operator {
    let axis: Int
    let legacy: Bool   // opset < 13 semantics
    var log = false

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "input")
        guard a.dtype == .float32 else { throw SwiftletError.invalidInput("Softmax needs float32") }
        let ax = try normalizeAxis(axis, rank: a.rank)
        let out = try ctx.alloc(.float32, a.shape)
        if a.count == 0 { return [out] }
        let src = a.f32, dst = out.f32, logMode = log
        if legacy || ax == a.rank - 1 {
            let len = legacy ? a.shape[ax...].reduce(1, *) : a.shape[ax]
            let rows = a.count / len
            parallelChunks(rows, threads: ctx.threads, minChunk: max(1, 16384 / len)) { range in
                for r in range { softmaxRow(src + r * len, dst + r * len, len, logMode) }
            }
        } else {
            // Strided axis: gather each lane into a scratch row.
            let len = a.shape[ax], inner = a.shape[(ax + 1)...].reduce(1, *), outer = a.count / (len * inner)
            var tmpIn = [Float](repeating: 0, count: len), tmpOut = tmpIn
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * len * inner + i
                    for j in 0..<len { tmpIn[j] = src[base + j * inner] }
                    tmpIn.withUnsafeBufferPointer { pi in
                        tmpOut.withUnsafeMutableBufferPointer { po in softmaxRow(pi.baseAddress!, po.baseAddress!, len, logMode) }
                    }
                    for j in 0..<len { dst[base + j * inner] = tmpOut[j] }
                }
            }
        }
        return [out]
    }
}

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
