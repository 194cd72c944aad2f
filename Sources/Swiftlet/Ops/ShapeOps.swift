#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Ops that only look at or rearrange shapes: most return views over their input's storage.
struct ShapeOp: Operator {
    let start: Int?, end: Int?
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "data")
        let r = a.rank
        func clampAxis(_ v: Int) -> Int { Swift.min(Swift.max(v < 0 ? v + r : v, 0), r) }
        let lo = clampAxis(start ?? 0), hi = clampAxis(end ?? r)
        let dims = lo < hi ? Array(a.shape[lo..<hi]) : []
        return [try Tensor(int64s: dims.map { Int64($0) }, shape: [dims.count])]
    }
}

struct ReshapeOp: Operator {
    let allowZero: Bool
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "data"), s = try x.required(1, "shape")
        var dims = try s.intValues()
        var infer = -1
        for i in dims.indices {
            if dims[i] == 0 && !allowZero {
                guard i < a.rank else { throw SwiftletError.shapeMismatch("Reshape copies dim \(i) of \(a.shape), which has none") }
                dims[i] = a.shape[i]
            } else if dims[i] == -1 {
                guard infer < 0 else { throw SwiftletError.shapeMismatch("Reshape target \(dims) has two -1 entries") }
                infer = i
            } else if dims[i] < 0 {
                throw SwiftletError.shapeMismatch("Reshape target has negative dim \(dims[i])")
            }
        }
        if infer >= 0 {
            let known = dims.enumerated().filter { $0.offset != infer }.reduce(1) { $0 * $1.element }
            guard known > 0, a.count % known == 0 else { throw SwiftletError.shapeMismatch("cannot reshape \(a.shape) to \(try s.intValues())") }
            dims[infer] = a.count / known
        }
        guard dims.reduce(1, *) == a.count else { throw SwiftletError.shapeMismatch("cannot reshape \(a.shape) (\(a.count) elements) to \(dims)") }
        return [a.reshaped(dims)]
    }
}

struct FlattenOp: Operator {
    let axis: Int
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "input")
        let ax = axis < 0 ? axis + a.rank : axis
        guard ax >= 0 && ax <= a.rank else { throw SwiftletError.shapeMismatch("Flatten axis \(axis) for rank \(a.rank)") }
        return [a.reshaped([a.shape[..<ax].reduce(1, *), a.shape[ax...].reduce(1, *)])]
    }
}

struct SqueezeOp: Operator {
    let attrAxes: [Int]?
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "data")
        var axes = attrAxes
        if let t = x.optional(1) { axes = try t.intValues() }
        var shape: [Int] = []
        if let axes {
            let n = Set(try axes.map { try normalizeAxis($0, rank: a.rank) })
            for (i, d) in a.shape.enumerated() {
                if n.contains(i) {
                    guard d == 1 else { throw SwiftletError.shapeMismatch("Squeeze axis \(i) has size \(d) in \(a.shape)") }
                } else { shape.append(d) }
            }
        } else {
            shape = a.shape.filter { $0 != 1 }
        }
        return [a.reshaped(shape)]
    }
}

struct UnsqueezeOp: Operator {
    let attrAxes: [Int]?
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "data")
        var axes = attrAxes ?? []
        if let t = x.optional(1) { axes = try t.intValues() }
        let r = a.rank + axes.count
        let n = Set(try axes.map { try normalizeAxis($0, rank: r) })
        guard n.count == axes.count else { throw SwiftletError.shapeMismatch("Unsqueeze axes \(axes) repeat") }
        var shape: [Int] = []
        var it = a.shape.makeIterator()
        for i in 0..<r { shape.append(n.contains(i) ? 1 : it.next()!) }
        return [a.reshaped(shape)]
    }
}

