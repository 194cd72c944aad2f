/// HF's BPE model: characters (with continuing_subword_prefix /
/// end_of_word_suffix) looked up, unknown ones fused into unk or split into
/// `<0xXX>` byte pieces, then merges applied lowest rank first, leftmost among
/// equals — the order HF's merge queue produces.
struct BPE: TokenizerModel {
    private let vocab: [String: Int32]
    private let tokensById: [String?]
    /// (left id, right id) -> (rank, merged id).
    private let merges: [UInt64: (rank: Int32, id: Int32)]
    private let unkId: Int32?
    private let fuseUnk: Bool
    private let byteFallback: Bool
    private let ignoreMerges: Bool
    private let prefix: String
    private let suffix: String
    private let byteIds: [Int32]

    init(_ json: JSONObject) throws {
        if let dropout = try json.double("dropout"), dropout > 0 {
            throw TokenizerError.invalidField(json.fieldPath("dropout"), "BPE dropout is random and not supported")
        }
        let vocab = try TokenVocabulary.read(json, key: "vocab")
        self.vocab = vocab
        var byId = [String?](repeating: nil, count: Int(vocab.values.max() ?? -1) + 1)
        for (token, id) in vocab where id >= 0 { byId[Int(id)] = token }
        tokensById = byId
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
        merges = table
        var byteIds = [Int32](repeating: -1, count: 256)
        for b in 0..<256 { byteIds[b] = vocab[Unigram.bytePiece(UInt8(b))] ?? -1 }
        self.byteIds = byteIds
    }

    var vocabSize: Int { vocab.count }

    func id(forToken token: String) -> Int32? { vocab[token] }

    func token(forId id: Int32) -> String? {
        guard id >= 0 && Int(id) < tokensById.count else { return nil }
        return tokensById[Int(id)]
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
        for i in 0..<n {
            var s = String(Unicode.Scalar(word[i])!)
            if i > 0 && !prefix.isEmpty { s = prefix + s }
            if i == n - 1 && !suffix.isEmpty { s += suffix }
            let span = (Int32(i), Int32(i + 1))
            if let id = vocab[s] {
                if let u = pendingUnk {
                    symbols.append(u)
                    pendingUnk = nil
                }
                symbols.append(Symbol(id: id, start: span.0, end: span.1))
                continue
            }
            if byteFallback {
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
        // Merge the lowest-ranked adjacent pair, leftmost first, until none applies.
        while symbols.count > 1 {
            var bestRank = Int32.max
            var bestAt = -1
            var bestId: Int32 = 0
            for k in 0..<(symbols.count - 1) {
                let key = UInt64(UInt32(bitPattern: symbols[k].id)) << 32 | UInt64(UInt32(bitPattern: symbols[k + 1].id))
                if let m = merges[key], m.rank < bestRank {
                    bestRank = m.rank
                    bestAt = k
                    bestId = m.id
                }
            }
            if bestAt < 0 { break }
            symbols[bestAt] = Symbol(id: bestId, start: symbols[bestAt].start, end: symbols[bestAt + 1].end)
            symbols.remove(at: bestAt + 1)
        }
        for s in symbols { out.append(ModelToken(id: s.id, start: s.start, end: s.end)) }
    }
}
