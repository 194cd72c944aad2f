/// A trie over Unicode scalars mapping keys to ids, for common-prefix search
/// (every vocabulary piece that starts at a given position).
///
/// Edges live in one open-addressing table keyed by (node, scalar), and the
/// root's children below U+10000 in a direct array, so building touches no
/// per-node allocations and the first step of every search is one load.
struct ScalarTrie: Sendable {
    private var rootChildren: [Int32]
    private var edgeKeys: [UInt64]
    private var edgeChildren: [Int32]
    private var edgeMask: Int
    /// Id stored at each node, or -1.
    private(set) var values: [Int32]
    private(set) var maxDepth = 0

    private static let directLimit: UInt32 = 0x10000

    /// `expectedNodes`: an upper bound helps avoid rehashing (total key scalars).
    init(expectedNodes: Int) {
        rootChildren = [Int32](repeating: -1, count: Int(Self.directLimit))
        var capacity = 1024
        while capacity < expectedNodes + expectedNodes / 2 { capacity <<= 1 }
        edgeKeys = [UInt64](repeating: 0, count: capacity)
        edgeChildren = [Int32](repeating: -1, count: capacity)
        edgeMask = capacity - 1
        values = [-1]  // node 0 is the root
        values.reserveCapacity(expectedNodes + 1)
    }

    @inline(__always)
    private static func edgeKey(_ node: Int32, _ scalar: UInt32) -> UInt64 {
        // +1 keeps 0 free as the empty-slot marker.
        (UInt64(UInt32(bitPattern: node)) << 21 | UInt64(scalar)) &+ 1
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        // Full avalanche: the low bits hold the scalar, the high bits the node.
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 32
        h = h &* 0xD6E8_FEB8_6659_FD93
        h ^= h >> 32
        return Int(truncatingIfNeeded: h) & mask
    }

    /// Inserts `key`; a later insert of the same key replaces the id (HF keeps the last duplicate).
    mutating func insert(_ key: UnsafeBufferPointer<UInt32>, id: Int32) {
        var node: Int32 = 0
        for s in key { node = child(node, s, create: true) }
        values[Int(node)] = id
        maxDepth = max(maxDepth, key.count)
    }

    @inline(__always)
    private mutating func child(_ node: Int32, _ scalar: UInt32, create: Bool) -> Int32 {
        if node == 0 && scalar < Self.directLimit {
            let c = rootChildren[Int(scalar)]
            if c >= 0 || !create { return c }
            let new = Int32(values.count)
            values.append(-1)
            rootChildren[Int(scalar)] = new
            return new
        }
        if (values.count + 1) * 3 > edgeKeys.count * 2 { grow() }
        let key = Self.edgeKey(node, scalar)
        var s = Self.slot(key, edgeMask)
        while true {
            let k = edgeKeys[s]
            if k == key { return edgeChildren[s] }
            if k == 0 { break }
            s = (s + 1) & edgeMask
        }
        let new = Int32(values.count)
        values.append(-1)
        edgeKeys[s] = key
        edgeChildren[s] = new
        return new
    }

    private mutating func grow() {
        let oldKeys = edgeKeys
        let oldChildren = edgeChildren
        let capacity = edgeKeys.count * 2
        edgeKeys = [UInt64](repeating: 0, count: capacity)
        edgeChildren = [Int32](repeating: -1, count: capacity)
        edgeMask = capacity - 1
        for (k, c) in zip(oldKeys, oldChildren) where k != 0 {
            var s = Self.slot(k, edgeMask)
            while edgeKeys[s] != 0 { s = (s + 1) & edgeMask }
            edgeKeys[s] = k
            edgeChildren[s] = c
        }
    }

    /// Child of `node` along `scalar`, or -1.
    @inline(__always)
    func step(_ node: Int32, _ scalar: UInt32) -> Int32 {
        if node == 0 && scalar < Self.directLimit { return rootChildren[Int(scalar)] }
        let key = Self.edgeKey(node, scalar)
        return edgeKeys.withUnsafeBufferPointer { keys in
            var s = Self.slot(key, edgeMask)
            while true {
                let k = keys[s]
                if k == key { return edgeChildren[s] }
                if k == 0 { return -1 }
                s = (s + 1) & edgeMask
            }
        }
    }

    /// Id of exactly `key`, or nil.
    func lookup(_ key: UnsafeBufferPointer<UInt32>) -> Int32? {
        var node: Int32 = 0
        for s in key {
            node = step(node, s)
            if node < 0 { return nil }
        }
        let v = values[Int(node)]
        return v >= 0 ? v : nil
    }

    func lookup(_ key: String) -> Int32? {
        let scalars = key.unicodeScalars.map(\.value)
        return scalars.withUnsafeBufferPointer { lookup($0) }
    }
}