struct TransposeOp: Operator {
    let perm: [Int]?
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "data")
        let p = perm ?? Array((0..<a.rank).reversed())
        guard p.count == a.rank, Set(p) == Set(0..<a.rank) else {
            throw SwiftletError.shapeMismatch("Transpose perm \(p) does not fit rank \(a.rank)")
        }
        let outShape = p.map { a.shape[$0] }
        let out = try ctx.alloc(a.dtype, outShape)
        let inStrides = a.shape.indices.map { a.shape[($0 + 1)...].reduce(1, *) }
        try stridedCopy(src: a, srcStrides: p.map { inStrides[$0] }, dst: out, threads: ctx.threads)
        return [out]
    }
}

/// Copies `src` into contiguous `dst` reading element i at Σ idx_k·srcStrides[k].
/// Runs of the innermost dimension are copied with memcpy when they are contiguous.
func stridedCopy(src: Tensor, srcOffset: Int = 0, srcStrides: [Int], dst: Tensor, threads: Int) throws {
    let shape = dst.shape
    let es = src.dtype.byteSize
    guard !shape.isEmpty else {
        memcpy(dst.raw, src.raw + srcOffset * es, es)
        return
    }
    let inner = shape.last!, innerStride = srcStrides.last!
    let rows = dst.count / max(inner, 1)
    if dst.count == 0 { return }
    let sBase = src.raw + srcOffset * es, dBase = dst.raw
    parallelChunks(rows, threads: dst.count > 1 << 16 ? threads : 1, minChunk: 16) { range in
        for r in range {
            var rem = r, off = 0
            var k = shape.count - 2
            while k >= 0 { off += (rem % shape[k]) * srcStrides[k]; rem /= shape[k]; k -= 1 }
            let d = dBase + r * inner * es
            if innerStride == 1 {
                memcpy(d, sBase + off * es, inner * es)
            } else if es == 4 {
                let sp = (sBase + off * es).assumingMemoryBound(to: UInt32.self), dp = d.assumingMemoryBound(to: UInt32.self)
                for i in 0..<inner { dp[i] = sp[i * innerStride] }
            } else if es == 8 {
                let sp = (sBase + off * es).assumingMemoryBound(to: UInt64.self), dp = d.assumingMemoryBound(to: UInt64.self)
                for i in 0..<inner { dp[i] = sp[i * innerStride] }
            } else {
                for i in 0..<inner { memcpy(d + i * es, sBase + (off + i * innerStride) * es, es) }
            }
        }
    }
}

struct ConcatOp: Operator {
    let axis: Int
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let parts = x.compactMap { $0 }
        guard let first = parts.first else { throw SwiftletError.invalidInput("Concat with no inputs") }
        let ax = try normalizeAxis(axis, rank: first.rank)
        var outShape = first.shape
        outShape[ax] = 0
        for p in parts {
            guard p.rank == first.rank, p.dtype == first.dtype,
                  p.shape.enumerated().allSatisfy({ $0.offset == ax || $0.element == first.shape[$0.offset] }) else {
                throw SwiftletError.shapeMismatch("Concat inputs \(parts.map(\.shape)) differ off axis \(ax)")
            }
            outShape[ax] += p.shape[ax]
        }
        let out = try ctx.alloc(first.dtype, outShape)
        let es = first.dtype.byteSize
        let outer = outShape[..<ax].reduce(1, *), inner = outShape[(ax + 1)...].reduce(1, *)
        let rowBytes = outShape[ax] * inner * es
        let copies = ConcatCopies(parts: parts.map { ($0.raw, $0.shape[ax] * inner * es) }, outer: outer, rowBytes: rowBytes)
        copies.run(into: out.raw, threads: ctx.threads)
        return [out]
    }
}

