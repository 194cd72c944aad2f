#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Binary arithmetic, comparison and logic ops with numpy broadcasting.
/// Float math is vectorized per inner row; integer math (shape arithmetic) is scalar.
struct BinaryOp: Operator {
    enum Kind { case add, sub, mul, div, pow, equal, less, lessOrEqual, greater, greaterOrEqual, and, or, xor, max, min, mod }
    let kind: Kind
    let fmod: Bool

    init(_ kind: Kind, fmod: Bool = false) {
        self.kind = kind
        self.fmod = fmod
    }

    var producesBool: Bool {
        switch kind {
        case .equal, .less, .lessOrEqual, .greater, .greaterOrEqual, .and, .or, .xor: return true
        default: return false
        }
    }

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "A"), b = try x.required(1, "B")
        if kind == .pow && a.dtype != b.dtype { return [try mixedPow(a, b, ctx)] }
        guard a.dtype == b.dtype else {
            throw SwiftletError.invalidInput("operands have different dtypes \(a.dtype.rawValue) and \(b.dtype.rawValue)")
        }
        let plan = try BroadcastPlan([a.shape, b.shape])
        let out = try ctx.alloc(producesBool ? .bool : a.dtype, plan.outShape)
        if out.count == 0 { return [out] }
        switch a.dtype {
        case .float32:
            if producesBool { compareFloat(plan, a, b, out) } else { try floatArith(plan, a, b, out, ctx) }
        case .int64, .int32, .bool, .uint8, .int8:
            try intOp(plan, a, b, out)
        case .float16:
            throw SwiftletError.invalidInput("float16 arithmetic is not supported; convert the model to float32")
        }
        return [out]
    }

    /// Pow's exponent may have another numeric type than its base (opset ≥ 12); the result
    /// has the base's. Computed in float32 (exact for the small integer powers models use).
    private func mixedPow(_ a: Tensor, _ b: Tensor, _ ctx: ExecContext) throws -> Tensor {
        for t in [a, b] where t.dtype == .bool || t.dtype == .float16 {
            throw SwiftletError.invalidInput("Pow with a \(t.dtype.rawValue) operand is not supported")
        }
        let fa = try CastOp(to: .float32).run([a], ctx)[0], fb = try CastOp(to: .float32).run([b], ctx)[0]
        let y = try BinaryOp(.pow).run([fa, fb], ctx)[0]
        return try CastOp(to: a.dtype).run([y], ctx)[0]
    }

    private func floatArith(_ plan: BroadcastPlan, _ a: Tensor, _ b: Tensor, _ out: Tensor, _ ctx: ExecContext) throws {
        let inner = plan.inner, sa = plan.innerStride(0), sb = plan.innerStride(1)
        let ap = a.f32, bp = b.f32, op = out.f32
        let kind = self.kind
        // Pow by a constant 2 or 0.5 is common (variance, norms): keep it exact and fast.
        var powSpecial: Float? = nil
        if kind == .pow, b.count == 1 { powSpecial = bp[0] }
        let rows = plan.outerCount
        // Same-shape operands collapse to one row: split rows into column pieces too, so
        // every thread gets work (element-wise results do not depend on the split).
        let split = ColumnSplit(rows: rows, inner: inner, threads: ctx.threads)
        let piece = split.piece
        parallelChunks(rows * split.perRow, threads: ctx.threads, minChunk: max(1, 32768 / piece)) { range in
            var offs = [0, 0]
            for item in range {
                let r = item / split.perRow, lo = (item % split.perRow) * piece
                let n = Swift.min(inner, lo + piece) - lo
                plan.offsets(row: r, into: &offs)
                let o = op + r * inner + lo
                let pa = ap + offs[0] + lo * sa, pb = bp + offs[1] + lo * sb
                switch kind {
                case .add: floatRow(o, pa, sa, pb, sb, n, { $0 + $1 }, { $0 + $1 })
                case .sub: floatRow(o, pa, sa, pb, sb, n, { $0 - $1 }, { $0 - $1 })
                case .mul: floatRow(o, pa, sa, pb, sb, n, { $0 * $1 }, { $0 * $1 })
                case .div: floatRow(o, pa, sa, pb, sb, n, { $0 / $1 }, { $0 / $1 })
                case .max: floatRow(o, pa, sa, pb, sb, n, { vmax($0, $1) }, { Swift.max($0, $1) })
                case .min: floatRow(o, pa, sa, pb, sb, n, { vmin($0, $1) }, { Swift.min($0, $1) })
                case .mod:
                    for i in 0..<n { o[i] = fmodFloat(pa[i * sa], pb[i * sb], fmod) }
                case .pow:
                    if powSpecial == 2 {
                        floatRow(o, pa, sa, pb, sb, n, { u, _ in u * u }, { u, _ in u * u })
                    } else if powSpecial == 0.5 {
                        floatRow(o, pa, sa, pb, sb, n, { u, _ in u.squareRoot() }, { u, _ in u.squareRoot() })
                    } else {
                        for i in 0..<n { o[i] = powf(pa[i * sa], pb[i * sb]) }
                    }
                default: break
                }
            }
        }
    }

    private func compareFloat(_ plan: BroadcastPlan, _ a: Tensor, _ b: Tensor, _ out: Tensor) {
        let inner = plan.inner, sa = plan.innerStride(0), sb = plan.innerStride(1)
        var offs = [0, 0]
        for r in 0..<plan.outerCount {
            plan.offsets(row: r, into: &offs)
            let o = out.u8 + r * inner
            let pa = a.f32 + offs[0], pb = b.f32 + offs[1]
            for i in 0..<inner {
                let u = pa[i * sa], v = pb[i * sb]
                let res: Bool
                switch kind {
                case .equal: res = u == v
                case .less: res = u < v
                case .lessOrEqual: res = u <= v
                case .greater: res = u > v
                case .greaterOrEqual: res = u >= v
                default: res = false
                }
                o[i] = res ? 1 : 0
            }
        }
    }

    private func intOp(_ plan: BroadcastPlan, _ a: Tensor, _ b: Tensor, _ out: Tensor) throws {
        let inner = plan.inner, sa = plan.innerStride(0), sb = plan.innerStride(1)
        let load: (Tensor, Int) -> Int64
        switch a.dtype {
        case .int64: load = { $0.i64[$1] }
        case .int32: load = { Int64($0.i32[$1]) }
        case .int8: load = { Int64(Int8(bitPattern: $0.u8[$1])) }
        default: load = { Int64($0.u8[$1]) }
        }
        let outDType = out.dtype
        var offs = [0, 0]
        for r in 0..<plan.outerCount {
            plan.offsets(row: r, into: &offs)
            for i in 0..<inner {
                let u = load(a, offs[0] + i * sa), v = load(b, offs[1] + i * sb)
                let res: Int64
                switch kind {
                case .add: res = u &+ v
                case .sub: res = u &- v
                case .mul: res = u &* v
                case .div:
                    guard v != 0 else { throw SwiftletError.runtime("integer division by zero") }
                    // ONNX integer Div truncates toward zero, like C.
                    res = u / v
                case .mod:
                    guard v != 0 else { throw SwiftletError.runtime("integer modulo by zero") }
                    let m = u % v
                    res = (!fmod && m != 0 && ((m < 0) != (v < 0))) ? m + v : m
                case .pow: res = Int64(Glibc.pow(Double(u), Double(v)))
                case .max: res = Swift.max(u, v)
                case .min: res = Swift.min(u, v)
                case .equal: res = u == v ? 1 : 0
                case .less: res = u < v ? 1 : 0
                case .lessOrEqual: res = u <= v ? 1 : 0
                case .greater: res = u > v ? 1 : 0
                case .greaterOrEqual: res = u >= v ? 1 : 0
                case .and: res = (u != 0 && v != 0) ? 1 : 0
                case .or: res = (u != 0 || v != 0) ? 1 : 0
                case .xor: res = ((u != 0) != (v != 0)) ? 1 : 0
                }
                let oi = r * inner + i
                switch outDType {
                case .int64: out.i64[oi] = res
                case .int32: out.i32[oi] = Int32(truncatingIfNeeded: res)
                default: out.u8[oi] = UInt8(truncatingIfNeeded: res)
                }
            }
        }
    }
}

