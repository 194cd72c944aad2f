/// Text being normalized, as Unicode scalar values, with every scalar remembering
/// which span of the ORIGINAL input it came from. Normalizers rebuild it; token
/// offsets are read back from `starts`/`ends`, so offsets survive any rewrite.
struct NormalizedText {
    var scalars: [UInt32]
    /// Original scalar index where the source of `scalars[i]` begins.
    var starts: [Int32]
    /// Original scalar index just past the source of `scalars[i]`.
    var ends: [Int32]
    /// Original index where this text's source begins (HF aligns characters
    /// inserted at the very start to an empty span here).
    var originStart: Int32 = 0

    init() {
        scalars = []
        starts = []
        ends = []
    }

    init(reservingCapacity n: Int) {
        self.init()
        scalars.reserveCapacity(n)
        starts.reserveCapacity(n)
        ends.reserveCapacity(n)
    }

    /// A one-to-one view of `original[range]`.
    init(original: UnsafeBufferPointer<UInt32>, range: Range<Int>) {
        scalars = Array(original[range])
        let n = range.count, first = range.lowerBound
        starts = [Int32](unsafeUninitializedCapacity: n) { b, c in
            for k in 0..<n { b[k] = Int32(first + k) }
            c = n
        }
        ends = [Int32](unsafeUninitializedCapacity: n) { b, c in
            for k in 0..<n { b[k] = Int32(first + k + 1) }
            c = n
        }
        originStart = Int32(range.lowerBound)
    }

    mutating func reserveCapacity(_ n: Int) {
        scalars.reserveCapacity(n)
        starts.reserveCapacity(n)
        ends.reserveCapacity(n)
    }

    var count: Int { scalars.count }
    var isEmpty: Bool { scalars.isEmpty }

    @inline(__always)
    mutating func append(_ scalar: UInt32, start: Int32, end: Int32) {
        scalars.append(scalar)
        starts.append(start)
        ends.append(end)
    }

    /// Copy of a sub-range, keeping its original alignment.
    func slice(_ range: Range<Int>) -> NormalizedText {
        var out = NormalizedText()
        out.originStart = originStart
        out.scalars = Array(scalars[range])
        out.starts = Array(starts[range])
        out.ends = Array(ends[range])
        return out
    }

    /// Original span covered by normalized scalars `range` (non-empty).
    func originalSpan(_ range: Range<Int>) -> TokenOffset {
        guard !range.isEmpty else {
            let at = range.lowerBound < count ? Int(starts[range.lowerBound]) : (count > 0 ? Int(ends[count - 1]) : 0)
            return TokenOffset(start: at, end: at)
        }
        // HF takes the hull of the alignments, which need not be monotonic.
        var lo = starts[range.lowerBound]
        var hi = ends[range.upperBound - 1]
        for k in range {
            lo = min(lo, starts[k])
            hi = max(hi, ends[k])
        }
        return TokenOffset(start: Int(lo), end: Int(hi))
    }

    /// One output character of an HF-style transformation: `change` 0 replaces
    /// the next source character, > 0 inserts, < 0 replaces it and also removes
    /// that many more.
    struct Change {
        var scalar: UInt32
        var change: Int
    }

    /// HF's `NormalizedString::transform` over the whole text: a replacing
    /// character keeps the alignment of the source character it consumes; an
    /// inserted one copies the alignment of the character before the current
    /// source position (an empty span at the origin when there is none).
    /// `skip` source characters are dropped first.
    mutating func applyChanges(_ changes: [Change], skip: Int = 0) {
        var out = NormalizedText(reservingCapacity: changes.count)
        out.originStart = originStart
        var offset = skip
        for c in changes {
            let start: Int32
            let end: Int32
            if c.change > 0 {
                if offset >= 1 && offset - 1 < count {
                    start = starts[offset - 1]
                    end = ends[offset - 1]
                } else {
                    start = originStart
                    end = originStart
                }
            } else {
                if offset < count {
                    start = starts[offset]
                    end = ends[offset]
                } else {
                    let last = count > 0 ? ends[count - 1] : originStart
                    start = last
                    end = last
                }
                offset += 1 - min(c.change, 0)
            }
            out.append(c.scalar, start: start, end: end)
        }
        self = out
    }
}