struct SplitOp: Operator {
    let axis: Int
    let attrSplit: [Int]?
    let outputs: Int
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "input")
        let ax = try normalizeAxis(axis, rank: a.rank)
        var sizes = attrSplit
        if let t = x.optional(1) { sizes = try t.intValues() }
        let d = a.shape[ax]
        if sizes == nil {
            let per = (d + outputs - 1) / outputs
            sizes = (0..<outputs).map { Swift.min(per, Swift.max(0, d - $0 * per)) }
        }
        guard let s = sizes, s.count == outputs, s.reduce(0, +) == d else { throw SwiftletError.shapeMismatch("Split sizes \(sizes ?? []) do not sum to \(d)") }
        let es = a.dtype.byteSize, outer = a.shape[..<ax].reduce(1, *), inner = a.shape[(ax + 1)...].reduce(1, *)
        var results: [Tensor] = []
        var start = 0
        for n in s {
            var shape = a.shape
            shape[ax] = n
            let out = try ctx.alloc(a.dtype, shape)
            for o in 0..<outer where n > 0 {
                memcpy(out.raw + o * n * inner * es, a.raw + (o * d + start) * inner * es, n * inner * es)
            }
            start += n
            results.append(out)
        }
        return results
    }
}

struct SliceOp: Operator {
    // Opset < 10 passes these as attributes.
    let attrStarts: [Int]?, attrEnds: [Int]?, attrAxes: [Int]?
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "data")
        let starts = try x.optional(1)?.intValues() ?? attrStarts ?? []
        let ends = try x.optional(2)?.intValues() ?? attrEnds ?? []
        let axes = try x.optional(3)?.intValues() ?? attrAxes ?? Array(0..<starts.count)
        let steps = try x.optional(4)?.intValues() ?? [Int](repeating: 1, count: starts.count)
        guard starts.count == ends.count, axes.count == starts.count, steps.count == starts.count else {
            throw SwiftletError.shapeMismatch("Slice starts/ends/axes/steps lengths differ")
        }
        var lo = [Int](repeating: 0, count: a.rank), step = [Int](repeating: 1, count: a.rank), len = a.shape
        for (i, axRaw) in axes.enumerated() {
            let ax = try normalizeAxis(axRaw, rank: a.rank)
            let d = a.shape[ax], st = steps[i]
            guard st != 0 else { throw SwiftletError.shapeMismatch("Slice step 0") }
            var s = starts[i] < 0 ? starts[i] + d : starts[i]
            var e = ends[i] < 0 ? ends[i] + d : ends[i]
            if st > 0 {
                s = Swift.min(Swift.max(s, 0), d); e = Swift.min(Swift.max(e, 0), d)
                len[ax] = e > s ? (e - s + st - 1) / st : 0
            } else {
                s = Swift.min(Swift.max(s, -1), d - 1); e = Swift.min(Swift.max(e, -1), d - 1)
                len[ax] = s > e ? (s - e - st - 1) / (-st) : 0
            }
            lo[ax] = s; step[ax] = st
        }
        let out = try ctx.alloc(a.dtype, len)
        if out.count == 0 { return [out] }
        let strides = a.shape.indices.map { a.shape[($0 + 1)...].reduce(1, *) }
        let offset = zip(lo, strides).reduce(0) { $0 + $1.0 * $1.1 }
        try stridedCopy(src: a, srcOffset: offset, srcStrides: zip(strides, step).map { $0 * $1 }, dst: out, threads: ctx.threads)
        return [out]
    }
}

struct GatherOp: Operator {
    let axis: Int
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let data = try x.required(0, "data"), idx = try x.required(1, "indices")
        let ax = try normalizeAxis(axis, rank: data.rank)
        let indices = try idx.intValues()
        let d = data.shape[ax]
        let outShape = Array(data.shape[..<ax]) + idx.shape + Array(data.shape[(ax + 1)...])
        let out = try ctx.alloc(data.dtype, outShape)
        let es = data.dtype.byteSize
        let outer = data.shape[..<ax].reduce(1, *), inner = data.shape[(ax + 1)...].reduce(1, *)
        let block = inner * es
        var resolved = [Int](repeating: 0, count: indices.count)
        for (j, i) in indices.enumerated() {
            let k = i < 0 ? i + d : i
            guard k >= 0 && k < d else { throw SwiftletError.invalidInput("Gather index \(i) out of range for axis of size \(d)") }
            resolved[j] = k
        }
        for o in 0..<outer {
            for (j, k) in resolved.enumerated() {
                memcpy(out.raw + (o * indices.count + j) * block, data.raw + (o * d + k) * block, block)
            }
        }
        return [out]
    }
}

