/// The two products of one attention head, Q·Kᵀ and P·V, on the register tiles with the
/// operands where they lie. With a head size of 32 or 64 each product is too small for
/// packing to pay: packing Q, Kᵀ, P and V per head cost more than the multiplies in an e5
/// batch (attention was a quarter of an int8 run). Only Kᵀ is copied, because the tiles
/// broadcast from A and need B's columns contiguous. The results have the bits of
/// `Gemm.sgemm` on Swiftlet's tiles (same FMAs, same order per element).
struct HeadProducts {
    let isa: GemmISA

    /// Whether a head of this size runs here: P·V writes whole tile widths of the head.
    func supports(headSize d: Int) -> Bool { d > 0 && d % isa.nr == 0 }

    /// Row stride of the score matrix and of Kᵀ for `keys` keys (whole tile widths).
    func paddedKeys(_ keys: Int) -> Int { (keys + isa.nr - 1) / isa.nr * isa.nr }

    /// Floats of scratch `scores` needs beside an s × paddedKeys(keys) score matrix.
    func transposeFloats(keys: Int, headSize d: Int) -> Int { d * paddedKeys(keys) }

    /// scores[i·ld + j] = scale · q_i·k_j for i < rows, j < keys (ld = paddedKeys(keys);
    /// the padding columns get 0·scale). `kt` holds d × ld floats of scratch.
    func scores(q: UnsafePointer<Float>, ldq: Int, rows: Int, k: UnsafePointer<Float>, ldk: Int, keys: Int, d: Int,
                scale: Float, kt: UnsafeMutablePointer<Float>, into scores: UnsafeMutablePointer<Float>) {
        let ld = paddedKeys(keys), nr = isa.nr
        for j in 0..<keys { PackedGemm.scatter(k + j * ldk, count: d, to: kt + j, stride: ld) }
        if keys < ld { for kk in 0..<d { (kt + kk * ld + keys).update(repeating: 0, count: ld - keys) } }
        var j0 = 0
        while j0 < ld {
            isa.stridedTile(rows: rows, a: q, lda: ldq, b: kt + j0, ldb: ld, k: d, c: scores + j0, ldc: ld, alpha: scale)
            j0 += nr
        }
    }

    /// out[i·ldo + c] = Σ_{j < keys} p[i·ldp + j] · v[j·ldv + c] for i < rows, c < d.
    func weightedValues(p: UnsafePointer<Float>, ldp: Int, rows: Int, keys: Int, v: UnsafePointer<Float>, ldv: Int, d: Int,
                        out: UnsafeMutablePointer<Float>, ldo: Int) {
        var c0 = 0
        while c0 < d {
            isa.stridedTile(rows: rows, a: p, lda: ldp, b: v + c0, ldb: ldv, k: keys, c: out + c0, ldc: ldo, alpha: 1)
            c0 += isa.nr
        }
    }
}
