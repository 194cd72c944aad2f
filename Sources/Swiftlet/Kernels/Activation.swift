/// An activation applied in a kernel's epilogue, while the freshly written outputs are
/// still in cache (Conv + Relu/HardSwish/… fusion). `none` just adds the bias.
enum Activation: Equatable {
    case none
    case relu
    case sigmoid
    case hardSigmoid(alpha: Float, beta: Float)
    case hardSwish
    case clip(lo: Float, hi: Float)
    case leakyRelu(alpha: Float)
    /// Exact (erf) GELU, bit for bit the standalone Gelu op (MatMul epilogues in BERT FFNs).
    case gelu

    @inline(__always)
    func apply(_ v: SIMD8<Float>) -> SIMD8<Float> {
        switch self {
        case .none: return v
        case .relu: return vmax(v, SIMD8(repeating: 0))
        case .sigmoid: return VectorMath.sigmoid(v)
        case .hardSigmoid(let a, let b): return vmin(vmax(v * a + b, SIMD8(repeating: 0)), SIMD8(repeating: 1))
        // Same operation order as the standalone HardSwish op so fused and unfused graphs agree bit for bit.
        case .hardSwish: return v * vmin(vmax(v * (1.0 / 6.0) + 0.5, SIMD8(repeating: 0)), SIMD8(repeating: 1))
        case .clip(let lo, let hi): return vmin(vmax(v, SIMD8(repeating: lo)), SIMD8(repeating: hi))
        case .leakyRelu(let a): return v.replacing(with: v * a, where: v .< 0)
        case .gelu: return VectorMath.gelu(v)
        }
    }

}

/// What a conv kernel does to each output before storing it: add the channel bias, apply
/// the activation, then an optional scalar affine map (exports such as PP-OCRv4 follow the
/// activation with a learnable `· a + b`).
struct Epilogue: Equatable {
    var act: Activation = .none
    var scale: Float = 1
    var shift: Float = 0

    var hasAffine: Bool { scale != 1 || shift != 0 }

    @inline(__always)
    func apply(_ v: SIMD8<Float>) -> SIMD8<Float> {
        let a = act.apply(v)
        return hasAffine ? a * scale + shift : a
    }

    /// y[i] = epilogue(y[i] + bias) over n contiguous floats.
    @inline(__always)
    func biasActivate(_ y: UnsafeMutablePointer<Float>, _ n: Int, bias: Float) {
        if act == .none && !hasAffine && bias == 0 { return }
        let b = SIMD8<Float>(repeating: bias)
        mapFloats(y, y, n) { self.apply($0 + b) }
    }
}
