#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// LayerNormalization over the trailing axes (ONNX opset 17 semantics); also the target of
/// the LayerNorm fusion that rewrites the ReduceMean/Sub/Pow/Sqrt/Div chain of older exports.
struct LayerNormOp: Operator {
    let axis: Int
    let epsilon: Float
    /// Swiftlet.SkipLayerNorm: input 3 is added to X first (the residual connection).
    var hasSkip = false
    /// The node names the optional Mean and InvStdDev outputs (shape X.shape[..<axis] + 1s).
    var statsOutputs = false

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        var a = try x.required(0, "X")
        let scale = try x.required(1, "Scale")
        let bias = x.optional(2)
        var skip: Tensor? = nil
        if hasSkip {
            let sk = try x.required(3, "skip")
            // Same shape: add inside the row loop. Otherwise broadcast-add first.
            if sk.shape == a.shape && sk.dtype == .float32 { skip = sk } else { a = try BinaryOp(.add).run([a, sk], ctx)[0] }
        }
        guard a.dtype == .float32 else { throw SwiftletError.invalidInput("LayerNormalization needs float32") }
        let ax = try normalizeAxis(axis, rank: a.rank)
        let d = a.shape[ax...].reduce(1, *)
        guard scale.count == d, bias == nil || bias!.count == d else {
            throw SwiftletError.shapeMismatch("LayerNormalization scale/bias do not match normalized size \(d)")
        }
        let rows = d == 0 ? 0 : a.count / d
        let out = try ctx.alloc(.float32, a.shape)
        let src = a.f32, dst = out.f32, g = scale.f32, bp = bias?.f32, eps = epsilon, sp = skip?.f32
        parallelChunks(rows, threads: ctx.threads, minChunk: 64) { range in
            for r in range {
                if let sp {
                    // The row sum lands in the output, which the normalization then rewrites in cache.
                    floatRow(dst + r * d, src + r * d, 1, sp + r * d, 1, d, { $0 + $1 }, { $0 + $1 })
                    layerNormRow(dst + r * d, dst + r * d, d, g, bp, eps)
                } else {
                    layerNormRow(src + r * d, dst + r * d, d, g, bp, eps)
                }
            }
        }
        if statsOutputs { return try [out] + layerNormStats(a, ax: ax, d: d, ctx) }
        return [out]
    }

    /// Mean and 1/sqrt(var + eps) per normalized row, as the spec's optional outputs. Computed
    /// apart from the row loop (only graphs that read them pay), with the same two passes.
    private func layerNormStats(_ a: Tensor, ax: Int, d: Int, _ ctx: ExecContext) throws -> [Tensor] {
        let shape = Array(a.shape[..<ax]) + [Int](repeating: 1, count: a.rank - ax)
        let mean = try ctx.alloc(.float32, shape), inv = try ctx.alloc(.float32, shape)
        let rows = d == 0 ? 0 : a.count / d
        for r in 0..<rows {
            let x = a.f32 + r * d
            var sum: Float = 0
            for j in 0..<d { sum += x[j] }
            let m = sum / Float(d)
            var vs: Float = 0
            for j in 0..<d { let t = x[j] - m; vs += t * t }
            mean.f32[r] = m
            inv.f32[r] = 1 / (vs / Float(d) + epsilon).squareRoot()
        }
        return [mean, inv]
    }
}

@inline(__always)
func layerNormRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int,
                  _ g: UnsafePointer<Float>, _ b: UnsafePointer<Float>?, _ eps: Float) {
    let rx = UnsafeRawPointer(x)
    var acc = SIMD8<Float>(repeating: 0)
    var i = 0
    while i + 8 <= n { acc += rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self); i += 8 }
    var sum = acc.sum()
    while i < n { sum += x[i]; i += 1 }
    let mean = sum / Float(n)
    // Two-pass variance: the one-pass form loses digits when |mean| >> std.
    var vacc = SIMD8<Float>(repeating: 0)
    let mv = SIMD8<Float>(repeating: mean)
    i = 0
    while i + 8 <= n {
        let dlt = rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - mv
        vacc += dlt * dlt
        i += 8
    }
    var vs = vacc.sum()
    while i < n { let dlt = x[i] - mean; vs += dlt * dlt; i += 1 }
    let inv = 1 / (vs / Float(n) + eps).squareRoot()
    if let b {
        for j in 0..<n { y[j] = (x[j] - mean) * inv * g[j] + b[j] }
    } else {
        for j in 0..<n { y[j] = (x[j] - mean) * inv * g[j] }
    }
}

/// BatchNormalization in inference mode: y = (x − mean)/sqrt(var + eps)·scale + B per channel (axis 1).
struct BatchNormOp: Operator {
    let epsilon: Float

    init(epsilon: Float) { self.epsilon = epsilon }

    /// Training mode updates running statistics (extra outputs): refused by name, not run
    /// as inference, which would return different values.
    init(_ n: Node) throws {
        if n.int("training_mode") == 1 || n.outputs.dropFirst().contains(where: { !$0.isEmpty }) {
            throw SwiftletError.unsupportedOp(op: "BatchNormalization(training_mode=1)", node: n.name)
        }
        self.init(epsilon: n.float("epsilon") ?? 1e-5)
    }

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "X"), s = try x.required(1, "scale"), b = try x.required(2, "B")
        let mean = try x.required(3, "mean"), v = try x.required(4, "var")
        guard a.rank >= 2, a.dtype == .float32 else { throw SwiftletError.shapeMismatch("BatchNormalization input \(a.shape)") }
        let c = a.shape[1], inner = a.shape[2...].reduce(1, *), outer = a.shape[0]
        guard [s, b, mean, v].allSatisfy({ $0.count == c }) else { throw SwiftletError.shapeMismatch("BatchNormalization parameters must have \(c) elements") }
        let out = try ctx.alloc(.float32, a.shape)
        // Per channel y = x·k + off, the same two roundings for every element however the
        // planes are split across threads.
        var ks = [Float](repeating: 0, count: c), offs = [Float](repeating: 0, count: c)
        for ch in 0..<c {
            ks[ch] = s.f32[ch] / (v.f32[ch] + epsilon).squareRoot()
            offs[ch] = b.f32[ch] - mean.f32[ch] * ks[ch]
        }
        let planes = outer * c
        let threads = a.count < 1 << 15 ? 1 : ctx.threads
        let split = ColumnSplit(rows: planes, inner: inner, threads: threads)
        let xs = a.f32, ys = out.f32, piece = split.piece, perRow = split.perRow
        ks.withUnsafeBufferPointer { kp in
            offs.withUnsafeBufferPointer { op in
                parallelChunks(planes * perRow, threads: threads) { range in
                    for item in range {
                        let p = item / perRow, lo = (item % perRow) * piece
                        let ch = p % c, n = Swift.min(inner, lo + piece) - lo
                        scaleShiftRow(xs + p * inner + lo, ys + p * inner + lo, n, kp[ch], op[ch])
                    }
                }
            }
        }
        return [out]
    }
}

/// y[i] = x[i]·k + off: a multiply then an add (never fused), vector or scalar alike.
@inline(__always)
func scaleShiftRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ k: Float, _ off: Float) {
    let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
    let kv = SIMD8<Float>(repeating: k), ov = SIMD8<Float>(repeating: off)
    var i = 0
    while i + 8 <= n {
        ry.storeBytes(of: rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) * kv + ov,
                      toByteOffset: i * 4, as: SIMD8<Float>.self)
        i += 8
    }
    while i < n { y[i] = x[i] * k + off; i += 1 }
}
