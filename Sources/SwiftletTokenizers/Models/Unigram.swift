/// HF's Unigram model (SentencePiece unigram): the highest-scoring segmentation
/// by Viterbi over the vocabulary trie, exactly as `encode_optimized` does it —
/// f64 scores summed in the same order, ties kept by the first candidate,
/// unknown characters scored `min score - 10` and fused, optional byte fallback.
struct Unigram: TokenizerModel {
    let unkId: Int32
    let byteFallback: Bool
    private let pieces: PiecePool
    private let scores: [Double]
    private let trie: ScalarTrie
    private let unkScore: Double
    /// Ids of `<0x00>`…`<0xFF>` (-1 where missing), for byte fallback.
    private let byteIds: [Int32]

    private static let unknownPenalty = 10.0

    init(_ json: JSONObject, precomputed: UnigramVocabularyBlob? = nil) throws {
        let scores: [Double]
        var trie: ScalarTrie
        let pieces: PiecePool
        if let precomputed {
            scores = precomputed.scores
            trie = precomputed.trie
            pieces = precomputed.pieces
        } else {
            (scores, trie, pieces) = try Self.readVocabulary(json)
        }
        let count = scores.count
        guard let unk = try json.int("unk_id") else {
            // HF loads such a file but fails on the first unknown character.
            throw TokenizerError.invalidField(json.fieldPath("unk_id"), "a Unigram model without unk_id is not supported")
        }
        guard unk >= 0 && unk < count else {
            throw TokenizerError.invalidField(json.fieldPath("unk_id"), "\(unk) is outside the vocabulary")
        }
        self.pieces = pieces
        self.scores = scores
        trie.attachScores(scores)
        self.trie = trie
        unkId = Int32(unk)
        unkScore = scores.min()! - Self.unknownPenalty
        byteFallback = try json.bool("byte_fallback") ?? false
        var byteIds = [Int32](repeating: -1, count: 256)
        if byteFallback {
            for b in 0..<256 { byteIds[b] = trie.lookup(Self.bytePiece(UInt8(b))) ?? -1 }
        }
        self.byteIds = byteIds
    }

    /// Scores, trie and texts straight from tokenizer.json.
    static func readVocabulary(_ json: JSONObject) throws -> ([Double], ScalarTrie, PiecePool) {
        var scores: [Double] = []
        var pool: [UInt32] = []
        var bounds: [Int] = [0]
        let add = { (scalars: UnsafeBufferPointer<UInt32>, score: Double) in
            scores.append(score)
            pool.append(contentsOf: scalars)
            bounds.append(pool.count)
        }
        if let lazy = json.lazy("vocab") {
            try lazy.forEachScoredPiece(add)
        } else if let raw = json.raw("vocab") as? [Any] {
            for (i, entry) in raw.enumerated() {
                guard let pair = entry as? [Any], pair.count == 2, let piece = pair[0] as? String,
                    let score = (pair[1] as? Double) ?? (pair[1] as? Int).map(Double.init)
                else {
                    throw TokenizerError.invalidField("\(json.fieldPath("vocab"))[\(i)]", "expected [piece, score]")
                }
                let scalars = piece.unicodeScalars.map(\.value)
                scalars.withUnsafeBufferPointer { add($0, score) }
            }
        } else {
            throw TokenizerError.missingField(json.fieldPath("vocab"))
        }
        guard !scores.isEmpty else {
            throw TokenizerError.invalidField(json.fieldPath("vocab"), "the vocabulary is empty")
        }
        let count = scores.count
        let trie = pool.withUnsafeBufferPointer { p in
            bounds.withUnsafeBufferPointer { b in ScalarTrie(pool: p, bounds: b, count: count) }
        }
        return (scores, trie, PiecePool(scalars: pool, bounds: bounds))
    }

    static func bytePiece(_ b: UInt8) -> String {
        let hex = Array("0123456789ABCDEF")
        return "<0x\(hex[Int(b >> 4)])\(hex[Int(b & 15)])>"
    }

    var vocabSize: Int { pieces.count }

    func id(forToken token: String) -> Int32? { trie.lookup(token) }

    func token(forId id: Int32) -> String? { pieces.string(id) }

