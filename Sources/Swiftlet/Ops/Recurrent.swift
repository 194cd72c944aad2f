#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// A gate activation of LSTM / GRU, named by the `activations` attribute.
enum RecurrentActivation: Equatable {
    case sigmoid, tanh, relu, softsign, softplus
    case hardSigmoid(Float, Float), leakyRelu(Float), thresholdedRelu(Float), elu(Float)
    case affine(Float, Float), scaledTanh(Float, Float)

    /// Parses `name`, taking its alpha/beta (when it has them) from the attribute lists in
    /// order, else the defaults of the ONNX op of that name.
    init?(_ name: String, alphas: inout ArraySlice<Float>, betas: inout ArraySlice<Float>) {
        func take(_ list: inout ArraySlice<Float>, _ fallback: Float) -> Float { list.popFirst() ?? fallback }
        switch name {
        case "Sigmoid": self = .sigmoid
        case "Tanh": self = .tanh
        case "Relu": self = .relu
        case "Softsign": self = .softsign
        case "Softplus": self = .softplus
        case "HardSigmoid": self = .hardSigmoid(take(&alphas, 0.2), take(&betas, 0.5))
        case "LeakyRelu": self = .leakyRelu(take(&alphas, 0.01))
        case "ThresholdedRelu": self = .thresholdedRelu(take(&alphas, 1))
        case "Elu": self = .elu(take(&alphas, 1))
        case "Affine": self = .affine(take(&alphas, 1), take(&betas, 0))
        case "ScaledTanh": self = .scaledTanh(take(&alphas, 1), take(&betas, 1))
        default: return nil
        }
    }

    @inline(__always)
    func apply(_ v: Float) -> Float {
        switch self {
        case .sigmoid: return 1 / (1 + expf(-v))
        case .tanh: return tanhf(v)
        case .relu: return Swift.max(v, 0)
        case .softsign: return v / (1 + Swift.abs(v))
        case .softplus: return v > 20 ? v : log1pf(expf(v))
        case .hardSigmoid(let a, let b): return Swift.min(Swift.max(a * v + b, 0), 1)
        case .leakyRelu(let a): return v < 0 ? a * v : v
        case .thresholdedRelu(let a): return v > a ? v : 0
        case .elu(let a): return v < 0 ? a * (expf(v) - 1) : v
        case .affine(let a, let b): return a * v + b
        case .scaledTanh(let a, let b): return a * tanhf(b * v)
        }
    }
}

/// LSTM and GRU (one layer, forward, reverse or bidirectional), as the ONNX spec defines
/// them: gate order i, o, f, c (LSTM) and z, r, h (GRU), optional biases, initial states,
/// peepholes, per-batch sequence lengths, `clip`, `layout` and custom activations.
/// The input projection X·Wᵀ of every step is one GEMM up front; each step then adds
/// H·Rᵀ (one GEMM over the batch) and applies the gates.
struct RecurrentOp: Operator {
    enum Cell: Equatable { case lstm(inputForget: Bool), gru(linearBeforeReset: Bool) }
    let cell: Cell
    let direction: String
    /// Per direction: f, g, h (LSTM) or f, g (GRU).
    let activations: [[RecurrentActivation]]
    let clip: Float?
    let batchFirst: Bool
    let hiddenSize: Int?

    var gates: Int { if case .lstm = cell { return 4 } else { return 3 } }
    var directions: Int { direction == "bidirectional" ? 2 : 1 }

