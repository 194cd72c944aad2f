/// BPE merges, (left id, right id) packed in a UInt64 -> (rank, merged id), in
/// an open-addressing table: a lookup is a multiply and usually one probe,
/// where a Dictionary would run SipHash on every candidate pair.
struct PairTable: Sendable {
    private var keys: [UInt64]
    private var values: [(rank: Int32, id: Int32)]
    private let mask: Int

    /// Keys are never UInt64.max (ids are non-negative), so it marks empty slots.
    private static let empty = UInt64.max

    init(_ entries: [UInt64: (rank: Int32, id: Int32)]) {
        var capacity = 16
        while capacity < entries.count * 2 { capacity <<= 1 }
        mask = capacity - 1
        keys = [UInt64](repeating: Self.empty, count: capacity)
        values = [(rank: Int32, id: Int32)](repeating: (0, 0), count: capacity)
        for (key, value) in entries {
            var slot = Self.slot(key, mask)
            while keys[slot] != Self.empty { slot = (slot + 1) & mask }
            keys[slot] = key
            values[slot] = value
        }
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        return Int(truncatingIfNeeded: h) & mask
    }

    @inline(__always)
    func lookup(_ key: UInt64) -> (rank: Int32, id: Int32)? {
        keys.withUnsafeBufferPointer { keys in
            var slot = Self.slot(key, mask)
            while true {
                let k = keys[slot]
                if k == key { return values[slot] }
                if k == Self.empty { return nil }
                slot = (slot + 1) & mask
            }
        }
    }
}
