#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// ONNX Resize (opset 10–19) and Upsample (opset 7–9). Nearest works on any axes; linear on
/// the last one or two axes (bilinear), and so do cubic and antialias (ResizeTaps), with
/// every coordinate_transformation_mode and nearest_mode. Coordinates are computed in Float, as onnxruntime does, so ties
/// (x.5 with round_prefer_floor, exact integers with floor) resolve identically.
struct ResizeOp: Operator {
    enum Mode: String { case nearest, linear, cubic }
    enum Coordinates: String {
        case halfPixel = "half_pixel", pytorchHalfPixel = "pytorch_half_pixel", alignCorners = "align_corners"
        case asymmetric, tfHalfPixelForNN = "tf_half_pixel_for_nn", tfCropAndResize = "tf_crop_and_resize"
        case halfPixelSymmetric = "half_pixel_symmetric"
    }
    /// `simple` is the rounding of Upsample and Resize-10, which had no nearest_mode.
    enum Rounding: String { case roundPreferFloor = "round_prefer_floor", roundPreferCeil = "round_prefer_ceil", floor, ceil, simple }
    enum AspectPolicy: String { case stretch, notLarger = "not_larger", notSmaller = "not_smaller" }

    let mode: Mode
    let coordinates: Coordinates
    let rounding: Rounding
    let extrapolation: Float
    let axes: [Int]?
    let aspect: AspectPolicy
    /// Upsample-7 keeps its scales in an attribute.
    let attrScales: [Float]?
    /// Upsample and Resize-10 take (X, scales); Resize-11+ takes (X, roi, scales, sizes).
    let scalesInput: Int
    /// Cubic's kernel coefficient, exclude_outside and antialias (linear and cubic only).
    let cubicA: Float
    let excludeOutside: Bool
    let antialias: Bool

    init(_ n: Node, opset: Int) throws {
        let legacy = n.op == "Upsample" || opset < 11
        let m = (n.string("mode") ?? "nearest").lowercased()
        switch m {
        case "nearest": mode = .nearest
        case "linear", "bilinear": mode = .linear
        case "cubic", "bicubic": mode = .cubic
        default: throw SwiftletError.unsupportedOp(op: "\(n.op)(mode=\(m))", node: n.name)
        }
        if legacy {
            coordinates = .asymmetric
            rounding = .simple
        } else {
            let c = n.string("coordinate_transformation_mode") ?? "half_pixel"
            guard let cv = Coordinates(rawValue: c) else { throw SwiftletError.unsupportedOp(op: "Resize(coordinate_transformation_mode=\(c))", node: n.name) }
            coordinates = cv
            let r = n.string("nearest_mode") ?? "round_prefer_floor"
            guard let rv = Rounding(rawValue: r), rv != .simple else { throw SwiftletError.unsupportedOp(op: "Resize(nearest_mode=\(r))", node: n.name) }
            rounding = rv
        }
        // Nearest ignores antialias, as the spec says.
        antialias = n.int("antialias") == 1 && mode != .nearest
        cubicA = n.float("cubic_coeff_a") ?? -0.75
        excludeOutside = n.int("exclude_outside") == 1
        extrapolation = n.float("extrapolation_value") ?? 0
        axes = n.ints("axes")
        let p = n.string("keep_aspect_ratio_policy") ?? "stretch"
        guard let pv = AspectPolicy(rawValue: p) else { throw SwiftletError.unsupportedOp(op: "Resize(keep_aspect_ratio_policy=\(p))", node: n.name) }
        aspect = pv
        attrScales = n.floats("scales")
        scalesInput = legacy ? 1 : 2
    }

