#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// MatMul (plus the fused MatMul+bias and transposed-B forms) against a constant 2-D
/// weight, packed once at load for `PackedGemm`. Chosen by `Session` whenever the right
/// operand is a float32 constant.
struct PackedMatMulOp: Operator {
    let weight: PackedMatrix
    let hasBias: Bool
    let alpha: Float
    let activation: Activation

    /// The packed form of `node`, if it is a MatMul whose B is a float32 constant matrix.
    static func make(_ node: Node, constants: [String: Tensor], threads: Int) throws -> PackedMatMulOp? {
        var transposed = false, hasBias = false, alpha: Float = 1, activation = Activation.none
        switch node.fused {
        case nil where node.op == "MatMul": break
        case .matMulBias(let act)?: (hasBias, activation) = (true, act)
        case .matMulTransB(let a)?: (transposed, alpha) = (true, a)
        default: return nil
        }
        guard node.inputs.count >= 2, let w = constants[node.inputs[1]], w.dtype == .float32, w.rank == 2,
              w.shape[0] > 0, w.shape[1] > 0 else { return nil }
        let k = transposed ? w.shape[1] : w.shape[0], n = transposed ? w.shape[0] : w.shape[1]
        return PackedMatMulOp(weight: PackedMatrix(w.f32, k: k, n: n, transposed: transposed, threads: threads),
                              hasBias: hasBias, alpha: alpha, activation: activation)
    }

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let k = weight.k, n = weight.n
        let (a, bias) = try ConstantWeightOperands.check(x, k: k, n: n, hasBias: hasBias)
        let out = try ctx.alloc(.float32, Array(a.shape.dropLast()) + [n])
        PackedGemm.gemm(m: a.count / k, a: a.f32, lda: k, b: weight, c: out.f32, ldc: n, alpha: alpha, bias: bias?.f32, act: activation, threads: ctx.threads)
        return [a.rank == 1 ? out.reshaped([n]) : out]
    }
}

/// A and the optional bias of a MatMul against a constant [K, N] weight (float or int8):
/// the checks both packed forms need before their GEMM.
enum ConstantWeightOperands {
    static func check(_ x: [Tensor?], k: Int, n: Int, hasBias: Bool) throws -> (a: Tensor, bias: Tensor?) {
        let a = try x.required(0, "A")
        guard a.dtype == .float32, a.rank >= 1, a.shape.last == k else {
            throw SwiftletError.shapeMismatch("MatMul inner dimensions differ: \(a.shape) × [\(k), \(n)]")
        }
        guard hasBias else { return (a, nil) }
        let b = try x.required(2, "bias")
        guard b.count == n, b.dtype == .float32 else { throw SwiftletError.shapeMismatch("bias \(b.shape) for \(n) columns") }
        return (a, b)
    }
}
