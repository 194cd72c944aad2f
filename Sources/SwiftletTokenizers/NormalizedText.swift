/// Text being normalized, as Unicode scalar values, with every scalar remembering
/// which span of the ORIGINAL input it came from. Normalizers rebuild it; token
/// offsets are read back from `starts`/`ends`, so offsets survive any rewrite.
struct NormalizedText {
    var scalars: [UInt32]
    /// Original scalar index where the source of `scalars[i]` begins.
    var starts: [Int32]
    /// Original scalar index just past the source of `scalars[i]`.
    var ends: [Int32]

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
        starts = (range.lowerBound..<range.upperBound).map { Int32($0) }
        ends = starts.map { $0 + 1 }
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
        return TokenOffset(start: Int(starts[range.lowerBound]), end: Int(ends[range.upperBound - 1]))
    }
}
