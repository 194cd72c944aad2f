#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Gather and scatter by index tensors: GatherElements, GatherND, ScatterElements,
/// ScatterND, OneHot, and selection by condition (NonZero, Compress). Elements are moved as bytes, so every dtype works; only the scatter
/// reductions do arithmetic. An index outside its axis is an error naming the index and
/// the axis size, never an out-of-bounds read or write.

/// `i` resolved against an axis of size `d` (negative counts from the end), or an error.
@inline(__always)
func resolveIndex(_ i: Int64, _ d: Int, _ what: String) throws -> Int {
    let k = i < 0 ? Int(i) + d : Int(i)
    guard k >= 0 && k < d else {
        throw SwiftletError.invalidInput("\(what) index \(i) out of range for an axis of size \(d)")
    }
    return k
}

/// Row-major element strides of `shape`.
func contiguousStrides(_ shape: [Int]) -> [Int] {
    var s = [Int](repeating: 1, count: shape.count)
    var acc = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
        s[i] = acc
        acc *= shape[i]
    }
    return s
}

/// How ScatterElements / ScatterND combine an update with the element already there.
enum ScatterReduction: String {
    case none, add, mul, max, min

    init(_ n: Node) throws {
        let s = n.string("reduction") ?? "none"
        guard let r = ScatterReduction(rawValue: s) else {
            throw SwiftletError.unsupportedOp(op: "\(n.op)(reduction=\(s))", node: n.name)
        }
        self = r
    }

    /// dst[di] = dst[di] ⊕ src[si], in the tensors' dtype.
    @inline(__always)
    func apply(_ dst: Tensor, _ di: Int, _ src: Tensor, _ si: Int) throws {
        let es = dst.dtype.byteSize
        if self == .none {
            memcpy(dst.raw + di * es, src.raw + si * es, es)
            return
        }
        switch dst.dtype {
        case .float32: dst.f32[di] = combine(dst.f32[di], src.f32[si])
        case .int64: dst.i64[di] = combineInt(dst.i64[di], src.i64[si])
        case .int32: dst.i32[di] = Int32(truncatingIfNeeded: combineInt(Int64(dst.i32[di]), Int64(src.i32[si])))
        case .int8:
            let v = combineInt(Int64(Int8(bitPattern: dst.u8[di])), Int64(Int8(bitPattern: src.u8[si])))
            dst.u8[di] = UInt8(truncatingIfNeeded: v)
        case .uint8, .bool: dst.u8[di] = UInt8(truncatingIfNeeded: combineInt(Int64(dst.u8[di]), Int64(src.u8[si])))
        case .float16: throw SwiftletError.invalidInput("scatter reduction '\(rawValue)' on float16 is not supported")
        }
    }

    @inline(__always)
    private func combine(_ a: Float, _ b: Float) -> Float {
        switch self {
        case .none: return b
        case .add: return a + b
        case .mul: return a * b
        case .max: return Swift.max(a, b)
        case .min: return Swift.min(a, b)
        }
    }

    @inline(__always)
    private func combineInt(_ a: Int64, _ b: Int64) -> Int64 {
        switch self {
        case .none: return b
        case .add: return a &+ b
        case .mul: return a &* b
        case .max: return Swift.max(a, b)
        case .min: return Swift.min(a, b)
        }
    }
}

/// GatherElements: out[i…] = data[i… with the axis coordinate replaced by indices[i…]].
struct GatherElementsOp: Operator {
    let axis: Int

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let data = try x.required(0, "data"), idx = try x.required(1, "indices")
        guard idx.rank == data.rank, data.rank > 0 else {
            throw SwiftletError.shapeMismatch("GatherElements indices rank \(idx.rank) differs from data rank \(data.rank)")
        }
        let ax = try normalizeAxis(axis, rank: data.rank)
        for k in 0..<data.rank where k != ax && idx.shape[k] > data.shape[k] {
            throw SwiftletError.shapeMismatch("GatherElements indices \(idx.shape) exceed data \(data.shape) on axis \(k)")
        }
        let indices = try idx.intValues()
        let out = try ctx.alloc(data.dtype, idx.shape)
        let es = data.dtype.byteSize, ds = contiguousStrides(data.shape), istr = contiguousStrides(idx.shape)
        for j in 0..<indices.count {
            var off = 0, rem = j
            for k in 0..<idx.rank {
                let c = rem / istr[k]
                rem %= istr[k]
                let coord = try k == ax ? resolveIndex(Int64(indices[j]), data.shape[ax], "GatherElements") : c
                off += coord * ds[k]
            }
            memcpy(out.raw + j * es, data.raw + off * es, es)
        }
        return [out]
    }
}

