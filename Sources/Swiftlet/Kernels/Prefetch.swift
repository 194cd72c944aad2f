import CSwiftletCPU

/// Requests the cache lines of `rows` rows of `width` floats, row r at p + r·ld, so that
/// they arrive while other work runs: a head's slice of Q, K or V is a column strip whose
/// rows lie a page apart or more, beyond what the hardware prefetchers follow.
@inline(__always)
func prefetchRows(_ p: UnsafePointer<Float>, rows: Int, width: Int, ld: Int) {
    for r in 0..<rows {
        let row = UnsafeRawPointer(p + r * ld)
        var off = 0
        while off < width * 4 {
            swl_prefetch(row + off)
            off += 64
        }
        // The last line of the row when it straddles one more than width/16 lines.
        swl_prefetch(row + width * 4 - 1)
    }
}