/// Broadcasting copy used by Expand.
struct ExpandOp: Operator {
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "input"), s = try x.required(1, "shape")
        let plan = try BroadcastPlan([a.shape, try s.intValues()])
        let out = try ctx.alloc(a.dtype, plan.outShape)
        let r = plan.outShape.count
        var strides = [Int](repeating: 0, count: r)
        var acc = 1
        for i in stride(from: a.rank - 1, through: 0, by: -1) {
            strides[r - a.rank + i] = a.shape[i] == 1 ? 0 : acc
            acc *= a.shape[i]
        }
        try stridedCopy(src: a, srcStrides: strides, dst: out, threads: ctx.threads)
        return [out]
    }
}

struct WhereOp: Operator {
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let c = try x.required(0, "condition"), a = try x.required(1, "X"), b = try x.required(2, "Y")
        guard a.dtype == b.dtype else { throw SwiftletError.invalidInput("Where branches differ in dtype") }
        let plan = try BroadcastPlan([c.shape, a.shape, b.shape])
        let out = try ctx.alloc(a.dtype, plan.outShape)
        let es = a.dtype.byteSize, inner = plan.inner
        let sc = plan.innerStride(0), sa = plan.innerStride(1), sb = plan.innerStride(2)
        var offs = [0, 0, 0]
        for r in 0..<plan.outerCount {
            plan.offsets(row: r, into: &offs)
            let o = out.raw + r * inner * es
            if es == 4 {
                let op = o.assumingMemoryBound(to: UInt32.self)
                let ap = a.raw.assumingMemoryBound(to: UInt32.self) + offs[1], bp = b.raw.assumingMemoryBound(to: UInt32.self) + offs[2]
                let cp = c.u8 + offs[0]
                for i in 0..<inner { op[i] = cp[i * sc] != 0 ? ap[i * sa] : bp[i * sb] }
            } else {
                for i in 0..<inner {
                    let useA = c.u8[offs[0] + i * sc] != 0
                    memcpy(o + i * es, useA ? a.raw + (offs[1] + i * sa) * es : b.raw + (offs[2] + i * sb) * es, es)
                }
            }
        }
        return [out]
    }
}