    func tokenize(_ word: UnsafeBufferPointer<UInt32>, into out: inout [ModelToken]) {
        let n = word.count
        guard n > 0 else { return }
        // Lattice scratch on the stack for ordinary words (heap only for huge ones).
        withUnsafeTemporaryAllocation(of: Node.self, capacity: n + 1) { lattice in
            viterbi(word, lattice.baseAddress!, into: &out)
        }
    }

    /// Best path ending at a position: its score, where it starts (-1 while
    /// unreached) and the trie node of the piece that ends it (-1: unknown).
    /// The node, not the id, so the search never touches the id table; ids are
    /// read once per emitted piece while backtracking.
    private struct Node {
        var best: Double
        var from: Int32
        var node: Int32
    }

    private func viterbi(_ word: UnsafeBufferPointer<UInt32>, _ lattice: UnsafeMutablePointer<Node>, into out: inout [ModelToken]) {
        let n = word.count
        lattice.initialize(repeating: Node(best: 0, from: -1, node: -1), count: n + 1)
        defer { lattice.deinitialize(count: n + 1) }
        trie.withTables { root, nodes, values in
            for start in 0..<n {
                let base = lattice[start].best
                var hasSingle = false
                var node: Int32 = 0
                var end = start
                while end < n {
                    let c = word[end]
                    node = node == 0 && c < ScalarTrie.directLimitValue ? root[Int(c)] : ScalarTrie.step(node, c, nodes)
                    if node < 0 { break }
                    end += 1
                    let record = nodes[Int(node)]
                    if record.label & ScalarTrie.terminalBit == 0 { continue }
                    let candidate = record.score + base
                    if lattice[end].from < 0 || candidate > lattice[end].best {
                        lattice[end] = Node(best: candidate, from: Int32(start), node: node)
                    }
                    if end == start + 1 { hasSingle = true }
                }
                if !hasSingle {
                    let candidate = unkScore + base
                    if lattice[start + 1].from < 0 || candidate > lattice[start + 1].best {
                        lattice[start + 1] = Node(best: candidate, from: Int32(start), node: -1)
                    }
                }
            }
            // Backtrack; runs of unk nodes fuse into one piece, as HF's fuse_unk does.
            backtrack(word, lattice, values, into: &out)
        }
    }

    private func backtrack(_ word: UnsafeBufferPointer<UInt32>, _ lattice: UnsafeMutablePointer<Node>, _ values: UnsafeBufferPointer<Int32>, into out: inout [ModelToken]) {
        let n = word.count
        let mark = out.count
        var end = n
        var fusedEnd = -1
        while end > 0 {
            let start = Int(lattice[end].from)
            let node = lattice[end].node
            let id = node < 0 ? unkId : values[Int(node)]
            if id == unkId {
                if fusedEnd < 0 { fusedEnd = end }
            } else {
                if fusedEnd >= 0 {
                    emitFused(word, end..<fusedEnd, into: &out)
                    fusedEnd = -1
                }
                // A vocabulary piece IS the text it matched: the token string is
                // made from the word in cache, not from the 250k-piece pool.
                out.append(ModelToken(id: id, start: Int32(start), end: Int32(end), literal: true))
            }
            end = start
        }
        if fusedEnd >= 0 { emitFused(word, 0..<fusedEnd, into: &out) }
        out[mark...].reverse()
    }

    /// A fused unknown run: its own piece if the vocabulary has it, else bytes
    /// (byte_fallback, only if every byte piece exists), else unk carrying the text.
    /// Appended in reverse order, like the backtracking that calls it.
    private func emitFused(_ word: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, into out: inout [ModelToken]) {
        let start = Int32(range.lowerBound)
        let end = Int32(range.upperBound)
        if let id = trie.lookup(UnsafeBufferPointer(rebasing: word[range])) {
            out.append(ModelToken(id: id, start: start, end: end, literal: true))
            return
        }
        if byteFallback {
            var bytes: [UInt8] = []
            for s in word[range] { bytes.append(contentsOf: String(Unicode.Scalar(s)!).utf8) }
            if bytes.allSatisfy({ byteIds[Int($0)] >= 0 }) {
                for b in bytes.reversed() { out.append(ModelToken(id: byteIds[Int(b)], start: start, end: end)) }
                return
            }
        }
        out.append(ModelToken(id: unkId, start: start, end: end, literal: true))
    }
}