/// ScatterElements (and the deprecated Scatter): a copy of data with updates written at
/// the positions GatherElements would read, combined by `reduction`.
struct ScatterElementsOp: Operator {
    let axis: Int
    let reduction: ScatterReduction

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let data = try x.required(0, "data"), idx = try x.required(1, "indices"), upd = try x.required(2, "updates")
        guard idx.shape == upd.shape, idx.rank == data.rank, data.rank > 0 else {
            throw SwiftletError.shapeMismatch("ScatterElements needs indices \(idx.shape) and updates \(upd.shape) of one shape, of data's rank \(data.rank)")
        }
        guard upd.dtype == data.dtype else {
            throw SwiftletError.invalidInput("ScatterElements updates are \(upd.dtype.rawValue), data \(data.dtype.rawValue)")
        }
        let ax = try normalizeAxis(axis, rank: data.rank)
        for k in 0..<data.rank where k != ax && idx.shape[k] > data.shape[k] {
            throw SwiftletError.shapeMismatch("ScatterElements indices \(idx.shape) exceed data \(data.shape) on axis \(k)")
        }
        let indices = try idx.intValues()
        let out = try ctx.alloc(data.dtype, data.shape)
        memcpy(out.raw, data.raw, data.byteCount)
        let ds = contiguousStrides(data.shape), istr = contiguousStrides(idx.shape)
        for j in 0..<indices.count {
            var off = 0, rem = j
            for k in 0..<idx.rank {
                let c = rem / istr[k]
                rem %= istr[k]
                let coord = try k == ax ? resolveIndex(Int64(indices[j]), data.shape[ax], "ScatterElements") : c
                off += coord * ds[k]
            }
            try reduction.apply(out, off, upd, j)
        }
        return [out]
    }
}

/// Where each index tuple of GatherND / ScatterND lands: the element offset (within one
/// batch) of the slice it selects, checked against data's shape.
private struct IndexTuples {
    let batch: Int          // product of the batch dims
    let tuplesPerBatch: Int
    let sliceShape: [Int]   // data.shape[batchDims + m ...]
    let sliceCount: Int
    let batchElements: Int  // elements of data per batch
    let offsets: [Int]      // per tuple (all batches), element offset within its batch

    init(data: Tensor, indices: Tensor, batchDims b: Int, op: String) throws {
        let q = indices.rank, r = data.rank
        guard q >= 1, let m = indices.shape.last else { throw SwiftletError.shapeMismatch("\(op) indices must have rank ≥ 1") }
        guard b >= 0, b < Swift.min(q, r) else {
            throw SwiftletError.shapeMismatch("\(op) batch_dims \(b) must be below the ranks of data (\(r)) and indices (\(q))")
        }
        guard b + m <= r else {
            throw SwiftletError.shapeMismatch("\(op) index tuples of length \(m) exceed data rank \(r) (batch_dims \(b))")
        }
        guard Array(indices.shape[..<b]) == Array(data.shape[..<b]) else {
            throw SwiftletError.shapeMismatch("\(op) batch dims of indices \(indices.shape) and data \(data.shape) differ")
        }
        batch = data.shape[..<b].reduce(1, *)
        tuplesPerBatch = indices.shape[b..<(q - 1)].reduce(1, *)
        sliceShape = Array(data.shape[(b + m)...])
        sliceCount = sliceShape.reduce(1, *)
        batchElements = data.shape[b...].reduce(1, *)
        let strides = contiguousStrides(Array(data.shape[b...]))
        let v = indices.int64Array()
        var offs = [Int](repeating: 0, count: batch * tuplesPerBatch)
        for t in 0..<offs.count {
            var off = 0
            for k in 0..<m { off += try resolveIndex(v[t * m + k], data.shape[b + k], op) * strides[k] }
            offs[t] = off
        }
        offsets = offs
    }
}

/// GatherND: slices of data selected by index tuples (the last indices dim), with
/// `batch_dims` leading dims shared by data and indices.
struct GatherNDOp: Operator {
    let batchDims: Int

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let data = try x.required(0, "data"), idx = try x.required(1, "indices")
        guard idx.dtype == .int64 || idx.dtype == .int32 else { throw SwiftletError.invalidInput("GatherND indices must be int64, got \(idx.dtype.rawValue)") }
        let t = try IndexTuples(data: data, indices: idx, batchDims: batchDims, op: "GatherND")
        let out = try ctx.alloc(data.dtype, Array(idx.shape.dropLast()) + t.sliceShape)
        let es = data.dtype.byteSize, bytes = t.sliceCount * es
        for b in 0..<t.batch {
            for j in 0..<t.tuplesPerBatch {
                let tuple = b * t.tuplesPerBatch + j
                memcpy(out.raw + tuple * bytes, data.raw + (b * t.batchElements + t.offsets[tuple]) * es, bytes)
            }
        }
        return [out]
    }
}

