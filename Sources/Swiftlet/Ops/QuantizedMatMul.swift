import Foundation

/// MatMul (and the fused MatMul+bias+activation form) against an int8 weight kept in its
/// file encoding: packed once at load for `Int8Gemm`, activations quantized per row on the
/// fly. Chosen by `Session` whenever the right operand is an int8-encoded constant.
struct QuantizedMatMulOp: Operator {
    let weight: Int8PackedMatrix
    let hasBias: Bool
    let activation: Activation

    /// The integer form of `node`, if it is a MatMul whose B is an int8 [K, N] weight with
    /// per-column scales.
    static func make(_ node: Node, encoded: [String: EncodedTensor], threads: Int) throws -> QuantizedMatMulOp? {
        var hasBias = false, activation = Activation.none
        switch node.fused {
        case nil where node.op == "MatMul": break
        case .matMulBias(let act)?: (hasBias, activation) = (true, act)
        default: return nil
        }
        guard node.inputs.count >= 2, let w = encoded[node.inputs[1]], case .int8(axis: 1) = w.encoding,
              w.shape.count == 2, w.shape[0] > 0, w.shape[1] > 0, let scales = w.scales else { return nil }
        let packed = Int8PackedMatrix(w.data.assumingMemoryBound(to: Int8.self), scales: scales,
                                      k: w.shape[0], n: w.shape[1], threads: threads)
        return QuantizedMatMulOp(weight: packed, hasBias: hasBias, activation: activation)
    }

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "A")
        let k = weight.k, n = weight.n
        guard a.dtype == .float32, a.rank >= 1, a.shape.last == k else {
            throw SwiftletError.shapeMismatch("MatMul inner dimensions differ: \(a.shape) × [\(k), \(n)]")
        }
        var bias: Tensor? = nil
        if hasBias {
            let b = try x.required(2, "bias")
            guard b.count == n, b.dtype == .float32 else { throw SwiftletError.shapeMismatch("bias \(b.shape) for \(n) columns") }
            bias = b
        }
        let out = ctx.alloc(.float32, Array(a.shape.dropLast()) + [n])
        Int8Gemm.gemm(m: a.count / k, a: a.f32, lda: k, b: weight, c: out.f32, ldc: n, bias: bias?.f32, act: activation, threads: ctx.threads)
        return [a.rank == 1 ? out.reshaped([n]) : out]
    }
}
