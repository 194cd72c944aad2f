#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Element-wise float functions that no fused kernel needs (trigonometry, the smooth
/// activations, Sign, Shrink): one scalar function per element through libm, which is
/// what the reference computes. Models use them on small tensors (positional encodings,
/// gates), so exactness matters more than SIMD here.
struct MathOp: Operator {
    enum Function: Equatable {
        case sin, cos, tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh, sign
        case softplus, softsign, mish
        case selu(alpha: Float, gamma: Float)
        case celu(alpha: Float)
        case thresholdedRelu(alpha: Float)
        case shrink(bias: Float, lambd: Float)
    }
    let function: Function

    /// The function ONNX op `n` computes, with its attributes as the spec defaults them.
    init?(onnx n: Node) {
        switch n.op {
        case "Sin": function = .sin
        case "Cos": function = .cos
        case "Tan": function = .tan
        case "Asin": function = .asin
        case "Acos": function = .acos
        case "Atan": function = .atan
        case "Sinh": function = .sinh
        case "Cosh": function = .cosh
        case "Asinh": function = .asinh
        case "Acosh": function = .acosh
        case "Atanh": function = .atanh
        case "Sign": function = .sign
        case "Softplus": function = .softplus
        case "Softsign": function = .softsign
        case "Mish": function = .mish
        case "Selu": function = .selu(alpha: n.float("alpha") ?? 1.67326319217681884765625, gamma: n.float("gamma") ?? 1.05070102214813232421875)
        case "Celu": function = .celu(alpha: n.float("alpha") ?? 1)
        case "ThresholdedRelu": function = .thresholdedRelu(alpha: n.float("alpha") ?? 1)
        case "Shrink": function = .shrink(bias: n.float("bias") ?? 0, lambd: n.float("lambd") ?? 0.5)
        default: return nil
        }
    }

    static let onnxOpTypes = ["Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh",
                              "Sign", "Softplus", "Softsign", "Mish", "Selu", "Celu", "ThresholdedRelu", "Shrink"]

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "X")
        if function == .sign, a.dtype != .float32 { return [try integerSign(a, ctx)] }
        guard a.dtype == .float32 else { throw SwiftletError.invalidInput("expected float32 input, got \(a.dtype.rawValue)") }
        let out = try ctx.alloc(.float32, a.shape)
        let s = a.f32, d = out.f32, f = function
        parallelChunks(a.count, threads: ctx.threads, minChunk: 4096) { range in
            for i in range { d[i] = MathOp.apply(f, s[i]) }
        }
        return [out]
    }

    @inline(__always)
    static func apply(_ f: Function, _ v: Float) -> Float {
        switch f {
        case .sin: return sinf(v)
        case .cos: return cosf(v)
        case .tan: return tanf(v)
        case .asin: return asinf(v)
        case .acos: return acosf(v)
        case .atan: return atanf(v)
        case .sinh: return sinhf(v)
        case .cosh: return coshf(v)
        case .asinh: return asinhf(v)
        case .acosh: return acoshf(v)
        case .atanh: return atanhf(v)
        case .sign: return v > 0 ? 1 : (v < 0 ? -1 : (v.isNaN ? v : 0))
        // log1p(exp(x)) overflows to inf past x ≈ 88 where the answer is x itself.
        case .softplus: return v > 20 ? v : log1pf(expf(v))
        case .softsign: return v / (1 + Swift.abs(v))
        case .mish: return v * tanhf(v > 20 ? v : log1pf(expf(v)))
        case .selu(let alpha, let gamma): return v > 0 ? gamma * v : gamma * (alpha * expf(v) - alpha)
        case .celu(let alpha): return Swift.max(0, v) + Swift.min(0, alpha * (expf(v / alpha) - 1))
        case .thresholdedRelu(let alpha): return v > alpha ? v : 0
        case .shrink(let bias, let lambd): return v < -lambd ? v + bias : (v > lambd ? v - bias : 0)
        }
    }

    private func integerSign(_ a: Tensor, _ ctx: ExecContext) throws -> Tensor {
        guard [.int64, .int32, .int8].contains(a.dtype) || a.dtype == .uint8 else {
            throw SwiftletError.invalidInput("Sign needs a numeric input, got \(a.dtype.rawValue)")
        }
        let v = a.int64Array().map { Int64($0.signum()) }
        let out = try ctx.alloc(a.dtype, a.shape)
        try writeInt64s(v, into: out)
        return out
    }
}

/// Stores Int64 values into an integer tensor of any width (wrapping, as a C cast would).
func writeInt64s(_ v: [Int64], into out: Tensor) throws {
    switch out.dtype {
    case .int64: for i in 0..<v.count { out.i64[i] = v[i] }
    case .int32: for i in 0..<v.count { out.i32[i] = Int32(truncatingIfNeeded: v[i]) }
    case .int8, .uint8, .bool: for i in 0..<v.count { out.u8[i] = UInt8(truncatingIfNeeded: v[i]) }
    case .float32, .float16: throw SwiftletError.invalidInput("expected an integer output, got \(out.dtype.rawValue)")
    }
}

/// PRelu: x where x ≥ 0, slope · x below, the slope broadcast to x's shape.
struct PReluOp: Operator {
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "X"), slope = try x.required(1, "slope")
        guard a.dtype == .float32, slope.dtype == .float32 else {
            throw SwiftletError.invalidInput("PRelu needs float32 X and slope, got \(a.dtype.rawValue) and \(slope.dtype.rawValue)")
        }
        let plan = try BroadcastPlan([a.shape, slope.shape])
        guard plan.outShape == a.shape else {
            throw SwiftletError.shapeMismatch("PRelu slope \(slope.shape) does not broadcast to X \(a.shape)")
        }
        let out = try ctx.alloc(.float32, a.shape)
        if out.count == 0 { return [out] }
        let inner = plan.inner, sa = plan.innerStride(0), sb = plan.innerStride(1)
        var offs = [0, 0]
        for r in 0..<plan.outerCount {
            plan.offsets(row: r, into: &offs)
            let o = out.f32 + r * inner, pa = a.f32 + offs[0], pb = slope.f32 + offs[1]
            for i in 0..<inner {
                let v = pa[i * sa]
                o[i] = v < 0 ? v * pb[i * sb] : v
            }
        }
        return [out]
    }
}

/// Sum and Mean over one or more inputs with multidirectional broadcasting: a left fold of
/// Add (the order the reference adds in), then one division for Mean.
struct SumOp: Operator {
    let mean: Bool

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        var acc = try x.required(0, "data_0")
        let add = BinaryOp(.add)
        for i in 1..<Swift.max(x.count, 1) { acc = try add.run([acc, try x.required(i, "data_\(i)")], ctx)[0] }
        if x.count == 1 {
            // A lone input is returned as a fresh tensor, so the output never aliases a graph input.
            let copy = try ctx.alloc(acc.dtype, acc.shape)
            memcpy(copy.raw, acc.raw, acc.byteCount)
            acc = copy
        }
        guard mean, x.count > 1 else { return [acc] }
        guard acc.dtype == .float32 else { throw SwiftletError.invalidInput("Mean needs float32 inputs, got \(acc.dtype.rawValue)") }
        let n = Float(x.count)
        for i in 0..<acc.count { acc.f32[i] /= n }
        return [acc]
    }
}

/// CastLike: Cast to the dtype of the second input.
struct CastLikeOp: Operator {
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "input"), like = try x.required(1, "target_type")
        return try CastOp(to: like.dtype).run([a], ctx)
    }
}
