#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// An op a fusion created, carrying what its operator needs as typed values: the fusion
/// hands it to `OpRegistry`, nothing is written to attributes and parsed back. Files never
/// contain these (a `.swl` node naming a `Swiftlet.*` op is an unknown op).
enum InternalOp: Equatable {
    /// The node's own ONNX Conv attributes, then bias, activation and `· scale + shift`
    /// applied by the conv kernels as they store each output.
    case conv(Epilogue)
    /// MatMul(A, W) accumulated onto bias (input 2), then the activation, in the GEMM tile.
    case matMulBias(Activation)
    /// MatMul(A, Bᵀ) · alpha, B read transposed in place.
    case matMulTransB(alpha: Float)
    /// Scaled dot-product attention over Q, K, V (and an optional additive mask).
    case attention(heads: Int, headSize: Int, scale: Float, zeroNaNRows: Bool)
    /// LayerNormalization(x + skip); inputs x, scale, bias, skip.
    case skipLayerNorm(axis: Int, epsilon: Float)
    /// MatMul(x · s, W) with W int8-encoded: inputs x, W, bias (or ""), s (per-k factor).
    case int8MatMul(bias: Bool, activation: Activation)
    /// ReduceMax over axis 1 of Log(x + addend) · mask; inputs x, mask (SPLADE's pooling).
    case maskedLogMax(addend: Float, keepDims: Bool)

    /// The op type shown in profiles, op counts and errors.
    var label: String {
        switch self {
        case .conv: return "Swiftlet.FusedConv"
        case .matMulBias: return "Swiftlet.MatMulBias"
        case .matMulTransB: return "Swiftlet.MatMulTransB"
        case .attention: return "Swiftlet.Attention"
        case .skipLayerNorm: return "Swiftlet.SkipLayerNorm"
        case .int8MatMul: return "Swiftlet.Int8MatMul"
        case .maskedLogMax: return "Swiftlet.MaskedLogMax"
        }
    }
}

extension Node {
    /// A node computing `op`, labelled with its `Swiftlet.*` name.
    init(name: String, fused op: InternalOp, inputs: [String], outputs: [String], attrs: [String: Attribute] = [:]) {
        self.init(name: name, op: op.label, inputs: inputs, outputs: outputs, attrs: attrs, fused: op)
    }
}