/// ONNX Range: start, start + delta, … while below (above, for a negative delta) limit.
/// The spec's types are float, double, int16, int32, int64; this build runs float32,
/// float16, int32 and int64 and refuses the others (each element is written at its own
/// width: a 4-byte store into 1- or 2-byte elements once corrupted the heap). Integer
/// ranges are computed in Int64 exactly; non-finite bounds and counts beyond 2^31 are
/// errors, never traps.
struct RangeOp: Operator {
    static let maxCount = 1 << 31

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let s = try x.required(0, "start"), l = try x.required(1, "limit"), d = try x.required(2, "delta")
        guard s.dtype == l.dtype, s.dtype == d.dtype else {
            throw SwiftletError.invalidInput("Range inputs must share one type, got \(s.dtype), \(l.dtype), \(d.dtype)")
        }
        switch s.dtype {
        case .int64, .int32:
            return [try integerRange(try s.scalarInt64(), try l.scalarInt64(), try d.scalarInt64(), dtype: s.dtype, ctx)]
        case .float32, .float16:
            let start = try s.scalarDouble(), limit = try l.scalarDouble(), delta = try d.scalarDouble()
            guard start.isFinite, limit.isFinite, delta.isFinite else {
                throw SwiftletError.invalidInput("Range bounds must be finite, got start \(start), limit \(limit), delta \(delta)")
            }
            guard delta != 0 else { throw SwiftletError.invalidInput("Range delta is 0") }
            let steps = ((limit - start) / delta).rounded(.up)
            guard steps.isFinite, steps <= Double(Self.maxCount) else { throw SwiftletError.invalidInput("Range of \(steps) elements") }
            let n = Swift.max(0, Int(steps))
            let out = try ctx.alloc(s.dtype, [n])
            if s.dtype == .float32 {
                let o = out.f32
                for i in 0..<n { o[i] = Float(start + Double(i) * delta) }
            } else {
                let o = out.raw.assumingMemoryBound(to: Float16.self)
                for i in 0..<n { o[i] = Float16(Float(start + Double(i) * delta)) }
            }
            return [out]
        default:
            throw SwiftletError.invalidInput("Range of \(s.dtype) is not supported (float32, float16, int32, int64)")
        }
    }

    private func integerRange(_ start: Int64, _ limit: Int64, _ delta: Int64, dtype: DType, _ ctx: ExecContext) throws -> Tensor {
        guard delta != 0 else { throw SwiftletError.invalidInput("Range delta is 0") }
        // ceil((limit − start) / delta) without overflow: in 128-bit-safe steps via Double
        // would round, so subtract with an overflow check and divide exactly.
        let (span, overflow) = limit.subtractingReportingOverflow(start)
        guard !overflow else { throw SwiftletError.invalidInput("Range from \(start) to \(limit) overflows") }
        var n: Int64 = 0
        if (span > 0 && delta > 0) || (span < 0 && delta < 0) {
            let q = span / delta
            n = q * delta == span ? q : q + 1
        }
        guard n <= Int64(Self.maxCount) else { throw SwiftletError.invalidInput("Range of \(n) elements") }
        let out = try ctx.alloc(dtype, [Int(n)])
        // Every value lies between start and limit, so neither the product nor the sum
        // can overflow Int64, and each fits the (shared) input type.
        for i in 0..<Int(n) {
            let v = start &+ Int64(i) &* delta
            if dtype == .int64 { out.i64[i] = v } else { out.i32[i] = Int32(truncatingIfNeeded: v) }
        }
        return out
    }
}

struct ConstantOfShapeOp: Operator {
    let value: Tensor?
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let dims = try x.required(0, "input").intValues()
        guard dims.allSatisfy({ $0 >= 0 }) else { throw SwiftletError.shapeMismatch("ConstantOfShape dims \(dims)") }
        let dtype = value?.dtype ?? .float32
        let out = try ctx.alloc(dtype, dims)
        let es = dtype.byteSize
        if let v = value {
            for i in 0..<out.count { memcpy(out.raw + i * es, v.raw, es) }
        } else {
            memset(out.raw, 0, out.byteCount)
        }
        return [out]
    }
}

struct CumSumOp: Operator {
    let exclusive: Bool, reverse: Bool
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "x"), axT = try x.required(1, "axis")
        let ax = try normalizeAxis(try axT.intValues().first ?? 0, rank: a.rank)
        let d = a.shape[ax], outer = a.shape[..<ax].reduce(1, *), inner = a.shape[(ax + 1)...].reduce(1, *)
        let out = try ctx.alloc(a.dtype, a.shape)
        for o in 0..<outer {
            for i in 0..<inner {
                var accI: Int64 = 0, accF: Float = 0
                for j0 in 0..<d {
                    let j = reverse ? d - 1 - j0 : j0
                    let k = (o * d + j) * inner + i
                    switch a.dtype {
                    case .int64:
                        if exclusive { out.i64[k] = accI; accI += a.i64[k] } else { accI += a.i64[k]; out.i64[k] = accI }
                    case .int32:
                        if exclusive { out.i32[k] = Int32(accI); accI += Int64(a.i32[k]) } else { accI += Int64(a.i32[k]); out.i32[k] = Int32(accI) }
                    case .float32:
                        if exclusive { out.f32[k] = accF; accF += a.f32[k] } else { accF += a.f32[k]; out.f32[k] = accF }
                    default: throw SwiftletError.invalidInput("CumSum on \(a.dtype.rawValue)")
                    }
                }
            }
        }
        return [out]
    }
}