/// ScatterND: a copy of data with each index tuple's slice replaced by (or combined with)
/// the matching slice of updates.
struct ScatterNDOp: Operator {
    let reduction: ScatterReduction

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let data = try x.required(0, "data"), idx = try x.required(1, "indices"), upd = try x.required(2, "updates")
        guard idx.dtype == .int64 || idx.dtype == .int32 else { throw SwiftletError.invalidInput("ScatterND indices must be int64, got \(idx.dtype.rawValue)") }
        guard upd.dtype == data.dtype else {
            throw SwiftletError.invalidInput("ScatterND updates are \(upd.dtype.rawValue), data \(data.dtype.rawValue)")
        }
        let t = try IndexTuples(data: data, indices: idx, batchDims: 0, op: "ScatterND")
        guard upd.shape == Array(idx.shape.dropLast()) + t.sliceShape else {
            throw SwiftletError.shapeMismatch("ScatterND updates \(upd.shape) must be indices.shape[:-1] + data slice \(Array(idx.shape.dropLast()) + t.sliceShape)")
        }
        let out = try ctx.alloc(data.dtype, data.shape)
        memcpy(out.raw, data.raw, data.byteCount)
        for (j, off) in t.offsets.enumerated() {
            if reduction == .none {
                let es = data.dtype.byteSize
                memcpy(out.raw + off * es, upd.raw + j * t.sliceCount * es, t.sliceCount * es)
            } else {
                for e in 0..<t.sliceCount { try reduction.apply(out, off + e, upd, j * t.sliceCount + e) }
            }
        }
        return [out]
    }
}

/// OneHot: a new axis of length depth holding on_value at each index and off_value
/// elsewhere. Per the spec an index outside [-depth, depth-1] gives a row of off_value.
struct OneHotOp: Operator {
    let axis: Int

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let idx = try x.required(0, "indices"), depthT = try x.required(1, "depth"), values = try x.required(2, "values")
        guard values.count == 2 else { throw SwiftletError.invalidInput("OneHot values must hold [off_value, on_value], got shape \(values.shape)") }
        let depthF = try depthT.scalarDouble()
        guard depthF.isFinite, depthF >= 1, depthF < Double(Int32.max) else {
            throw SwiftletError.invalidInput("OneHot depth \(depthF) must be a positive size")
        }
        let depth = Int(depthF)
        let ax = try normalizeAxis(axis, rank: idx.rank + 1)
        var outShape = idx.shape
        outShape.insert(depth, at: ax)
        let out = try ctx.alloc(values.dtype, outShape)
        let es = values.dtype.byteSize
        let outer = idx.shape[..<ax].reduce(1, *), inner = idx.shape[ax...].reduce(1, *)
        let v = idx.int64Array()
        for o in 0..<outer {
            for d in 0..<depth {
                for i in 0..<inner {
                    var k = v[o * inner + i]
                    if k < 0 { k += Int64(depth) }
                    let hit = k == Int64(d)
                    memcpy(out.raw + ((o * depth + d) * inner + i) * es, values.raw + (hit ? es : 0), es)
                }
            }
        }
        return [out]
    }
}

/// NonZero: the coordinates of the non-zero elements, as int64 [rank, count] in row-major
/// order of the elements.
struct NonZeroOp: Operator {
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "X")
        let nonZero: [Bool]
        switch a.dtype {
        case .float32, .float16: nonZero = a.floatArray().map { $0 != 0 }
        default: nonZero = a.int64Array().map { $0 != 0 }
        }
        let hits = nonZero.indices.filter { nonZero[$0] }
        let rank = a.rank
        let out = try ctx.alloc(.int64, [rank, hits.count])
        let strides = contiguousStrides(a.shape)
        for (j, flat) in hits.enumerated() {
            var rem = flat
            for k in 0..<rank {
                out.i64[k * hits.count + j] = Int64(rem / strides[k])
                rem %= strides[k]
            }
        }
        return [out]
    }
}

/// Compress: the slices along `axis` (or the elements of the flattened input, without an
/// axis) whose condition entry is true; a condition shorter than the axis selects from
/// its prefix only.
struct CompressOp: Operator {
    let axis: Int?

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        var a = try x.required(0, "input")
        let cond = try x.required(1, "condition")
        guard cond.rank == 1 else { throw SwiftletError.shapeMismatch("Compress condition must be 1-D, got \(cond.shape)") }
        var ax = 0
        if let axis { ax = try normalizeAxis(axis, rank: a.rank) } else { a = a.reshaped([a.count]) }
        guard a.rank > 0 else { throw SwiftletError.shapeMismatch("Compress needs rank ≥ 1, got a scalar") }
        let flags = cond.int64Array()
        guard flags.count <= a.shape[ax] else {
            throw SwiftletError.shapeMismatch("Compress condition of length \(flags.count) is longer than axis \(ax) of \(a.shape)")
        }
        let keep = flags.indices.filter { flags[$0] != 0 }
        var outShape = a.shape
        outShape[ax] = keep.count
        let out = try ctx.alloc(a.dtype, outShape)
        let v = AxisView(a.shape, ax), bytes = v.inner * a.dtype.byteSize
        for o in 0..<v.outer {
            for (j, k) in keep.enumerated() {
                memcpy(out.raw + (o * keep.count + j) * bytes, a.raw + (o * v.size + k) * bytes, bytes)
            }
        }
        return [out]
    }
}
