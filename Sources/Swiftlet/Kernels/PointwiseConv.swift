import Foundation

/// 1×1, stride-1, unpadded convolution read straight from the input planes:
/// y[oc][p] = act(bias[oc] + Σ_c W[oc][c] · x[c][p]). Each 16-pixel column of x (k rows,
/// one per input channel) stays in L1 while every block of 6 output channels runs over it,
/// and the bias/activation is applied as the tile is stored.
///
/// Why not BLAS: for the narrow layers of the PP-OCR backbones (16–48 input channels over
/// 100k pixels) OpenBLAS spends more time copying x into its panel layout, zeroing C and
/// then re-reading C for the activation than multiplying; here x is read once and y
/// written once.
enum PointwiseConv {
    /// Input channels up to which this kernel beats BLAS on the PP-OCR models; above it
    /// each pixel column no longer stays in L1 and BLAS's blocking wins.
    static let maxChannels = 128

    static func run(_ x: UnsafePointer<Float>, channels k: Int, pixels n: Int,
                    packedWeights wp: UnsafePointer<Float>, outChannels m: Int,
                    bias: UnsafePointer<Float>?, _ act: Epilogue,
                    _ y: UnsafeMutablePointer<Float>, threads: Int) {
        let mr = ConvTile.mr, blocks = (m + mr - 1) / mr
        var biasPadded = [Float](repeating: 0, count: blocks * mr)
        if let bias { for i in 0..<m { biasPadded[i] = bias[i] } }
        let offs = (0..<k).map { $0 * span }
        let tiles = (n + span - 1) / span
        let t = m * n * k < 1 << 17 ? 1 : min(threads, tiles)
        biasPadded.withUnsafeBufferPointer { bp in
            offs.withUnsafeBufferPointer { op in
                parallelChunks(tiles, threads: t) { range in
                    // A k×16 panel of x, then a 6×16 output tile for the ragged end.
                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: k * span + mr * 16)
                    defer { scratch.deallocate() }
                    for tile in range {
                        columns(x, k: k, n: n, from: tile * span, wp: wp, m: m, bias: bp.baseAddress!, act, y,
                                offs: op.baseAddress!, panel: scratch, edge: scratch + k * span)
                    }
                }
            }
        }
    }

    /// Pixels per panel: four 16-wide tiles, so each output row is written 256 contiguous
    /// bytes at a time.
    static let span = 64

    /// Pixels [p0, p0 + span) ∩ [0, n) of every output channel. The pixels are first copied
    /// into a contiguous k×span panel: the planes are often a multiple of 4 KiB apart
    /// (320×320, 160×160 floats), so reading 16 of them directly puts every load in the
    /// same L1 set and each output-channel block would miss again.
    @inline(__always)
    private static func columns(_ x: UnsafePointer<Float>, k: Int, n: Int, from p0: Int,
                                wp: UnsafePointer<Float>, m: Int, bias: UnsafePointer<Float>, _ act: Epilogue,
                                _ y: UnsafeMutablePointer<Float>, offs: UnsafePointer<Int>,
                                panel: UnsafeMutablePointer<Float>, edge: UnsafeMutablePointer<Float>) {
        let mr = ConvTile.mr, blocks = (m + mr - 1) / mr
        let cols = min(span, n - p0)
        let padded = (cols + 15) & ~15
        for ch in 0..<k {
            let d = panel + ch * span
            d.update(from: x + ch * n + p0, count: cols)
            if padded > cols { (d + cols).update(repeating: 0, count: padded - cols) }
        }
        for b in 0..<blocks {
            let rows = min(mr, m - b * mr)
            let w = wp + b * k * mr, bb = bias + b * mr
            var j = 0
            while j + 16 <= cols {
                ConvTile.tile16(panel + j, offs, k, w, bb, act, y + b * mr * n + p0 + j, n, rows: rows)
                j += 16
            }
            if j < cols {
                ConvTile.tile16(panel + j, offs, k, w, bb, act, edge, 16, rows: mr)
                for r in 0..<rows { (y + (b * mr + r) * n + p0 + j).update(from: edge + r * 16, count: cols - j) }
            }
        }
    }
}
