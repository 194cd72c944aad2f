#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// How to cut `rows` rows of `inner` elements into work items for `threads` threads when
/// there are too few rows to go round (a same-shape element-wise op is a single row):
/// each row becomes `perRow` pieces of `piece` elements (the last may be shorter).
/// Pieces are multiples of 16 floats and at least 4096, so each stays a run of whole
/// SIMD vectors big enough to be worth a dispatch.
struct ColumnSplit {
    let perRow: Int
    let piece: Int

    init(rows: Int, inner: Int, threads: Int, minPiece: Int = 4096) {
        let inner = max(inner, 1)
        // Aim for about four items per thread so uneven rows still balance.
        let want = rows >= 4 * threads ? 1 : (4 * threads + rows - 1) / max(rows, 1)
        let pieces = max(1, min(want, inner / minPiece))
        if pieces == 1 {
            perRow = 1
            piece = inner
        } else {
            let p = ((inner + pieces - 1) / pieces + 15) / 16 * 16
            piece = p
            perRow = (inner + p - 1) / p
        }
    }
}