    init(_ n: Node) throws {
        let isLSTM = n.op == "LSTM"
        cell = isLSTM ? .lstm(inputForget: (n.int("input_forget") ?? 0) != 0) : .gru(linearBeforeReset: (n.int("linear_before_reset") ?? 0) != 0)
        direction = n.string("direction") ?? "forward"
        guard ["forward", "reverse", "bidirectional"].contains(direction) else {
            throw SwiftletError.unsupportedOp(op: "\(n.op)(direction=\(direction))", node: n.name)
        }
        let perDirection = isLSTM ? 3 : 2
        let dirs = direction == "bidirectional" ? 2 : 1
        var names = ["Sigmoid", "Tanh", "Tanh"].prefix(perDirection).map { $0 }
        names = Array(Array(repeating: names, count: dirs).joined())
        if case .strings(let given)? = n.attrs["activations"] {
            guard given.count == perDirection * dirs else {
                throw SwiftletError.unsupportedOp(op: "\(n.op)(activations=\(given), \(perDirection * dirs) expected)", node: n.name)
            }
            names = given
        }
        var alphas = ArraySlice(n.floats("activation_alpha") ?? []), betas = ArraySlice(n.floats("activation_beta") ?? [])
        var acts: [RecurrentActivation] = []
        for name in names {
            guard let a = RecurrentActivation(name, alphas: &alphas, betas: &betas) else {
                throw SwiftletError.unsupportedOp(op: "\(n.op)(activations=\(name))", node: n.name)
            }
            acts.append(a)
        }
        activations = (0..<dirs).map { Array(acts[($0 * perDirection)..<(($0 + 1) * perDirection)]) }
        if let c = n.float("clip") {
            guard c > 0 else { throw SwiftletError.unsupportedOp(op: "\(n.op)(clip=\(c))", node: n.name) }
            clip = c
        } else {
            clip = nil
        }
        let layout = n.int("layout") ?? 0
        guard layout == 0 || layout == 1 else { throw SwiftletError.unsupportedOp(op: "\(n.op)(layout=\(layout))", node: n.name) }
        batchFirst = layout == 1
        hiddenSize = n.int("hidden_size")
    }

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let op = gates == 4 ? "LSTM" : "GRU"
        let X = try x.required(0, "X"), W = try x.required(1, "W"), R = try x.required(2, "R")
        for t in [X, W, R] where t.dtype != .float32 { throw SwiftletError.invalidInput("\(op) needs float32 inputs, got \(t.dtype.rawValue)") }
        guard X.rank == 3, W.rank == 3, R.rank == 3 else {
            throw SwiftletError.shapeMismatch("\(op) needs 3-D X, W and R, got \(X.shape), \(W.shape), \(R.shape)")
        }
        let (S, B, I) = batchFirst ? (X.shape[1], X.shape[0], X.shape[2]) : (X.shape[0], X.shape[1], X.shape[2])
        let H = R.shape[2], G = gates, D = directions
        guard B >= 1, H >= 1 else { throw SwiftletError.shapeMismatch("\(op) needs a batch and a hidden size of at least 1, got X \(X.shape), R \(R.shape)") }
        guard hiddenSize == nil || hiddenSize == H, W.shape == [D, G * H, I], R.shape == [D, G * H, H] else {
            throw SwiftletError.shapeMismatch("\(op) W \(W.shape) and R \(R.shape) must be [\(D), \(G)·hidden, input \(I) / hidden] (hidden_size \(hiddenSize.map(String.init) ?? "unset"), R says \(H))")
        }
        let bias = try x.optional(3).map { try checked($0, [D, 2 * G * H], "B", op) }
        var lengths = [Int](repeating: S, count: B)
        if let l = x.optional(4) {
            let v = try l.intValues()
            guard v.count == B, v.allSatisfy({ $0 >= 0 && $0 <= S }) else {
                throw SwiftletError.invalidInput("\(op) sequence_lens \(v) must hold \(B) lengths within 0...\(S)")
            }
            lengths = v
        }
        let stateShape = batchFirst ? [B, D, H] : [D, B, H]
        let h0 = try x.optional(5).map { try checked($0, stateShape, "initial_h", op) }
        let c0 = G == 4 ? try x.optional(6).map { try checked($0, stateShape, "initial_c", op) } : nil
        let peep = G == 4 ? try x.optional(7).map { try checked($0, [D, 3 * H], "P", op) } : nil

        let Y = try ctx.alloc(.float32, batchFirst ? [B, S, D, H] : [S, D, B, H])
        let Yh = try ctx.alloc(.float32, stateShape), Yc = try ctx.alloc(.float32, stateShape)
        memset(Y.raw, 0, Y.byteCount)
        // Element offset of (batch b, direction d) in a state tensor, and of (t, d, b) in Y.
        let stateAt = { (d: Int, b: Int) in (self.batchFirst ? b * D + d : d * B + b) * H }
        let yAt = { (t: Int, d: Int, b: Int) in (self.batchFirst ? (b * S + t) * D + d : (t * D + d) * B + b) * H }