    /// An output dimension computed in Float: a huge or infinite scale (or a size over an
    /// empty input dimension) must be an error, not a trap converting it to Int.
    static func outputSize(_ v: Float, _ rule: FloatingPointRoundingRule) throws -> Int {
        guard let n = Int(exactly: v.rounded(rule)) else { throw SwiftletError.invalidInput("Resize output dimension \(v) is not a size") }
        return n
    }

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let input = try x.required(0, "X")
        guard input.dtype == .float32 else { throw SwiftletError.invalidInput("Resize needs float32 input, got \(input.dtype.rawValue)") }
        let r = input.rank
        let ax = try (axes ?? Array(0..<r)).map { try normalizeAxis($0, rank: r) }
        var scales = [Float](repeating: 1, count: r)
        var outShape = input.shape
        let scalesT: Tensor? = try attrScales.map { try Tensor(floats: $0, shape: [$0.count]) } ?? x.optional(scalesInput)
        let sizesT = scalesInput == 2 ? x.optional(3) : nil
        if let s = sizesT, s.count > 0 {
            let sizes = try s.intValues()
            guard sizes.count == ax.count else { throw SwiftletError.shapeMismatch("Resize sizes \(sizes) for \(ax.count) axes") }
            var fs = zip(ax, sizes).map { Float($0.1) / Float(input.shape[$0.0]) }
            if aspect != .stretch {
                let pick = aspect == .notLarger ? fs.min()! : fs.max()!
                fs = [Float](repeating: pick, count: fs.count)
                for (a, f) in zip(ax, fs) { outShape[a] = try Self.outputSize(Float(input.shape[a]) * f, .toNearestOrAwayFromZero) }
            } else {
                for (a, v) in zip(ax, sizes) { outShape[a] = v }
            }
            for (a, f) in zip(ax, fs) { scales[a] = f }
        } else if let st = scalesT, st.count > 0 {
            guard st.dtype == .float32 else { throw SwiftletError.invalidInput("Resize scales must be float32") }
            let v = st.floatArray()
            guard v.count == ax.count else { throw SwiftletError.shapeMismatch("Resize scales \(v) for \(ax.count) axes") }
            for (a, f) in zip(ax, v) {
                guard f > 0 else { throw SwiftletError.invalidInput("Resize scale \(f) must be positive") }
                scales[a] = f
                outShape[a] = try Self.outputSize(f * Float(input.shape[a]), .towardZero)
            }
        } else {
            throw SwiftletError.invalidInput("Resize needs either scales or sizes")
        }
        guard outShape.allSatisfy({ $0 >= 0 }) else { throw SwiftletError.shapeMismatch("Resize output shape \(outShape) is negative") }
        var elements = 4  // float32 bytes: the allocation must be countable too
        for d in outShape {
            let (p, overflow) = elements.multipliedReportingOverflow(by: max(d, 1))
            guard !overflow else { throw SwiftletError.invalidInput("Resize output shape \(outShape) has more elements than an Int can count") }
            elements = p
        }
        var roi: [Float] = []
        if coordinates == .tfCropAndResize {
            guard let rt = x.optional(1), rt.count == 2 * ax.count else { throw SwiftletError.invalidInput("tf_crop_and_resize needs roi with \(2 * ax.count) values") }
            roi = rt.floatArray()
        }
        func roiFor(_ a: Int) -> (Float, Float) {
            guard let k = ax.firstIndex(of: a), !roi.isEmpty else { return (0, 1) }
            return (roi[k], roi[ax.count + k])
        }
        let out = try ctx.alloc(.float32, outShape)
        if out.count == 0 { return [out] }
        // Source coordinate of every output index, per axis.
        // Axes left at scale 1 keep their indices (onnxruntime does not transform them, which
        // matters for modes like tf_half_pixel_for_nn that shift even unscaled coordinates).
        let coords: [[Float]] = (0..<r).map { a in
            if scales[a] == 1 && outShape[a] == input.shape[a] && coordinates != .tfCropAndResize {
                return (0..<outShape[a]).map { Float($0) }
            }
            return (0..<outShape[a]).map { i in original(Float(i), scale: scales[a], inLen: input.shape[a], outLen: outShape[a], roi: roiFor(a)) }
        }
        switch mode {
        case .nearest: try nearest(input, out, coords, scales, ctx)
        case .linear where !antialias && !excludeOutside: try linear(input, out, coords, ctx)
        case .linear, .cubic: try taps(input, out, coords, scales, ctx)
        }
        return [out]
    }

    private func original(_ x: Float, scale: Float, inLen: Int, outLen: Int, roi: (Float, Float)) -> Float {
        switch coordinates {
        case .halfPixel: return (x + 0.5) / scale - 0.5
        case .pytorchHalfPixel: return outLen > 1 ? (x + 0.5) / scale - 0.5 : 0
        case .alignCorners:
            // The spec divides by the unrounded resized length, scale · inLen (2.4 for 4 → 0.6x,
            // not the 2 outputs it makes); with `sizes` the two agree.
            let resized = scale * Float(inLen)
            return outLen == 1 || resized == 1 ? 0 : x * Float(inLen - 1) / (resized - 1)
        case .asymmetric: return x / scale
        case .tfHalfPixelForNN: return (x + 0.5) / scale
        case .tfCropAndResize:
            let span = Float(inLen - 1)
            return outLen > 1 ? roi.0 * span + x * (roi.1 - roi.0) * span / Float(outLen - 1) : 0.5 * (roi.0 + roi.1) * span
        case .halfPixelSymmetric:
            let adjust = Float(outLen) / (scale * Float(inLen))
            let center = Float(inLen) / 2
            return center * (1 - adjust) + (x + 0.5) / scale - 0.5
        }
    }

    private func outside(_ v: Float, _ len: Int) -> Bool {
        coordinates == .tfCropAndResize && (v < 0 || v > Float(len - 1))
    }

    private func nearestIndex(_ v: Float, scale: Float, len: Int) -> Int {
        var i: Int
        switch rounding {
        case .roundPreferFloor: i = v == v.rounded(.down) + 0.5 ? Int(v.rounded(.down)) : Int(v.rounded(.toNearestOrAwayFromZero))
        case .roundPreferCeil: i = Int(v.rounded(.toNearestOrAwayFromZero))
        case .floor: i = Int(v.rounded(.down))
        case .ceil: i = Int(v.rounded(.up))
        case .simple: i = scale < 1 ? Int(v.rounded(.up)) : Int(v)
        }
        return min(max(i, 0), len - 1)
    }

    private func nearest(_ input: Tensor, _ out: Tensor, _ coords: [[Float]], _ scales: [Float], _ ctx: ExecContext) throws {
        let r = input.rank
        var inStride = [Int](repeating: 1, count: r)
        for a in stride(from: r - 2, through: 0, by: -1) { inStride[a] = inStride[a + 1] * input.shape[a + 1] }
        // Per axis: element offset into the input of each output index, -1 = extrapolate.
        let offs: [[Int]] = (0..<r).map { a in
            let len = input.shape[a]
            return coords[a].map { v in outside(v, len) ? -1 : nearestIndex(v, scale: scales[a], len: len) * inStride[a] }
        }
        let inner = out.shape[r - 1], rows = out.count / max(inner, 1)
        let xs = input.f32, ys = out.f32, extra = extrapolation
        let last = offs[r - 1]
        let gather = NearestRowGather(last)
        let outShape = out.shape
        parallelChunks(rows, threads: out.count < 1 << 15 ? 1 : ctx.threads, minChunk: 16) { range in
            var idx = [Int](repeating: 0, count: r)
            // Upsampling repeats source rows: a row reading the same source as the one just
            // written is a copy of it.
            var prevBase = -2
            for row in range {
                var rem = row, base = 0, valid = true
                for a in stride(from: r - 2, through: 0, by: -1) {
                    idx[a] = rem % outShape[a]; rem /= outShape[a]
                    let o = offs[a][idx[a]]
                    if o < 0 { valid = false } else { base += o }
                }
                let dst = ys + row * inner
                if !valid {
                    dst.update(repeating: extra, count: inner)
                    prevBase = -2
                } else if base == prevBase {
                    dst.update(from: dst - inner, count: inner)
                } else {
                    gather.run(xs + base, dst, extra)
                    prevBase = base
                }
            }
        }
    }

    /// Cubic, and linear with antialias or exclude_outside: weighted taps (ResizeTaps).
    private func taps(_ input: Tensor, _ out: Tensor, _ coords: [[Float]], _ scales: [Float], _ ctx: ExecContext) throws {
        let r = input.rank
        for a in 0..<max(0, r - 2) where out.shape[a] != input.shape[a] {
            throw SwiftletError.unsupportedOp(op: "Resize(\(mode.rawValue)) over axis \(a) of a rank-\(r) tensor", node: "")
        }
        let kernel: ResizeTaps.Kernel = mode == .cubic ? .cubic(a: Double(cubicA)) : .linear
        func axisTaps(_ a: Int) -> ResizeTaps {
            let len = input.shape[a]
            return ResizeTaps(coords: coords[a], len: len, scale: scales[a], kernel: kernel, antialias: antialias,
                              excludeOutside: excludeOutside, isOutside: { self.outside($0, len) })
        }
        let ty = r >= 2 ? axisTaps(r - 2) : ResizeTaps(coords: [0], len: 1, scale: 1, kernel: .linear, antialias: false,
                                                         excludeOutside: false, isOutside: { _ in false })
        ResizeTaps.run(input, out, ty, axisTaps(r - 1), extrapolation: extrapolation, ctx)
    }

    private func linear(_ input: Tensor, _ out: Tensor, _ coords: [[Float]], _ ctx: ExecContext) throws {
        let r = input.rank
        // Only the last two axes may change: the rest are batch/channel planes.
        let lead = max(0, r - 2)
        for a in 0..<lead where out.shape[a] != input.shape[a] {
            throw SwiftletError.unsupportedOp(op: "Resize(linear) over axis \(a) of a rank-\(r) tensor", node: "")
        }
        let inH = r >= 2 ? input.shape[r - 2] : 1, inW = input.shape[r - 1]
        let outH = r >= 2 ? out.shape[r - 2] : 1, outW = out.shape[r - 1]
        let cy = r >= 2 ? coords[r - 2] : [0], cx = coords[r - 1]
        struct Tap { var i0: Int; var i1: Int; var w0: Float; var w1: Float; var outside: Bool }
        func taps(_ cs: [Float], _ len: Int) -> [Tap] {
            cs.map { v in
                let o = outside(v, len)
                let c = min(max(v, 0), Float(len - 1))
                let i0 = min(Int(c), len - 1), i1 = min(i0 + 1, len - 1)
                var d0 = abs(c - Float(i0)), d1 = abs(c - Float(i1))
                if i0 == i1 { d0 = 0.5; d1 = 0.5 }
                // Weight of i0 is the distance to i1 and vice versa.
                return Tap(i0: i0, i1: i1, w0: d1, w1: d0, outside: o)
            }
        }
        let ty = taps(cy, inH), tx = taps(cx, inW)
        let planes = out.count / max(outH * outW, 1)
        let xs = input.f32, ys = out.f32, extra = extrapolation
        parallelChunks(planes, threads: out.count < 1 << 15 ? 1 : ctx.threads) { range in
            for p in range {
                let src = xs + p * inH * inW, dst = ys + p * outH * outW
                for oy in 0..<outH {
                    let t = ty[oy]
                    let r0 = src + t.i0 * inW, r1 = src + t.i1 * inW
                    for ox in 0..<outW {
                        let u = tx[ox]
                        if t.outside || u.outside { dst[oy * outW + ox] = extra; continue }
                        dst[oy * outW + ox] = u.w0 * t.w0 * r0[u.i0] + u.w1 * t.w0 * r0[u.i1]
                            + u.w0 * t.w1 * r1[u.i0] + u.w1 * t.w1 * r1[u.i1]
                    }
                }
            }
        }
    }
}
