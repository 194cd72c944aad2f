import SwiftletAVX512

/// The one implementation of each activation: the element-wise op (`UnaryOp`) maps it over
/// a tensor, and conv/GEMM kernels apply it in their epilogue while the freshly written
/// outputs are still in cache (Conv + Relu/HardSwish/… and MatMul + GELU fusions). `none`
/// just adds the bias. Adding an activation is a case here, its math in `apply`, its ONNX
/// name in `init?(onnx:)` and its line in `map` — the registry and the fusions take it
/// from there.
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
    /// ONNX Elu: alpha · (exp(x) − 1) below zero, x from zero up.
    case elu(alpha: Float)

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
        case .elu(let a): return v.replacing(with: (VectorMath.exp(v) - 1) * a, where: v .< 0)
        }
    }

    /// y[i] = activation(x[i]) over n contiguous floats (x == y allowed). One switch per
    /// call: each line hands its loop a literal case, so `apply` folds to that case's math
    /// and the loop carries no per-vector switch.
    func map(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        switch self {
        case .none: if UnsafePointer(y) != x { y.update(from: x, count: n) }
        case .relu: mapFloats(x, y, n) { Activation.relu.apply($0) }
        case .sigmoid: Activation.mapVectors(Sigmoid(), x, y, n)
        case .hardSigmoid(let a, let b): mapFloats(x, y, n) { Activation.hardSigmoid(alpha: a, beta: b).apply($0) }
        case .hardSwish: mapFloats(x, y, n) { Activation.hardSwish.apply($0) }
        case .clip(let lo, let hi): mapFloats(x, y, n) { Activation.clip(lo: lo, hi: hi).apply($0) }
        case .leakyRelu(let a): mapFloats(x, y, n) { Activation.leakyRelu(alpha: a).apply($0) }
        case .gelu: Activation.mapGelu(x, y, n)
        case .elu(let a): Activation.mapVectors(Elu(alpha: a), x, y, n)
        }
    }

    // The exp-based activations go through a generic loop that calls a type's `apply`
    // (inlined, as in DepthwiseConv's epilogues): through `mapFloats`' closure the compiler
    // kept their math out of line and called it per vector, passing each vector in two
    // halves (GELU epilogues ran at a third of their speed).
    private struct Gelu: VectorEpilogue {
        @inline(__always) func apply(_ v: SIMD8<Float>) -> SIMD8<Float> { VectorMath.gelu(v) }
    }

    private struct Sigmoid: VectorEpilogue {
        @inline(__always) func apply(_ v: SIMD8<Float>) -> SIMD8<Float> { VectorMath.sigmoid(v) }
    }

    private struct Elu: VectorEpilogue {
        let alpha: Float
        @inline(__always) func apply(_ v: SIMD8<Float>) -> SIMD8<Float> { Activation.elu(alpha: alpha).apply(v) }
    }

    @inline(never)
    private static func mapVectors<F: VectorEpilogue>(_ f: F, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 8 <= n {
            storeFloats(f.apply(loadFloats(x + i)), y + i)
            i += 8
        }
        if i < n { storeFloats(f.apply(loadFloats(x + i, count: n - i)), y + i, count: n - i) }
    }

    private static func mapGelu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        // 16 lanes where the CPU has AVX-512, with the same bits (GELU is latency-bound:
        // twice the values per dependent chain; a third less time in int8 MiniLM's epilogues).
        if CPUFeatures.current.avx512 { return Gelu512.map(x, y, n) }
        mapVectors(Gelu(), x, y, n)
    }

    /// The ONNX op types `init?(onnx:float:string:)` reads (each with its default
    /// attributes); `ActivationTests` checks every one parses, keeping the two in step.
    static let onnxOpTypes = ["Relu", "Sigmoid", "HardSigmoid", "HardSwish", "Clip", "LeakyRelu", "Gelu", "Elu"]

    /// The activation ONNX op `op` computes, with its attributes as the spec defaults them;
    /// nil when `op` is not one of these (or is a variant Swiftlet does not run, such as
    /// Gelu(approximate=tanh)). Clip's bound inputs (opset ≥ 11) are the caller's to apply.
    init?(onnx op: String, float: (String) -> Float?, string: (String) -> String?) {
        switch op {
        case "Relu": self = .relu
        case "Sigmoid": self = .sigmoid
        case "HardSigmoid": self = .hardSigmoid(alpha: float("alpha") ?? 0.2, beta: float("beta") ?? 0.5)
        case "HardSwish": self = .hardSwish
        case "Clip": self = .clip(lo: float("min") ?? -Float.greatestFiniteMagnitude, hi: float("max") ?? Float.greatestFiniteMagnitude)
        case "LeakyRelu": self = .leakyRelu(alpha: float("alpha") ?? 0.01)
        case "Gelu" where (string("approximate") ?? "none") == "none": self = .gelu
        case "Elu": self = .elu(alpha: float("alpha") ?? 1)
        default: return nil
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
        // The common GEMM epilogue (bias already added): `map` switches once per call and
        // runs the activation's own loop (GELU's 16-lane one on AVX-512); the closure below
        // calls `apply`, and its switch, per vector.
        if !hasAffine && bias == 0 { act.map(y, y, n); return }
        let b = SIMD8<Float>(repeating: bias)
        mapFloats(y, y, n) { self.apply($0 + b) }
    }
}

/// An epilogue as a type, so generic kernels get one specialised copy per activation with
/// the activation inlined (Epilogue's runtime switch is too large for the inliner).
protocol VectorEpilogue {
    func apply(_ v: SIMD8<Float>) -> SIMD8<Float>
}

extension Epilogue: VectorEpilogue {}
