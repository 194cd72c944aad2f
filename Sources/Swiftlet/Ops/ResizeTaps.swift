/// Resize by weighted taps along each of the last two axes: cubic (any mode) and linear
/// with antialias. Each output index reads `n` neighbours around its source coordinate x;
/// as the ONNX reference does, the taps sit at f + i for i in iStart..<(2 − iStart), with
/// f = floor(x) (x − 1 when x is whole, so the weights' ratio lies in (0, 1]), indices
/// clamped to the edge. Antialias widens the kernel by 1/scale when downsampling, and its
/// weights are normalized to sum 1; exclude_outside zeroes taps off the input and
/// renormalizes. Weights are computed in Double once per output index.
struct ResizeTaps {
    enum Kernel: Equatable { case linear, cubic(a: Double) }

    let n: Int
    var index: [Int] = []
    var weight: [Float] = []
    var outside: [Bool] = []

    init(coords: [Float], len: Int, scale: Float, kernel: Kernel, antialias: Bool, excludeOutside: Bool,
         isOutside: (Float) -> Bool) {
        let s = antialias ? min(Double(scale), 1) : 1
        let radius: Double = kernel == .linear ? 1 : 2
        let iStart = Int((-radius / s).rounded(.down)) + 1
        n = 2 - 2 * iStart
        for c in coords {
            let x = Double(c)
            let f = x.rounded(.down) == x ? x - 1 : x.rounded(.down)
            let ratio = x - f
            var w = (0..<n).map { k -> Double in
                let d = abs(s * (Double(iStart + k) - ratio))
                switch kernel {
                case .linear: return max(0, 1 - d)
                case .cubic(let a): return ResizeTaps.cubic(d, a)
                }
            }
            let idx = (0..<n).map { Int(f) + iStart + $0 }
            if excludeOutside {
                for k in 0..<n where idx[k] < 0 || idx[k] >= len { w[k] = 0 }
            }
            if antialias || excludeOutside {
                let sum = w.reduce(0, +)
                if sum != 0 { w = w.map { $0 / sum } }
            }
            index += idx.map { Swift.min(Swift.max($0, 0), len - 1) }
            weight += w.map(Float.init)
            outside.append(isOutside(c))
        }
    }

    /// Keys' cubic convolution kernel with coefficient a (the spec's cubic_coeff_a).
    static func cubic(_ d: Double, _ a: Double) -> Double {
        let d2 = d * d, d3 = d2 * d
        if d <= 1 { return (a + 2) * d3 - (a + 3) * d2 + 1 }
        if d < 2 { return a * d3 - 5 * a * d2 + 8 * a * d - 4 * a }
        return 0
    }

    /// out[p][oy][ox] = Σ wy·wx·in[p][iy][ix] over the planes of a rank ≥ 1 tensor.
    static func run(_ input: Tensor, _ out: Tensor, _ ty: ResizeTaps, _ tx: ResizeTaps, extrapolation: Float, _ ctx: ExecContext) {
        let r = input.rank
        let inH = r >= 2 ? input.shape[r - 2] : 1, inW = input.shape[r - 1]
        let outH = r >= 2 ? out.shape[r - 2] : 1, outW = out.shape[r - 1]
        let planes = out.count / max(outH * outW, 1)
        let xs = input.f32, ys = out.f32
        parallelChunks(planes, threads: out.count < 1 << 15 ? 1 : ctx.threads) { range in
            for p in range {
                let src = xs + p * inH * inW, dst = ys + p * outH * outW
                for oy in 0..<outH {
                    for ox in 0..<outW {
                        if ty.outside[oy] || tx.outside[ox] { dst[oy * outW + ox] = extrapolation; continue }
                        var acc: Float = 0
                        for i in 0..<ty.n {
                            let row = src + ty.index[oy * ty.n + i] * inW
                            var racc: Float = 0
                            for j in 0..<tx.n { racc += tx.weight[ox * tx.n + j] * row[tx.index[ox * tx.n + j]] }
                            acc += ty.weight[oy * ty.n + i] * racc
                        }
                        dst[oy * outW + ox] = acc
                    }
                }
            }
        }
    }
}
