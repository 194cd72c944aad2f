/// HF's BPE model: characters (with continuing_subword_prefix /
/// end_of_word_suffix) looked up, unknown ones fused into unk or split into
/// `<0xXX>` byte pieces, then merges applied lowest rank first, leftmost among
/// equals — the order HF's merge queue produces.
struct BPE: TokenizerModel {
    private let vocab: [String: Int32]
    private let tokensById: TokenTable
    /// (left id, right id) -> (rank, merged id).
    private let merges: PairTable
    private let unkId: Int32?
    private let fuseUnk: Bool
    private let byteFallback: Bool
    private let ignoreMerges: Bool
    private let prefix: String
    private let suffix: String
    private let byteIds: [Int32]
    /// Ids of one-scalar tokens, so splitting a word into characters needs no
    /// String per character (only used without prefix/suffix decorations).
    private let scalarIds: [UInt32: Int32]
    /// The same for scalars below U+10000, as a direct table (-1: none).
    private let bmpIds: [Int32]

    init(_ json: JSONObject) throws {
        if let dropout = try json.double("dropout"), dropout > 0 {
            throw TokenizerError.invalidField(json.fieldPath("dropout"), "BPE dropout is random and not supported")
        }
        let vocab = try TokenVocabulary.read(json, key: "vocab")
        self.vocab = vocab
        tokensById = TokenTable(vocab)
        prefix = try json.string("continuing_subword_prefix") ?? ""
        suffix = try json.string("end_of_word_suffix") ?? ""
        fuseUnk = try json.bool("fuse_unk") ?? false
        byteFallback = try json.bool("byte_fallback") ?? false
        ignoreMerges = try json.bool("ignore_merges") ?? false
        if let unk = try json.string("unk_token") {
            guard let id = vocab[unk] else { throw TokenizerError.unknownToken(unk, context: "BPE unk_token") }
            unkId = id
        } else {
            unkId = nil
        }
        var table: [UInt64: (rank: Int32, id: Int32)] = [:]
        var rank: Int32 = 0
        let prefixCount = prefix.unicodeScalars.count
        let mergesPath = json.fieldPath("merges")
        let add = { [prefix] (left: [UInt32], right: [UInt32]) throws in
            let a = String(decodingScalars: left)
            let b = String(decodingScalars: right)
            guard let ia = vocab[a] else { throw TokenizerError.unknownToken(a, context: "BPE merge \(rank)") }
            guard let ib = vocab[b] else { throw TokenizerError.unknownToken(b, context: "BPE merge \(rank)") }
            // The right side loses its continuation prefix in the merged token.
            let merged = a + (right.count >= prefixCount && b.hasPrefix(prefix) ? String(decodingScalars: right.dropFirst(prefixCount)) : b)
            guard let im = vocab[merged] else { throw TokenizerError.unknownToken(merged, context: "BPE merge \(rank)") }
            let key = UInt64(UInt32(bitPattern: ia)) << 32 | UInt64(UInt32(bitPattern: ib))
            if table[key] == nil { table[key] = (rank, im) }
            rank += 1
        }
        if let lazy = json.lazy("merges") {
            try lazy.forEachMerge(add)
        } else if !json.isNull("merges") {
            throw TokenizerError.invalidField(mergesPath, "expected an array")
        }
        merges = PairTable(table)
        var byteIds = [Int32](repeating: -1, count: 256)
        for b in 0..<256 { byteIds[b] = vocab[Unigram.bytePiece(UInt8(b))] ?? -1 }
        self.byteIds = byteIds
        var scalarIds: [UInt32: Int32] = [:]
        for (token, id) in vocab {
            let scalars = token.unicodeScalars
            if scalars.count == 1 { scalarIds[scalars.first!.value] = id }
        }
        self.scalarIds = scalarIds
        var bmp = [Int32](repeating: -1, count: 0x10000)
        for (c, id) in scalarIds where c < 0x10000 { bmp[Int(c)] = id }
        bmpIds = bmp
    }

    var vocabSize: Int { vocab.count }

    func id(forToken token: String) -> Int32? { vocab[token] }

    func token(forId id: Int32) -> String? {
        tokensById[id]
    }

    private struct Symbol {
        var id: Int32
        var start: Int32
        var end: Int32
    }

