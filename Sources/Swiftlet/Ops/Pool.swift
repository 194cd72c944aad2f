#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// MaxPool / AveragePool over 1 or 2 spatial axes (NCHW) with pads, auto_pad, ceil_mode,
/// dilations, and count_include_pad. Windows are clipped to the input; the average divides
/// by the in-input element count, or with count_include_pad by the window clipped to the
/// padded extent (as onnxruntime does for ceil_mode windows hanging past the end padding).
struct PoolOp: Operator {
    enum Kind { case max, average }
    let kind: Kind
    let attrs: SpatialAttributes
    let kernel: [Int]
    let countIncludePad: Bool
    let storageOrder: Int
    /// MaxPool's optional Indices output is read by the graph.
    let wantsIndices: Bool

    init(_ n: Node, kind: Kind) throws {
        self.kind = kind
        attrs = try SpatialAttributes(n)
        guard let k = attrs.kernel, !k.isEmpty, k.allSatisfy({ $0 >= 1 }) else {
            throw SwiftletError.invalidModel("node '\(n.name)' (\(n.op)) needs a positive kernel_shape")
        }
        kernel = k
        countIncludePad = n.int("count_include_pad") == 1
        storageOrder = n.int("storage_order") ?? 0
        wantsIndices = n.outputs.count > 1 && !n.outputs[1].isEmpty
    }

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let input = try x.required(0, "X")
        if kind == .max && (input.dtype == .uint8 || input.dtype == .int8) {
            // 8-bit MaxPool (opset ≥ 12) through float32, which holds every value exactly.
            var outs = try run([try CastOp(to: .float32).run([input], ctx)[0]], ctx)
            outs[0] = try CastOp(to: input.dtype).run([outs[0]], ctx)[0]
            return outs
        }
        guard input.dtype == .float32 else { throw SwiftletError.invalidInput("pooling needs float32 input, got \(input.dtype.rawValue)") }
        guard input.rank == 3 || input.rank == 4 else { throw SwiftletError.shapeMismatch("pooling supports 1-D and 2-D inputs, got \(input.shape)") }
        let g = try Window2D(attrs: attrs, spatialIn: Array(input.shape[2...]), kernel: kernel)
        let shape = Array(input.shape[..<2]) + g.outputSpatial(rank1D: input.rank == 3)
        let out = try ctx.alloc(.float32, shape)
        let planes = input.shape[0] * input.shape[1]
        let inPlane = g.inH * g.inW, outPlane = g.outH * g.outW
        let xs = input.f32, ys = out.f32
        if kind == .max && !wantsIndices {
            parallelChunks(planes, threads: out.count < 4096 ? 1 : ctx.threads) { r in
                for p in r { maxPoolPlane(xs + p * inPlane, ys + p * outPlane, g) }
            }
            return [out]
        }
        // Optional second output of MaxPool: flat indices of the chosen elements.
        let indices: Tensor? = kind == .max ? try ctx.alloc(.int64, shape) : nil
        let ip = indices?.i64
        let kind = self.kind, includePad = countIncludePad, colMajor = storageOrder == 1
        parallelChunks(planes, threads: out.count < 4096 ? 1 : ctx.threads) { r in
            for p in r {
                let src = xs + p * inPlane, dst = ys + p * outPlane
                for oh in 0..<g.outH {
                    let h0 = oh * g.sH - g.padT
                    for ow in 0..<g.outW {
                        let w0 = ow * g.sW - g.padL
                        switch kind {
                        case .max:
                            var best = -Float.infinity, at = -1
                            for ki in 0..<g.kH {
                                let ih = h0 + ki * g.dH
                                guard ih >= 0 && ih < g.inH else { continue }
                                for kj in 0..<g.kW {
                                    let iw = w0 + kj * g.dW
                                    guard iw >= 0 && iw < g.inW else { continue }
                                    let v = src[ih * g.inW + iw]
                                    if v > best || at < 0 { best = v; at = colMajor ? iw * g.inH + ih : ih * g.inW + iw }
                                }
                            }
                            dst[oh * g.outW + ow] = best
                            ip?[p * outPlane + oh * g.outW + ow] = Int64(p * inPlane + max(at, 0))
                        case .average where g.dH != 1 || g.dW != 1:
                            dst[oh * g.outW + ow] = dilatedAverage(src, g, h0, w0, includePad)
                        case .average:
                            let hs = max(h0, 0), he = min(h0 + g.kH, g.inH)
                            let ws = max(w0, 0), we = min(w0 + g.kW, g.inW)
                            var sum: Float = 0
                            if hs < he && ws < we {
                                for ih in hs..<he { for iw in ws..<we { sum += src[ih * g.inW + iw] } }
                            }
                            let count: Int
                            if includePad {
                                let hp = min(h0 + g.kH, g.inH + g.padB) - h0
                                let wp = min(w0 + g.kW, g.inW + g.padR) - w0
                                count = hp * wp
                            } else {
                                count = max(0, he - hs) * max(0, we - ws)
                            }
                            dst[oh * g.outW + ow] = count > 0 ? sum / Float(count) : 0
                        }
                    }
                }
            }
        }
        return indices.map { [out, $0] } ?? [out]
    }
}

