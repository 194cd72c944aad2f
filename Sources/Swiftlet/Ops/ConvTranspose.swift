#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// ONNX ConvTranspose over 1 or 2 spatial axes: per group, one GEMM Wᵀ·X gives every
/// (output channel, kernel tap) contribution of every input pixel, which col2im then
/// scatter-adds into the output. With stride == kernel (the 2×2 stride-2 upsampling in
/// DBNet heads) no two taps land on the same pixel: that case runs tiled over input rows
/// and writes each output pixel once (see Col2Im.tiled).
struct ConvTransposeOp: Operator {
    let attrs: SpatialAttributes
    let group: Int
    let outputPadding: [Int]?
    let outputShape: [Int]?

    init(_ n: Node) throws {
        attrs = try SpatialAttributes(n)
        group = n.int("group") ?? 1
        guard group >= 1 else { throw SwiftletError.invalidModel("node '\(n.name)' (ConvTranspose): group must be >= 1") }
        outputPadding = n.ints("output_padding")
        outputShape = n.ints("output_shape")
    }

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let input = try x.required(0, "X"), weight = try x.required(1, "W")
        let bias = x.optional(2)
        guard input.dtype == .float32, weight.dtype == .float32 else { throw SwiftletError.invalidInput("ConvTranspose needs float32 X and W") }
        guard input.rank == 3 || input.rank == 4, weight.rank == input.rank else {
            throw SwiftletError.shapeMismatch("ConvTranspose supports 1-D and 2-D inputs: X \(input.shape), W \(weight.shape)")
        }
        let n = input.shape[0], c = input.shape[1]
        guard weight.shape[0] == c, c % group == 0 else {
            throw SwiftletError.shapeMismatch("ConvTranspose X \(input.shape) and W \(weight.shape) do not agree with group \(group)")
        }
        let mg = weight.shape[1], m = mg * group, cg = c / group
        if let bias { guard bias.dtype == .float32, bias.count == m else { throw SwiftletError.shapeMismatch("ConvTranspose bias \(bias.shape) needs \(m) values") } }
        let sp = input.rank - 2
        let wk = Array(weight.shape[2...])
        if let k = attrs.kernel, k != wk { throw SwiftletError.shapeMismatch("ConvTranspose kernel_shape \(k) differs from W \(weight.shape)") }
        var g = Window2D()
        (g.kH, g.kW) = try SpatialAttributes.hw(wk, spatial: sp, default: 1)
        (g.sH, g.sW) = try SpatialAttributes.hw(attrs.strides, spatial: sp, default: 1)
        (g.dH, g.dW) = try SpatialAttributes.hw(attrs.dilations, spatial: sp, default: 1)
        (g.inH, g.inW) = try SpatialAttributes.hw(Array(input.shape[2...]), spatial: sp, default: 1)
        let (opH, opW) = try SpatialAttributes.hw(outputPadding, spatial: sp, default: 0)
        var pb = [0, 0], pe = [0, 0]
        if let p = attrs.pads, attrs.autoPad == .notSet {
            guard p.count == 2 * sp else { throw SwiftletError.shapeMismatch("ConvTranspose pads \(p) for \(sp) spatial axes") }
            (pb[0], pb[1]) = try SpatialAttributes.hw(Array(p[..<sp]), spatial: sp, default: 0)
            (pe[0], pe[1]) = try SpatialAttributes.hw(Array(p[sp...]), spatial: sp, default: 0)
        }
        let ins = [g.inH, g.inW], ss = [g.sH, g.sW], ks = [g.kH, g.kW], ds = [g.dH, g.dW], ops = [opH, opW]
        var outs = [0, 0]
        // output_shape may list only the spatial dims or the whole shape.
        let wanted: [Int]? = try outputShape.map { o in
            let s = o.count > sp ? Array(o.suffix(sp)) : o
            return try { let (a, b) = try SpatialAttributes.hw(s, spatial: sp, default: 1); return [a, b] }()
        }
        for i in 0..<2 {
            let full = ss[i] * (ins[i] - 1) + ops[i] + (ks[i] - 1) * ds[i] + 1
            let target: Int?
            if let wanted { target = wanted[i] } else if attrs.autoPad == .sameUpper || attrs.autoPad == .sameLower { target = ins[i] * ss[i] } else { target = nil }
            if let target {
                let total = max(0, full - target)
                // onnxruntime puts the odd pixel at the end for SAME_UPPER (and when only output_shape is given).
                if attrs.autoPad == .sameLower { pb[i] = total - total / 2 } else { pb[i] = total / 2 }
                pe[i] = total - pb[i]
                outs[i] = target
            } else {
                outs[i] = full - pb[i] - pe[i]
            }
            guard outs[i] > 0 else { throw SwiftletError.shapeMismatch("ConvTranspose output size \(outs[i]) along axis \(i) is not positive") }
        }
        (g.padT, g.padL, g.padB, g.padR) = (pb[0], pb[1], pe[0], pe[1])
        (g.outH, g.outW) = (outs[0], outs[1])

