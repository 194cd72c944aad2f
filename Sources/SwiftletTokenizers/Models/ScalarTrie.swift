/// A trie over Unicode scalars mapping keys to ids, for common-prefix search
/// (every vocabulary piece that starts at a given position).
///
/// Nodes are numbered breadth-first, so the children of a node are one
/// contiguous run of `labels`, sorted by scalar: `step` is a short scan or
/// binary search in cache-friendly memory, and the whole trie is four flat
/// arrays that can be built from sorted keys in one pass per depth (no hashing,
/// no per-node allocation) or taken verbatim from a precomputed blob.
/// Root children below U+10000 also sit in a direct table: the first step of
/// every search is one load.
struct ScalarTrie: Sendable {
    /// Edge scalar leading into each node (unused for the root, node 0).
    private(set) var labels: [UInt32]
    /// Children of node v are nodes childStart[v] ..< childStart[v + 1].
    private(set) var childStart: [Int32]
    /// Id stored at each node, or -1.
    private(set) var values: [Int32]
    private var rootDirect: [Int32]

    private static let directLimit: UInt32 = 0x10000

    var nodeCount: Int { values.count }

    /// Builds from `count` keys: key i is `pool[bounds[i] ..< bounds[i + 1]]`
    /// and maps to id i; of duplicate keys the last wins (as in HF's vocab map).
    init(pool: UnsafeBufferPointer<UInt32>, bounds: UnsafeBufferPointer<Int>, count: Int) {
        let active = Self.sortedKeys(pool: pool, bounds: bounds, count: count)
        var labels: [UInt32] = [0]
        var parents: [Int32] = [-1]
        var values: [Int32] = [-1]
        labels.reserveCapacity(pool.count + 1)
        parents.reserveCapacity(pool.count + 1)
        values.reserveCapacity(pool.count + 1)
        // The keys copied out in sorted order, so the passes below read memory
        // sequentially instead of jumping through the vocabulary.
        var sorted: [UInt32] = []
        sorted.reserveCapacity(pool.count)
        var start = [Int32](repeating: 0, count: count)
        var length = [Int32](repeating: 0, count: count)
        var ids = active
        for k in 0..<count {
            let id = Int(active[k])
            start[k] = Int32(sorted.count)
            length[k] = Int32(bounds[id + 1] - bounds[id])
            for i in bounds[id]..<bounds[id + 1] { sorted.append(pool[i]) }
        }
        // Level by level over the keys still longer than `depth`, in sorted order:
        // key k starts a new node at this depth unless it shares depth + 1
        // scalars with the key before it (lcp), in which case it reuses that node.
        var lcp = [Int32](repeating: 0, count: count)
        var node = [Int32](repeating: 0, count: count)
        sorted.withUnsafeBufferPointer { text in
        start.withUnsafeMutableBufferPointer { start in
        length.withUnsafeMutableBufferPointer { length in
        ids.withUnsafeMutableBufferPointer { ids in
        lcp.withUnsafeMutableBufferPointer { lcp in
        node.withUnsafeMutableBufferPointer { node in
            for k in 1..<max(1, count) {
                let pa = Int(start[k - 1]), pb = Int(start[k])
                let n = Int(min(length[k - 1], length[k]))
                var l = 0
                while l < n && text[pa + l] == text[pb + l] { l += 1 }
                lcp[k] = Int32(l)
            }
            var live = count
            var depth: Int32 = 0
            while live > 0 {
                var kept = 0
                var runLcp = Int32.max
                for k in 0..<live {
                    let len = length[k]
                    runLcp = min(runLcp, lcp[k])
                    if len == depth {
                        // Only zero-length keys get here (depth 0): they name the root.
                        values[0] = max(values[0], ids[k])
                        continue
                    }
                    if k == 0 || lcp[k] <= depth {
                        labels.append(text[Int(start[k] + depth)])
                        parents.append(node[k])
                        values.append(-1)
                    }
                    let current = values.count - 1
                    if len == depth + 1 {
                        values[current] = max(values[current], ids[k])
                    } else {
                        ids[kept] = ids[k]
                        start[kept] = start[k]
                        length[kept] = len
                        node[kept] = Int32(current)
                        lcp[kept] = kept == 0 ? 0 : runLcp
                        runLcp = Int32.max
                        kept += 1
                    }
                }
                live = kept
                depth += 1
            }
        }
        }
        }
        }
        }
        }
        // Parents are non-decreasing in breadth-first order: count, then prefix-sum.
        var childStart = [Int32](repeating: 0, count: values.count + 1)
        for v in 1..<values.count { childStart[Int(parents[v]) + 1] += 1 }
        childStart[0] = 1
        for v in 0..<values.count { childStart[v + 1] += childStart[v] }
        self.init(labels: labels, childStart: childStart, values: values)
    }