/// One AveragePool window with dilations (opset ≥ 19): the taps inside the input are
/// summed; the divisor counts them, or with count_include_pad every tap inside the padded
/// extent (taps past the end padding, which ceil_mode adds, never count).
@inline(__always)
private func dilatedAverage(_ src: UnsafePointer<Float>, _ g: Window2D, _ h0: Int, _ w0: Int, _ includePad: Bool) -> Float {
    var sum: Float = 0
    var inside = 0, padded = 0
    for ki in 0..<g.kH {
        let ih = h0 + ki * g.dH
        guard ih < g.inH + g.padB else { continue }
        for kj in 0..<g.kW {
            let iw = w0 + kj * g.dW
            guard iw < g.inW + g.padR else { continue }
            padded += 1
            if ih >= 0 && ih < g.inH && iw >= 0 && iw < g.inW { sum += src[ih * g.inW + iw]; inside += 1 }
        }
    }
    let count = includePad ? padded : inside
    return count > 0 ? sum / Float(count) : 0
}

/// GlobalAveragePool / GlobalMaxPool: one value per (batch, channel), any spatial rank.
struct GlobalPoolOp: Operator {
    let isMax: Bool

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let input = try x.required(0, "X")
        guard input.dtype == .float32, input.rank >= 2 else { throw SwiftletError.invalidInput("global pooling needs float32 input of rank >= 2, got \(input.dtype.rawValue) \(input.shape)") }
        let planes = input.shape[0] * input.shape[1], inner = input.shape[2...].reduce(1, *)
        let out = try ctx.alloc(.float32, Array(input.shape[..<2]) + [Int](repeating: 1, count: input.rank - 2))
        let xs = input.f32, ys = out.f32, isMax = self.isMax
        parallelChunks(planes, threads: planes * inner < 1 << 15 ? 1 : ctx.threads) { r in
            for p in r {
                let s = UnsafeRawPointer(xs + p * inner)
                var i = 0
                if isMax {
                    var acc = SIMD8<Float>(repeating: -.infinity)
                    while i + 8 <= inner { acc = vmax(acc, s.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)); i += 8 }
                    var m = acc.max()
                    while i < inner { m = Swift.max(m, xs[p * inner + i]); i += 1 }
                    ys[p] = m
                } else {
                    var acc = SIMD8<Float>(repeating: 0)
                    while i + 8 <= inner { acc += s.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self); i += 8 }
                    var sum = acc.sum()
                    while i < inner { sum += xs[p * inner + i]; i += 1 }
                    ys[p] = inner > 0 ? sum / Float(inner) : 0
                }
            }
        }
        return [out]
    }
}
