#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// ONNX Conv over 1 or 2 spatial axes (NCHW), with any group count, stride, dilation,
/// explicit or automatic padding, and an optional fused epilogue activation
/// (Swiftlet.FusedConv from ConvActivationFusion). Three kernels:
/// 1×1 stride-1 unpadded convs are a plain GEMM on the input (OpenBLAS; an own 6×16-tile
/// kernel reading the planes in place measured no faster on the PP-OCR models); convs with
/// one group per input channel (depthwise) run the direct SIMD kernel; everything else is
/// the implicit GEMM of DirectConv, in bands of output rows spread over the threads.
struct ConvOp: Operator {
    let attrs: SpatialAttributes
    let group: Int
    var activation = Epilogue()

    init(_ n: Node, activation: Epilogue = Epilogue()) throws {
        attrs = try SpatialAttributes(n)
        group = n.int("group") ?? 1
        guard group >= 1 else { throw SwiftletError.invalidModel("node '\(n.name)' (Conv): group must be >= 1, got \(group)") }
        self.activation = activation
    }

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let input = try x.required(0, "X"), weight = try x.required(1, "W")
        let bias = x.optional(2)
        guard input.dtype == .float32, weight.dtype == .float32 else {
            throw SwiftletError.invalidInput("Conv needs float32 X and W, got \(input.dtype.rawValue) and \(weight.dtype.rawValue)")
        }
        guard input.rank == 3 || input.rank == 4, weight.rank == input.rank else {
            throw SwiftletError.shapeMismatch("Conv supports 1-D and 2-D inputs: X \(input.shape), W \(weight.shape)")
        }
        let n = input.shape[0], c = input.shape[1], m = weight.shape[0]
        guard c == weight.shape[1] * group, m % group == 0 else {
            throw SwiftletError.shapeMismatch("Conv X \(input.shape) and W \(weight.shape) do not agree with group \(group)")
        }
        let wk = Array(weight.shape[2...])
        if let k = attrs.kernel, k != wk { throw SwiftletError.shapeMismatch("Conv kernel_shape \(k) differs from W \(weight.shape)") }
        if let bias { guard bias.dtype == .float32, bias.count == m else { throw SwiftletError.shapeMismatch("Conv bias \(bias.shape) needs \(m) values") } }
        let g = try Window2D(attrs: attrs, spatialIn: Array(input.shape[2...]), kernel: wk)
        let out = try ctx.alloc(.float32, [n, m] + g.outputSpatial(rank1D: input.rank == 3))
        if out.count == 0 { return [out] }
        let xs = input.f32, ws = weight.f32, ys = out.f32, bs = bias.map { UnsafePointer($0.f32) }
        let inPlane = g.inH * g.inW, outPlane = g.outH * g.outW
        let act = activation

        if group == 1 && g.isPointwise {
            for i in 0..<n {
                ConvGemm.multiply(m: m, n: outPlane, k: c, a: ws, lda: c, b: xs + i * c * inPlane, ldb: inPlane,
                                  c: ys + i * m * outPlane, ldc: outPlane, bias: bs, act, threads: ctx.threads)
            }
            return [out]
        }

        if group == c {
            // Depthwise (channel multiplier m / c): output channel j reads input channel j / mult.
            let mult = m / c, taps = g.kH * g.kW
            let planes = n * m
            let scratchN = DepthwiseConv.scratchCount(g)
            let t = min(ctx.threads, planes)
            let scratch = try ctx.alloc(.float32, [t, scratchN])
            let per = (planes + t - 1) / t
            parallelChunks(t, threads: t) { r in
                for ti in r {
                    let s = scratch.f32 + ti * scratchN
                    for p in (ti * per)..<min(planes, (ti + 1) * per) {
                        let img = p / m, oc = p % m, ic = oc / mult
                        DepthwiseConv.plane(xs + (img * c + ic) * inPlane, ws + oc * taps, bias: bs?[oc] ?? 0, act, g,
                                            ys + p * outPlane, scratch: s)
                    }
                }
            }
            return [out]
        }

        // General grouped convolution: implicit GEMM per group over bands of output rows.
        let cg = c / group, mg = m / group, k = cg * g.kH * g.kW
        if g.isPointwise {
            for i in 0..<n {
                for gi in 0..<group {
                    ConvGemm.multiply(m: mg, n: outPlane, k: cg, a: ws + gi * mg * k, lda: k, b: xs + (i * c + gi * cg) * inPlane, ldb: inPlane,
                                      c: ys + (i * m + gi * mg) * outPlane, ldc: outPlane, bias: bs.map { $0 + gi * mg }, act, threads: ctx.threads)
                }
            }
            return [out]
        }
        let plan = DirectConv.Plan(g, channels: cg, threads: ctx.threads)
        let bands = (g.outH + plan.bandOut - 1) / plan.bandOut
        let t = min(ctx.threads, bands)
        let packedN = ConvTile.packedCount(m: mg, k: k)
        let packed = try ctx.alloc(.float32, [group, packedN])
        for gi in 0..<group { ConvTile.packWeights(ws + gi * mg * k, m: mg, k: k, ldw: k, into: packed.f32 + gi * packedN) }
        let scratch = try ctx.alloc(.float32, [t, plan.scratchCount])
        let offs = plan.tapOffsets()
        let per = (bands + t - 1) / t
        offs.withUnsafeBufferPointer { offs in
            for i in 0..<n {
                for gi in 0..<group {
                    let xg = xs + (i * c + gi * cg) * inPlane
                    let yg = ys + (i * m + gi * mg) * outPlane
                    let wp = UnsafePointer(packed.f32 + gi * packedN)
                    let bg = bs.map { $0 + gi * mg }
                    parallelChunks(t, threads: t) { r in
                        for ti in r {
                            for b in (ti * per)..<min(bands, (ti + 1) * per) {
                                let oh0 = b * plan.bandOut
                                DirectConv.band(xg, plan, rows: oh0, min(g.outH, oh0 + plan.bandOut), wp: wp, m: mg,
                                                offs: offs.baseAddress!, bias: bg, act, y: yg, scratch: scratch.f32 + ti * plan.scratchCount)
                            }
                        }
                    }
                }
            }
        }
        return [out]
    }
}