        let xw = try ctx.alloc(.float32, [S * B, G * H])
        let hr = try ctx.alloc(.float32, [B, G * H])
        var h = [Float](repeating: 0, count: B * H), c = [Float](repeating: 0, count: B * H)
        var rh = [Float](repeating: 0, count: B * H), rhr = [Float](repeating: 0, count: B * H)
        for d in 0..<D {
            let reverse = direction == "reverse" || d == 1
            let acts = activations[d]
            // Input projection for every (time, batch) row, in X's own row order.
            Gemm.sgemm(m: S * B, n: G * H, k: I, a: X.f32, lda: I, b: W.f32 + d * G * H * I, ldb: I, transB: true,
                       c: xw.f32, ldc: G * H, threads: ctx.threads)
            let xRow = { (t: Int, b: Int) in self.batchFirst ? b * S + t : t * B + b }
            for b in 0..<B {
                for k in 0..<H {
                    h[b * H + k] = h0.map { $0.f32[stateAt(d, b) + k] } ?? 0
                    c[b * H + k] = c0.map { $0.f32[stateAt(d, b) + k] } ?? 0
                }
            }
            let wb = bias.map { $0.f32 + d * 2 * G * H }, rb = bias.map { $0.f32 + d * 2 * G * H + G * H }
            let rd = R.f32 + d * G * H * H
            for step in 0..<S {
                // H·Rᵀ for the whole batch (rows past their length are computed and ignored).
                h.withUnsafeBufferPointer { hp in
                    Gemm.sgemm(m: B, n: G * H, k: H, a: hp.baseAddress!, lda: H, b: rd, ldb: H, transB: true,
                               c: hr.f32, ldc: G * H, threads: 1)
                }
                if case .gru(false) = cell {
                    // (r ⊙ H)·Rhᵀ needs r first: compute r for every row, then one more GEMM.
                    for b in 0..<B where step < lengths[b] {
                        let t = reverse ? lengths[b] - 1 - step : step
                        let xr = xw.f32 + xRow(t, b) * G * H
                        for k in 0..<H {
                            var r = xr[H + k] + hr.f32[b * G * H + H + k] + (wb?[H + k] ?? 0) + (rb?[H + k] ?? 0)
                            if let cl = clip { r = Swift.min(Swift.max(r, -cl), cl) }
                            rh[b * H + k] = acts[0].apply(r) * h[b * H + k]
                        }
                    }
                    rh.withUnsafeBufferPointer { rp in
                        rhr.withUnsafeMutableBufferPointer { op in
                            Gemm.sgemm(m: B, n: H, k: H, a: rp.baseAddress!, lda: H, b: rd + 2 * H * H, ldb: H, transB: true,
                                       c: op.baseAddress!, ldc: H, threads: 1)
                        }
                    }
                }
                for b in 0..<B where step < lengths[b] {
                    let t = reverse ? lengths[b] - 1 - step : step
                    let xr = xw.f32 + xRow(t, b) * G * H, hrow = hr.f32 + b * G * H
                    // Pre-activation of gate g, unit k: X·Wᵀ + H·Rᵀ + Wb + Rb (the GRU's
                    // candidate gate takes its recurrent part separately).
                    @inline(__always) func pre(_ g: Int, _ k: Int, recurrent: Bool = true) -> Float {
                        let j = g * H + k
                        return xr[j] + (recurrent ? hrow[j] + (rb?[j] ?? 0) : 0) + (wb?[j] ?? 0)
                    }
                    @inline(__always) func clipped(_ v: Float) -> Float { clip.map { Swift.min(Swift.max(v, -$0), $0) } ?? v }
                    for k in 0..<H {
                        let hi = b * H + k
                        switch cell {
                        case .lstm(let inputForget):
                            let pi = peep.map { $0.f32[d * 3 * H + k] } ?? 0
                            let po = peep.map { $0.f32[d * 3 * H + H + k] } ?? 0
                            let pf = peep.map { $0.f32[d * 3 * H + 2 * H + k] } ?? 0
                            let cPrev = c[hi]
                            let ig = acts[0].apply(clipped(pre(0, k) + pi * cPrev))
                            let fg = inputForget ? 1 - ig : acts[0].apply(clipped(pre(2, k) + pf * cPrev))
                            let cand = acts[1].apply(clipped(pre(3, k)))
                            let cNew = fg * cPrev + ig * cand
                            let og = acts[0].apply(clipped(pre(1, k) + po * cNew))
                            c[hi] = cNew
                            h[hi] = og * acts[2].apply(cNew)
                        case .gru(let linearBeforeReset):
                            let z = acts[0].apply(clipped(pre(0, k)))
                            let r = acts[0].apply(clipped(pre(1, k)))
                            let j = 2 * H + k
                            let recurrent = linearBeforeReset ? r * (hrow[j] + (rb?[j] ?? 0)) : rhr[hi] + (rb?[j] ?? 0)
                            let cand = acts[1].apply(clipped(pre(2, k, recurrent: false) + recurrent))
                            h[hi] = (1 - z) * cand + z * h[hi]
                        }
                        Y.f32[yAt(t, d, b) + k] = h[hi]
                    }
                }
            }
            for b in 0..<B {
                for k in 0..<H {
                    Yh.f32[stateAt(d, b) + k] = h[b * H + k]
                    Yc.f32[stateAt(d, b) + k] = c[b * H + k]
                }
            }
        }
        return G == 4 ? [Y, Yh, Yc] : [Y, Yh]
    }

    private func checked(_ t: Tensor, _ shape: [Int], _ name: String, _ op: String) throws -> Tensor {
        guard t.dtype == .float32, t.shape == shape else {
            throw SwiftletError.shapeMismatch("\(op) \(name) is \(t.dtype.rawValue) \(t.shape), expected float32 \(shape)")
        }
        return t
    }
}
