/// An open-addressing hash map from scalar sequences to ids.
///
/// Lookups take a pointer into the word being tokenized, so probing every
/// candidate sub-word never builds a String.
struct ScalarVocabulary: Sendable {
    private var pool: [UInt32] = []
    private var keyStart: [Int32] = []
    private var keyLength: [Int32] = []
    private var values: [Int32] = []
    private var slots: [Int32] = []
    private var mask = 0
    /// Longest key, in scalars: no longer candidate can match.
    private(set) var maxKeyLength = 0

    init(_ entries: [(key: [UInt32], id: Int32)]) {
        var capacity = 16
        while capacity < entries.count * 2 { capacity <<= 1 }
        mask = capacity - 1
        slots = [Int32](repeating: -1, count: capacity)
        for entry in entries { insert(entry.key, entry.id) }
    }

    private mutating func insert(_ key: [UInt32], _ id: Int32) {
        let found = key.withUnsafeBufferPointer { lookupSlot($0.baseAddress, $0.count) }
        if case .found(let index) = found {
            values[index] = id
            return
        }
        guard case .empty(let slot) = found else { return }
        slots[slot] = Int32(values.count)
        keyStart.append(Int32(pool.count))
        keyLength.append(Int32(key.count))
        values.append(id)
        pool.append(contentsOf: key)
        maxKeyLength = max(maxKeyLength, key.count)
    }

    private enum Probe {
        case found(Int)
        case empty(Int)
    }

    @inline(__always)
    private static func hash(_ p: UnsafePointer<UInt32>?, _ n: Int) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for i in 0..<n {
            h = (h ^ UInt64(p![i])) &* 0x0000_0100_0000_01B3
        }
        h ^= h >> 29
        return Int(truncatingIfNeeded: h)
    }

    @inline(__always)
    private func lookupSlot(_ p: UnsafePointer<UInt32>?, _ n: Int) -> Probe {
        var slot = Self.hash(p, n) & mask
        return pool.withUnsafeBufferPointer { pool in
            while true {
                let entry = Int(slots[slot])
                if entry < 0 { return .empty(slot) }
                if Int(keyLength[entry]) == n {
                    let base = Int(keyStart[entry])
                    var equal = true
                    for i in 0..<n where pool[base + i] != p![i] {
                        equal = false
                        break
                    }
                    if equal { return .found(entry) }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    @inline(__always)
    func lookup(_ p: UnsafePointer<UInt32>, count: Int) -> Int32? {
        if case .found(let entry) = lookupSlot(p, count) { return values[entry] }
        return nil
    }
}
