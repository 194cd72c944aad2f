#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// ReduceMean/Sum/Max/Min/Prod/L1/L2/SumSquare/LogSum/LogSumExp over a set of axes, keepdims as ONNX defines.
/// Axes come from the attribute (opset < 18, or < 13 for ReduceSum) or the second input.
struct ReduceOp: Operator {
    enum Kind { case mean, sum, max, min, prod, l2, sumSquare, l1, logSum, logSumExp }
    let kind: Kind
    let attrAxes: [Int]?
    let keepDims: Bool
    let noopWithEmptyAxes: Bool

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "data")
        if (kind == .max || kind == .min) && [.bool, .uint8, .int8].contains(a.dtype) {
            // ReduceMax/Min on bool (opset 20) and 8-bit types: through float32, exactly.
            let y = try run([try CastOp(to: .float32).run([a], ctx)[0]] + x.dropFirst(), ctx)[0]
            // An empty reduction gives ∓inf: the type's least (max) or greatest (min) value.
            let (lo, hi): (Float, Float) = a.dtype == .int8 ? (-128, 127) : (0, a.dtype == .bool ? 1 : 255)
            let out = try ctx.alloc(a.dtype, y.shape)
            for i in 0..<y.count {
                let v = Swift.min(Swift.max(y.f32[i], lo), hi)  // an element of the input: integral
                out.u8[i] = a.dtype == .int8 ? UInt8(bitPattern: Int8(v)) : UInt8(v)
            }
            return [out]
        }
        guard a.dtype == .float32 else { throw SwiftletError.invalidInput("Reduce needs float32, got \(a.dtype.rawValue)") }
        var axes = attrAxes ?? []
        if let t = x.optional(1) { axes = try t.intValues() }
        if axes.isEmpty {
            if noopWithEmptyAxes { return [a] }
            axes = Array(0..<a.rank)
        }
        let norm = Set(try axes.map { try normalizeAxis($0, rank: a.rank) })
        var outShape: [Int] = []
        for (i, d) in a.shape.enumerated() {
            if norm.contains(i) { if keepDims { outShape.append(1) } } else { outShape.append(d) }
        }
        let out = try ctx.alloc(.float32, outShape)
        // Iterate as [outer, reduced, inner] when the reduced axes are contiguous; else general.
        let sorted = norm.sorted()
        let contiguous = sorted.last! - sorted.first! + 1 == sorted.count
        if contiguous {
            let lo = sorted.first!, hi = sorted.last!
            let outer = a.shape[..<lo].reduce(1, *), red = a.shape[lo...hi].reduce(1, *), inner = a.shape[(hi + 1)...].reduce(1, *)
            let src = a.f32, dst = out.f32, kind = self.kind
            parallelChunks(outer, threads: ctx.threads, minChunk: max(1, 8192 / max(red * inner, 1))) { range in
                for o in range {
                    for i in 0..<inner {
                        let base = o * red * inner + i
                        dst[o * inner + i] = reduceLane(src + base, count: red, stride: inner, kind)
                    }
                }
            }
        } else {
            var lane = [Float]()
            let strides = a.shape.indices.map { a.shape[($0 + 1)...].reduce(1, *) }
            let keptAxes = (0..<a.rank).filter { !norm.contains($0) }
            let redAxes = sorted
            let outCount = keptAxes.reduce(1) { $0 * a.shape[$1] }
            let redCount = redAxes.reduce(1) { $0 * a.shape[$1] }
            for o in 0..<outCount {
                var rem = o, base = 0
                for ax in keptAxes.reversed() { base += (rem % a.shape[ax]) * strides[ax]; rem /= a.shape[ax] }
                lane.removeAll(keepingCapacity: true)
                for r in 0..<redCount {
                    var rr = r, off = base
                    for ax in redAxes.reversed() { off += (rr % a.shape[ax]) * strides[ax]; rr /= a.shape[ax] }
                    lane.append(a.f32[off])
                }
                out.f32[o] = lane.withUnsafeBufferPointer { reduceLane($0.baseAddress!, count: redCount, stride: 1, kind) }
            }
        }
        return [out]
    }
}

@inline(__always)
func reduceLane(_ p: UnsafePointer<Float>, count: Int, stride: Int, _ kind: ReduceOp.Kind) -> Float {
    switch kind {
    case .sum, .mean:
        var s: Float = 0
        if stride == 1 {
            var acc = SIMD8<Float>(repeating: 0)
            var i = 0
            let rp = UnsafeRawPointer(p)
            while i + 8 <= count { acc += rp.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self); i += 8 }
            s = acc.sum()
            while i < count { s += p[i]; i += 1 }
        } else {
            for i in 0..<count { s += p[i * stride] }
        }
        return kind == .mean ? s / Float(count) : s
    case .max:
        var m = -Float.infinity
        for i in 0..<count { m = Swift.max(m, p[i * stride]) }
        return m
    case .min:
        var m = Float.infinity
        for i in 0..<count { m = Swift.min(m, p[i * stride]) }
        return m
    case .prod:
        var m: Float = 1
        for i in 0..<count { m *= p[i * stride] }
        return m
    case .l2, .sumSquare:
        var s: Float = 0
        for i in 0..<count { s += p[i * stride] * p[i * stride] }
        return kind == .l2 ? s.squareRoot() : s
    case .l1:
        var s: Float = 0
        for i in 0..<count { s += Swift.abs(p[i * stride]) }
        return s
    case .logSum:
        var s: Float = 0
        for i in 0..<count { s += p[i * stride] }
        return logf(s)
    case .logSumExp:
        // Shifted by the maximum so large inputs do not overflow exp.
        var m = -Float.infinity
        for i in 0..<count { m = Swift.max(m, p[i * stride]) }
        if !m.isFinite { return count == 0 ? -.infinity : m }
        var s: Float = 0
        for i in 0..<count { s += expf(p[i * stride] - m) }
        return m + logf(s)
    }
}
