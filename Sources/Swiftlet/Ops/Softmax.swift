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
