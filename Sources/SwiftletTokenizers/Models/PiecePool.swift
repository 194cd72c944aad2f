/// Vocabulary strings by id, kept as one UTF-8 buffer: a 250k-piece vocabulary
/// costs two allocations instead of 250k Strings, and a token's String is
/// made only when asked for (most are short enough to need no allocation).
struct PiecePool: Sendable {
    private let utf8: [UInt8]
    private let ends: [Int32]

    init(scalars: [UInt32], bounds: [Int]) {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(scalars.count * 2)
        var ends: [Int32] = []
        ends.reserveCapacity(bounds.count - 1)
        for i in 0..<(bounds.count - 1) {
            for k in bounds[i]..<bounds[i + 1] {
                let v = scalars[k]
                let s = Unicode.Scalar(v) ?? "\u{FFFD}"
                UTF8.encode(s) { utf8.append($0) }
            }
            ends.append(Int32(utf8.count))
        }
        self.utf8 = utf8
        self.ends = ends
    }

    init(utf8: [UInt8], ends: [Int32]) {
        self.utf8 = utf8
        self.ends = ends
    }

    var count: Int { ends.count }

    func string(_ id: Int32) -> String? {
        guard id >= 0 && Int(id) < ends.count else { return nil }
        let start = id == 0 ? 0 : Int(ends[Int(id) - 1])
        return utf8.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<Int(ends[Int(id)])]), as: UTF8.self) }
    }
}
