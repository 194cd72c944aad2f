#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// MatMul (and the fused MatMul+bias+activation form) against a weight kept in its file
/// encoding — int8 per column, or Q8_0/Q4_0 blocks along K — packed once at load for
/// `Int8Gemm`, activations quantized per row on the fly. Chosen by `Session` whenever the
/// right operand is such a constant.
struct QuantizedMatMulOp: Operator {
    let weight: Int8PackedMatrix
    let hasBias: Bool
    let activation: Activation
    /// Input 3 is a per-k factor applied to A while it is quantized (SmoothQuant).
    let hasInputScale: Bool

    /// The integer form of `node`, if it is a MatMul whose B is an encoded [K, N] weight the
    /// integer GEMM reads: int8 with per-column scales, or Q8_0/Q4_0 with blocks along K.
    static func make(_ node: Node, encoded: [String: EncodedTensor], threads: Int) throws -> QuantizedMatMulOp? {
        var hasBias = false, activation = Activation.none, hasInputScale = false
        switch node.fused {
        case nil where node.op == "MatMul": break
        case .matMulBias(let act)?: (hasBias, activation) = (true, act)
        case .int8MatMul(let bias, let act)?: (hasBias, activation, hasInputScale) = (bias, act, true)
        default: return nil
        }
        guard node.inputs.count >= 2, let w = encoded[node.inputs[1]], let packed = try pack(w, threads: threads) else { return nil }
        return QuantizedMatMulOp(weight: packed, hasBias: hasBias, activation: activation, hasInputScale: hasInputScale)
    }

    static func pack(_ w: EncodedTensor, threads: Int) throws -> Int8PackedMatrix? {
        guard w.isIntegerGemmWeight else { return nil }
        let k = w.shape[0], n = w.shape[1]
        do {
            switch w.encoding {
            case .int8:
                return try Int8PackedMatrix(w.data.assumingMemoryBound(to: Int8.self), scales: w.scales!, k: k, n: n,
                                            threads: threads, checked: true)
            case .q8_0:
                return try Int8PackedMatrix(blocks: w.data, q4: false, k: k, n: n, threads: threads)
            case .q4_0:
                return try Int8PackedMatrix(blocks: w.data, q4: true, k: k, n: n, threads: threads)
            case .float16:
                return nil
            }
        } catch SwiftletError.invalidModel(let m) {
            throw SwiftletError.invalidModel("tensor '\(w.name)': \(m)")
        }
    }

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let k = weight.k, n = weight.n
        let (a, bias) = try ConstantWeightOperands.check(x, k: k, n: n, hasBias: hasBias)
        var inputScale: Tensor? = nil
        if hasInputScale {
            let s = try x.required(3, "input scale")
            guard s.count == k, s.dtype == .float32 else { throw SwiftletError.shapeMismatch("input scale \(s.shape) for k = \(k)") }
            inputScale = s
        }
        let out = try ctx.alloc(.float32, Array(a.shape.dropLast()) + [n])
        Int8Gemm.gemm(m: a.count / k, a: a.f32, lda: k, b: weight, c: out.f32, ldc: n, bias: bias?.f32, act: activation,
                      inputScale: inputScale?.f32, threads: ctx.threads)
        return [a.rank == 1 ? out.reshaped([n]) : out]
    }
}

/// Swiftlet.Int8MatMul when its weight is read as float32 after all (prepacking off, or
/// a weight the integer GEMM does not take): A · diag(s), then the float MatMul.
struct InputScaledMatMulOp: Operator {
    let inner: MatMulOp

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "A"), s = try x.required(3, "input scale")
        guard a.dtype == .float32, s.dtype == .float32, a.rank >= 1, s.count == a.shape.last else {
            throw SwiftletError.shapeMismatch("input scale \(s.shape) for A \(a.shape)")
        }
        let k = s.count, scaled = try ctx.alloc(.float32, a.shape)
        let src = a.f32, dst = scaled.f32, sp = s.f32
        for i in 0..<(a.count / max(k, 1)) { for j in 0..<k { dst[i * k + j] = src[i * k + j] * sp[j] } }
        return try inner.run([scaled] + x.dropFirst(), ctx)
    }
}