@inline(__always)
private func fmodFloat(_ a: Float, _ b: Float, _ cStyle: Bool) -> Float {
    let m = fmodf(a, b)
    if cStyle || m == 0 || (m < 0) == (b < 0) { return m }
    return m + b
}

/// One inner row of a float binary op, specialised on which side is broadcast.
@inline(__always)
func floatRow(_ o: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ sa: Int,
              _ b: UnsafePointer<Float>, _ sb: Int, _ n: Int,
              _ v: (SIMD8<Float>, SIMD8<Float>) -> SIMD8<Float>, _ s: (Float, Float) -> Float) {
    var i = 0
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b), ro = UnsafeMutableRawPointer(o)
    if sa == 1 && sb == 1 {
        while i + 8 <= n {
            ro.storeBytes(of: v(ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self),
                                rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)),
                          toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n { o[i] = s(a[i], b[i]); i += 1 }
    } else if sa == 1 {
        let bv = SIMD8<Float>(repeating: b[0])
        while i + 8 <= n {
            ro.storeBytes(of: v(ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self), bv),
                          toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n { o[i] = s(a[i], b[0]); i += 1 }
    } else if sb == 1 {
        let av = SIMD8<Float>(repeating: a[0])
        while i + 8 <= n {
            ro.storeBytes(of: v(av, rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)),
                          toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n { o[i] = s(a[0], b[i]); i += 1 }
    } else {
        let r = s(a[0], b[0])
        for j in 0..<n { o[j] = r }
    }
}

/// Max/Min over one or three-plus inputs (multidirectional broadcast): a left fold of the
/// binary op, which gives the same values as one pass since max and min are associative.
struct VariadicOp: Operator {
    let kind: BinaryOp.Kind

    init(_ kind: BinaryOp.Kind) { self.kind = kind }

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        var acc = try x.required(0, "data_0")
        guard x.count > 1 else { return [acc] }
        let op = BinaryOp(kind)
        for i in 1..<x.count { acc = try op.run([acc, try x.required(i, "data_\(i)")], ctx)[0] }
        return [acc]
    }
}