        let out = try ctx.alloc(.float32, [n, m] + g.outputSpatial(rank1D: sp == 1))
        if out.count == 0 { return [out] }
        let inPlane = g.inH * g.inW, outPlane = g.outH * g.outW
        let kk = mg * g.kH * g.kW
        let xs = input.f32, ys = out.f32, ws = weight.f32, bs = bias.map { UnsafePointer($0.f32) }
        let nonOverlapping = g.kH == g.sH && g.kW == g.sW && (g.kH == 1 || g.dH == 1) && (g.kW == 1 || g.dW == 1)
            && g.padT == 0 && g.padL == 0 && g.outH == g.inH * g.sH && g.outW == g.inW * g.sW
        if nonOverlapping {
            // Tiles of input rows whose column buffer (kk floats per pixel) is about 32 KB, so
            // col2im reads it back from L1: each thread runs its own small GEMM per tile and
            // writes its output rows straight from cache. On the DBNet head (24→24 and 24→1
            // channels, 160 and 320 wide) 8K-float tiles measured faster than 64K or 1M ones.
            let rowsPerTile = max(1, min(g.inH, (1 << 13) / max(1, kk * g.inW)))
            let tiles = (g.inH + rowsPerTile - 1) / rowsPerTile
            let t = min(ctx.threads, tiles)
            let colN = kk * rowsPerTile * g.inW
            let col = try ctx.alloc(.float32, [t, colN])
            let per = (tiles + t - 1) / t
            for i in 0..<n {
                for gi in 0..<group {
                    let xg = xs + (i * c + gi * cg) * inPlane, yg = ys + (i * m + gi * mg) * outPlane
                    parallelChunks(t, threads: t) { r in
                        for ti in r {
                            let cs = col.f32 + ti * colN
                            for tile in (ti * per)..<min(tiles, (ti + 1) * per) {
                                let ih0 = tile * rowsPerTile, rows = min(g.inH, ih0 + rowsPerTile) - ih0
                                let cols = rows * g.inW
                                Gemm.sgemm(m: kk, n: cols, k: cg, a: ws + gi * cg * kk, lda: kk, transA: true,
                                           b: xg + ih0 * g.inW, ldb: inPlane, c: cs, ldc: cols, threads: 1)
                                for oc in 0..<mg {
                                    Col2Im.tiled(cs + oc * g.kH * g.kW * cols, ldCol: cols, ih0: ih0, rows: rows, g,
                                                 bias: bs?[gi * mg + oc] ?? 0, yg + oc * outPlane)
                                }
                            }
                        }
                    }
                }
            }
            return [out]
        }
        let col = try ctx.alloc(.float32, [kk, inPlane])
        for i in 0..<n {
            for gi in 0..<group {
                // col[(oc·kH + ki)·kW + kj][pixel] = Σ_c W[c][oc][ki][kj] · X[c][pixel]
                Gemm.sgemm(m: kk, n: inPlane, k: cg, a: ws + gi * cg * kk, lda: kk, transA: true,
                           b: xs + (i * c + gi * cg) * inPlane, ldb: inPlane, c: col.f32, ldc: inPlane, threads: ctx.threads)
                let yg = ys + (i * m + gi * mg) * outPlane
                let cs = col.f32
                parallelChunks(mg, threads: ctx.threads, minChunk: 4) { r in
                    for oc in r {
                        let y = yg + oc * outPlane
                        y.update(repeating: bs?[gi * mg + oc] ?? 0, count: outPlane)
                        Col2Im.scatterAdd(cs + oc * g.kH * g.kW * inPlane, ldCol: inPlane, g, y)
                    }
                }
            }
        }
        return [out]
    }
}