    /// Key indices in lexicographic scalar order, equal keys by ascending index.
    /// The first few scalars, as ranks in the vocabulary's own alphabet (+1, so
    /// "no scalar" sorts first), pack into a UInt64 that is radix-sorted; only
    /// runs sharing it are compared further.
    private static func sortedKeys(pool: UnsafeBufferPointer<UInt32>, bounds: UnsafeBufferPointer<Int>, count: Int) -> [Int32] {
        var maxScalar: UInt32 = 0
        for v in pool { maxScalar = max(maxScalar, v) }
        var rank = [UInt32](repeating: 0, count: Int(maxScalar) + 1)
        for v in pool { rank[Int(v)] = 1 }
        var alphabet: UInt32 = 0
        for v in 0..<rank.count where rank[v] != 0 {
            alphabet += 1
            rank[v] = alphabet
        }
        let bits = UInt64(32 - (alphabet + 1).leadingZeroBitCount)
        let per = Int(63 / bits)
        var heads = [UInt64](repeating: 0, count: count)
        var ids = [Int32](repeating: 0, count: count)
        var tmpHeads = heads
        var tmpIds = ids
        for i in 0..<count {
            let b = bounds[i], n = bounds[i + 1] - b
            var h: UInt64 = 0
            for k in 0..<per { h = h << bits | (k < n ? UInt64(rank[Int(pool[b + k])]) : 0) }
            heads[i] = h
            ids[i] = Int32(i)
        }
        var counts = [Int](repeating: 0, count: 1 << 16)
        for pass in 0..<4 {
            let shift = UInt64(pass * 16)
            for i in 0..<counts.count { counts[i] = 0 }
            for h in heads { counts[Int((h >> shift) & 0xFFFF)] += 1 }
            if counts[Int(((heads.first ?? 0) >> shift) & 0xFFFF)] == count { continue }
            var sum = 0
            for i in 0..<counts.count {
                let c = counts[i]
                counts[i] = sum
                sum += c
            }
            for i in 0..<count {
                let d = Int((heads[i] >> shift) & 0xFFFF)
                tmpHeads[counts[d]] = heads[i]
                tmpIds[counts[d]] = ids[i]
                counts[d] += 1
            }
            swap(&heads, &tmpHeads)
            swap(&ids, &tmpIds)
        }
        // Runs with equal heads: finish by the scalars after the packed ones.
        var runStart = 0
        while runStart < count {
            var runEnd = runStart + 1
            while runEnd < count && heads[runEnd] == heads[runStart] { runEnd += 1 }
            if runEnd - runStart > 1 {
                ids[runStart..<runEnd].sort { a, b in
                    let ab = bounds[Int(a)], ae = bounds[Int(a) + 1]
                    let bb = bounds[Int(b)], be = bounds[Int(b) + 1]
                    var i = min(ab + per, ae), j = min(bb + per, be)
                    while i < ae && j < be {
                        if pool[i] != pool[j] { return pool[i] < pool[j] }
                        i += 1
                        j += 1
                    }
                    if (ae - i) != (be - j) { return (ae - i) < (be - j) }
                    return a < b
                }
            }
            runStart = runEnd
        }
        return ids
    }

    /// Per node, what a search step touches: its edge label (bit 31 set when
    /// the node holds an id), where its children start (they end where the next
    /// node's start) and a score the owner may attach. The label sits in the
    /// record, not in a separate array, so scanning a node's children also
    /// brings in the record of the child found: one cache miss per step, not two
    /// (the vocabulary trie of a 250k-piece model is far bigger than the caches).
    struct Node {
        var score: Double
        var label: UInt32
        var firstChild: Int32
    }

    /// Set in `Node.label` when the node holds an id.
    static let terminalBit: UInt32 = 0x8000_0000
    static let labelMask: UInt32 = 0x7FFF_FFFF

    /// Nodes plus one sentinel whose firstChild ends the last node's children.
    private(set) var nodes: [Node]

    /// From arrays already in this layout (validated by `UnigramVocabularyBlob`).
    init(labels: [UInt32], childStart: [Int32], values: [Int32]) {
        self.labels = labels
        self.childStart = childStart
        self.values = values
        var nodes = [Node](repeating: Node(score: 0, label: 0, firstChild: 0), count: values.count + 1)
        for v in 0..<values.count {
            let label = (v == 0 ? 0 : labels[v] & Self.labelMask) | (values[v] >= 0 ? Self.terminalBit : 0)
            nodes[v] = Node(score: 0, label: label, firstChild: childStart[v])
        }
        nodes[values.count].firstChild = childStart[values.count]
        self.nodes = nodes
        var direct = [Int32](repeating: -1, count: Int(Self.directLimit))
        for c in Int(childStart[0])..<Int(childStart[1]) where labels[c] < Self.directLimit {
            direct[Int(labels[c])] = Int32(c)
        }
        rootDirect = direct
    }

    /// Attaches `scores[id]` to every node holding an id.
    mutating func attachScores(_ scores: [Double]) {
        for v in 0..<values.count where values[v] >= 0 { nodes[v].score = scores[Int(values[v])] }
    }

    /// Child of `node` along `scalar`, or -1.
    @inline(__always)
    func step(_ node: Int32, _ scalar: UInt32) -> Int32 {
        if node == 0 && scalar < Self.directLimit { return rootDirect[Int(scalar)] }
        return nodes.withUnsafeBufferPointer { nodes in Self.step(node, scalar, nodes) }
    }

    @inline(__always)
    static func step(_ node: Int32, _ scalar: UInt32, _ nodes: UnsafeBufferPointer<Node>) -> Int32 {
        var lo = Int(nodes[Int(node)].firstChild)
        var hi = Int(nodes[Int(node) + 1].firstChild)
        while hi - lo > 8 {
            let mid = (lo + hi) >> 1
            if nodes[mid].label & labelMask <= scalar { lo = mid } else { hi = mid }
        }
        while lo < hi {
            let l = nodes[lo].label & labelMask
            if l == scalar { return Int32(lo) }
            if l > scalar { return -1 }
            lo += 1
        }
        return -1
    }

    /// Calls `body` with (root table, nodes, ids by node) for tight search loops.
    @inline(__always)
    func withTables<R>(_ body: (UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Node>, UnsafeBufferPointer<Int32>) -> R) -> R {
        rootDirect.withUnsafeBufferPointer { root in
            nodes.withUnsafeBufferPointer { nodes in
                values.withUnsafeBufferPointer { values in body(root, nodes, values) }
            }
        }
    }

    static let directLimitValue = directLimit

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