    func tokenize(_ word: UnsafeBufferPointer<UInt32>, into out: inout [ModelToken]) {
        let n = word.count
        guard n > 0 else { return }
        if ignoreMerges, let id = vocab[String(decodingScalars: word)] {
            out.append(ModelToken(id: id, start: 0, end: Int32(n)))
            return
        }
        var symbols: [Symbol] = []
        symbols.reserveCapacity(n)
        var pendingUnk: Symbol?
        let plain = prefix.isEmpty && suffix.isEmpty
        for i in 0..<n {
            let span = (Int32(i), Int32(i + 1))
            let found: Int32?
            if plain {
                let c = word[i]
                if c < 0x10000 {
                    let id = bmpIds[Int(c)]
                    found = id >= 0 ? id : nil
                } else {
                    found = scalarIds[c]
                }
            } else {
                var s = String(Unicode.Scalar(word[i])!)
                if i > 0 && !prefix.isEmpty { s = prefix + s }
                if i == n - 1 && !suffix.isEmpty { s += suffix }
                found = vocab[s]
            }
            if let id = found {
                if let u = pendingUnk {
                    symbols.append(u)
                    pendingUnk = nil
                }
                symbols.append(Symbol(id: id, start: span.0, end: span.1))
                continue
            }
            if byteFallback {
                var s = String(Unicode.Scalar(word[i])!)
                if i > 0 && !prefix.isEmpty { s = prefix + s }
                if i == n - 1 && !suffix.isEmpty { s += suffix }
                let bytes = Array(s.utf8)
                if bytes.allSatisfy({ byteIds[Int($0)] >= 0 }) {
                    // HF adds byte pieces without flushing a pending unk first.
                    for b in bytes { symbols.append(Symbol(id: byteIds[Int(b)], start: span.0, end: span.1)) }
                    continue
                }
            }
            guard let unk = unkId else { continue }
            if let u = pendingUnk {
                if fuseUnk {
                    pendingUnk!.end = span.1
                } else {
                    symbols.append(u)
                    pendingUnk = Symbol(id: unk, start: span.0, end: span.1)
                }
            } else {
                pendingUnk = Symbol(id: unk, start: span.0, end: span.1)
            }
        }
        if let u = pendingUnk { symbols.append(u) }
        merge(&symbols)
        for s in symbols where s.end >= 0 { out.append(ModelToken(id: s.id, start: s.start, end: s.end)) }
    }

    /// One candidate merge: the pair starting at symbol `at`, as it was when queued.
    private struct Candidate {
        var rank: Int32
        var at: Int32
        var merged: Int32

        /// Lowest rank first, leftmost among equals (HF's merge queue order).
        func before(_ other: Candidate) -> Bool {
            rank != other.rank ? rank < other.rank : at < other.at
        }
    }

    @inline(__always)
    private func pairKey(_ a: Int32, _ b: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
    }

    /// Applies merges with a priority queue over a linked list of symbols (HF's
    /// algorithm): O(n log n) per word instead of rescanning every pair after
    /// each merge. Merged-away symbols are marked with `end = -1`.
    private func merge(_ symbols: inout [Symbol]) {
        let n = symbols.count
        guard n > 1 else { return }
        // Scratch on the stack (heap only for huge words): links, and the queue,
        // which holds at most the n - 1 initial pairs plus two per merge.
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * n) { links in
            withUnsafeTemporaryAllocation(of: Candidate.self, capacity: 3 * n) { heap in
                symbols.withUnsafeMutableBufferPointer { symbols in
                    merge(symbols, next: links.baseAddress!, prev: links.baseAddress! + n, heap: heap.baseAddress!)
                }
            }
        }
    }

    private func merge(_ symbols: UnsafeMutableBufferPointer<Symbol>, next: UnsafeMutablePointer<Int32>,
                       prev: UnsafeMutablePointer<Int32>, heap: UnsafeMutablePointer<Candidate>) {
        let n = symbols.count
        for i in 0..<n {
            next[i] = i + 1 < n ? Int32(i + 1) : -1
            prev[i] = Int32(i - 1)
        }
        var count = 0
        func push(_ c: Candidate) {
            heap[count] = c
            var i = count
            count += 1
            while i > 0 {
                let parent = (i - 1) / 2
                if !heap[i].before(heap[parent]) { break }
                (heap[i], heap[parent]) = (heap[parent], heap[i])
                i = parent
            }
        }
        func pop() -> Candidate {
            let top = heap[0]
            count -= 1
            if count > 0 {
                heap[0] = heap[count]
                var i = 0
                while true {
                    let l = 2 * i + 1, r = l + 1
                    var m = i
                    if l < count && heap[l].before(heap[m]) { m = l }
                    if r < count && heap[r].before(heap[m]) { m = r }
                    if m == i { break }
                    (heap[i], heap[m]) = (heap[m], heap[i])
                    i = m
                }
            }
            return top
        }
        func queue(_ at: Int) {
            let right = Int(next[at])
            guard right >= 0, let m = merges.lookup(pairKey(symbols[at].id, symbols[right].id)) else { return }
            push(Candidate(rank: m.rank, at: Int32(at), merged: m.id))
        }
        for i in 0..<(n - 1) { queue(i) }
        while count > 0 {
            let c = pop()
            let at = Int(c.at)
            // Stale entries: the symbol or its right neighbour changed since queued.
            guard symbols[at].end >= 0 else { continue }
            let right = Int(next[at])
            guard right >= 0, let m = merges.lookup(pairKey(symbols[at].id, symbols[right].id)), m.id == c.merged else { continue }
            symbols[at] = Symbol(id: c.merged, start: symbols[at].start, end: symbols[right].end)
            symbols[right].end = -1
            let after = next[right]
            next[at] = after
            if after >= 0 { prev[Int(after)] = Int32(at) }
            if prev[at] >= 0 { queue(Int(prev[at])) }
            queue(at)
        }
    }
}
