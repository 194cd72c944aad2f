#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Element-wise float functions: math, and every `Activation` (its one implementation,
/// shared with the fused conv/GEMM epilogues), vectorized through `mapFloats`.
struct UnaryOp: Operator {
    enum Kind: Equatable {
        case sqrt, erf, exp, log, neg, abs, tanh, reciprocal, floor, ceil, round, identity
        /// Gelu(approximate="tanh"): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
        case geluTanh
        case activation(Activation)
    }
    let kind: Kind

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "X")
        if kind == .identity { return [a] }
        if kind == .neg, a.dtype == .int64 {
            let out = try ctx.alloc(.int64, a.shape)
            for i in 0..<a.count { out.i64[i] = -a.i64[i] }
            return [out]
        }
        if case .activation(.clip) = kind, a.dtype != .float32 { return [try clipIntegers(a, x, ctx)] }
        guard a.dtype == .float32 else { throw SwiftletError.invalidInput("expected float32 input, got \(a.dtype.rawValue)") }
        var kind = self.kind
        if case .activation(.clip(var lo, var hi)) = kind {
            // Opset >= 11 passes bounds as optional inputs; older opsets as attributes.
            if let t = x.optional(1) { lo = Float(try t.scalarDouble()) }
            if let t = x.optional(2) { hi = Float(try t.scalarDouble()) }
            kind = .activation(.clip(lo: lo, hi: hi))
        }
        let out = try ctx.alloc(.float32, a.shape)
        let n = a.count
        let src = a.f32, dst = out.f32
        parallelChunks((n + 4095) / 4096, threads: ctx.threads, minChunk: 8) { blocks in
            let lo2 = blocks.lowerBound * 4096, hi2 = Swift.min(n, blocks.upperBound * 4096)
            let s = src + lo2, d = dst + lo2, m = hi2 - lo2
            switch kind {
            case .activation(let act): act.map(s, d, m)
            case .sqrt: mapFloats(s, d, m) { $0.squareRoot() }
            case .erf: mapFloats(s, d, m) { VectorMath.erf($0) }
            case .exp: mapFloats(s, d, m) { VectorMath.exp($0) }
            case .neg: mapFloats(s, d, m) { -$0 }
            case .abs: mapFloats(s, d, m) { simdAbs($0) }
            case .tanh: mapFloats(s, d, m) { VectorMath.tanh($0) }
            case .reciprocal: mapFloats(s, d, m) { 1 / $0 }
            case .floor: mapFloats(s, d, m) { $0.rounded(.down) }
            case .ceil: mapFloats(s, d, m) { $0.rounded(.up) }
            case .round: mapFloats(s, d, m) { $0.rounded(.toNearestOrEven) }
            case .log: mapFloats(s, d, m) { VectorMath.log($0) }
            case .identity: break
            case .geluTanh:
                mapFloats(s, d, m) { v in
                    let inner = (v + v * v * v * 0.044715) * 0.7978845608028654
                    return v * 0.5 * (VectorMath.tanh(inner) + 1)
                }
            }
        }
        return [out]
    }
}

/// Clip on an integer tensor (opset ≥ 12): bounds are inputs of the same type, exact
/// (through Int64, which holds every integer dtype a tensor can have).
private func clipIntegers(_ a: Tensor, _ x: [Tensor?], _ ctx: ExecContext) throws -> Tensor {
    guard [.int64, .int32, .int8, .uint8].contains(a.dtype) else {
        throw SwiftletError.invalidInput("Clip needs a float32 or integer input, got \(a.dtype.rawValue)")
    }
    func bound(_ i: Int, _ fallback: Int64) throws -> Int64 {
        guard let t = x.optional(i), t.count > 0 else { return fallback }
        guard t.dtype == a.dtype else { throw SwiftletError.invalidInput("Clip bound has dtype \(t.dtype.rawValue), input \(a.dtype.rawValue)") }
        return t.int64Array()[0]
    }
    let lo = try bound(1, .min), hi = try bound(2, .max)
    let out = try ctx.alloc(a.dtype, a.shape)
    let v = a.int64Array()
    for i in 0..<v.count {
        let c = Swift.min(Swift.max(v[i], lo), hi)
        switch a.dtype {
        case .int64: out.i64[i] = c
        case .int32: out.i32[i] = Int32(truncatingIfNeeded: c)
        default: out.u8[i] = UInt8(truncatingIfNeeded: c)
        }
    }
    return out
}

/// Bool negation.
struct NotOp: Operator {
    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "X")
        let out = try ctx.alloc(.bool, a.shape)
        for i in 0..<a.count { out.u8[i] = a.u8[i] == 0 ? 1 : 0 }
        return [out]
    }
}

/// ONNX Cast between the dtypes the engine knows.
struct CastOp: Operator {
    let to: DType

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "input")
        if a.dtype == to { return [a] }
        let out = try ctx.alloc(to, a.shape)
        let n = a.count
        switch (a.dtype, to) {
        case (.float32, .int64): for i in 0..<n { out.i64[i] = a.f32[i].isFinite ? Tensor.saturatingInt64(a.f32[i]) : 0 }
        case (.float32, .int32): for i in 0..<n { out.i32[i] = Int32(clamping: a.f32[i].isFinite ? Tensor.saturatingInt64(a.f32[i]) : 0) }
        case (.float32, .bool): for i in 0..<n { out.u8[i] = a.f32[i] != 0 ? 1 : 0 }
        case (.float32, .float16):
            let p = out.raw.assumingMemoryBound(to: Float16.self)
            for i in 0..<n { p[i] = Float16(a.f32[i]) }
        case (.float16, .float32):
            let p = a.raw.assumingMemoryBound(to: Float16.self)
            for i in 0..<n { out.f32[i] = Float(p[i]) }
        case (.int32, .float32): for i in 0..<n { out.f32[i] = Float(a.i32[i]) }
        case (_, .float32):
            let v = a.int64Array()
            for i in 0..<n { out.f32[i] = Float(v[i]) }
        case (_, .int64):
            let v = a.int64Array()
            for i in 0..<n { out.i64[i] = v[i] }
        case (_, .int32):
            let v = a.int64Array()
            for i in 0..<n { out.i32[i] = Int32(truncatingIfNeeded: v[i]) }
        case (_, .bool):
            let v = a.int64Array()
            for i in 0..<n { out.u8[i] = v[i] != 0 ? 1 : 0 }
        case (_, .uint8), (_, .int8):
            let v = a.int64Array()
            for i in 0..<n { out.u8[i] = UInt8(truncatingIfNeeded: v[i]) }
        default:
            throw SwiftletError.invalidInput("Cast from \(a.dtype.rawValue) to \(to.rawValue) is not supported")
        }
        return [out]
    }
}

/// IsNaN / IsInf: float predicates with bool output.
struct FloatPredicateOp: Operator {
    enum Kind { case isNaN, isInf }
    let kind: Kind
    var detectPositive = true, detectNegative = true

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "X")
        guard a.dtype == .float32 else { throw SwiftletError.invalidInput("\(kind) needs float32, got \(a.dtype.rawValue)") }
        let out = try ctx.alloc(.bool, a.shape)
        for i in 0..<a.count {
            let v = a.f32[i]
            let hit: Bool
            switch kind {
            case .isNaN: hit = v.isNaN
            case .isInf: hit = v.isInfinite && ((v > 0 && detectPositive) || (v < 0 && detectNegative))
            }
            out.u8[i] = hit ? 1 : 0
        }
        return [out]
    }
}
