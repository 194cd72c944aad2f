#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// The elements of a numeric tensor in a type that orders them exactly: floats as Float,
/// integers as Int64 (a Double would merge large int64 values).
enum OrderKeys {
    case float([Float])
    case int([Int64])

    init(_ t: Tensor, op: String) throws {
        switch t.dtype {
        case .float32, .float16: self = .float(t.floatArray())
        case .int64, .int32, .int8, .uint8: self = .int(t.int64Array())
        case .bool: throw SwiftletError.invalidInput("\(op) needs a numeric input, got bool")
        }
    }
}

/// The [outer, axis, inner] view of a shape around one axis.
struct AxisView {
    let outer: Int, size: Int, inner: Int

    init(_ shape: [Int], _ axis: Int) {
        outer = shape[..<axis].reduce(1, *)
        size = shape[axis]
        inner = shape[(axis + 1)...].reduce(1, *)
    }
}

/// ArgMax / ArgMin: the index of the first (or, with select_last_index, the last) extreme
/// element along an axis, as int64.
struct ArgReduceOp: Operator {
    let isMax: Bool
    let axis: Int
    let keepDims: Bool
    let selectLast: Bool

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "data")
        let op = isMax ? "ArgMax" : "ArgMin"
        let ax = try normalizeAxis(axis, rank: a.rank)
        guard a.rank > 0, a.shape[ax] > 0 else { throw SwiftletError.shapeMismatch("\(op) over an empty axis of \(a.shape)") }
        var outShape = a.shape
        if keepDims { outShape[ax] = 1 } else { outShape.remove(at: ax) }
        let out = try ctx.alloc(.int64, outShape)
        let v = AxisView(a.shape, ax)
        switch try OrderKeys(a, op: op) {
        case .float(let k): fill(out, k, v)
        case .int(let k): fill(out, k, v)
        }
        return [out]
    }

    private func fill<T: Comparable>(_ out: Tensor, _ k: [T], _ v: AxisView) {
        for o in 0..<v.outer {
            for i in 0..<v.inner {
                let base = o * v.size * v.inner + i
                var best = 0, bv = k[base]
                for j in 1..<v.size {
                    let e = k[base + j * v.inner]
                    let better = isMax ? (selectLast ? e >= bv : e > bv) : (selectLast ? e <= bv : e < bv)
                    if better { best = j; bv = e }
                }
                out.i64[o * v.inner + i] = Int64(best)
            }
        }
    }
}

/// Hardmax: 1 at the first maximum along the axis, 0 elsewhere. Before opset 13 the input
/// is read as a 2-D [before axis, from axis on] matrix (axis default 1); from 13 on, along
/// one axis (default -1).
struct HardmaxOp: Operator {
    let axis: Int
    let coerce2D: Bool

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "input")
        guard a.dtype == .float32 else { throw SwiftletError.invalidInput("Hardmax needs float32, got \(a.dtype.rawValue)") }
        guard a.rank > 0 else { throw SwiftletError.shapeMismatch("Hardmax needs rank ≥ 1, got a scalar") }
        let ax = try normalizeAxis(axis, rank: a.rank)
        let v = coerce2D ? AxisView([a.shape[..<ax].reduce(1, *), a.shape[ax...].reduce(1, *)], 1) : AxisView(a.shape, ax)
        let out = try ctx.alloc(.float32, a.shape)
        memset(out.raw, 0, out.byteCount)
        guard v.size > 0 else { return [out] }
        for o in 0..<v.outer {
            for i in 0..<v.inner {
                let base = o * v.size * v.inner + i
                var best = 0, bv = a.f32[base]
                for j in 1..<Swift.max(v.size, 1) where a.f32[base + j * v.inner] > bv { best = j; bv = a.f32[base + j * v.inner] }
                out.f32[base + best * v.inner] = 1
            }
        }
        return [out]
    }
}
