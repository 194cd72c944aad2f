#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Greedy longest-match-first WordPiece, as in HF `tokenizers`.
struct WordPiece: TokenizerModel {
    let unkToken: String
    let unkId: Int32
    let continuingSubwordPrefix: String
    let maxInputCharsPerWord: Int
    let vocab: [String: Int32]
    let tokensById: TokenTable
    /// Word-initial pieces, keyed by their scalars.
    private let initialPieces: ScalarVocabulary
    /// Continuation pieces, keyed WITHOUT the prefix, so a probe needs no concatenation.
    private let continuationPieces: ScalarVocabulary

    init(_ json: JSONObject) throws {
        let vocab = try TokenVocabulary.read(json, key: "vocab")
        try self.init(
            vocab: vocab,
            unkToken: try json.string("unk_token") ?? "[UNK]",
            continuingSubwordPrefix: try json.string("continuing_subword_prefix") ?? "##",
            maxInputCharsPerWord: try json.int("max_input_chars_per_word") ?? 100)
    }

    init(vocab: [String: Int32], unkToken: String, continuingSubwordPrefix: String, maxInputCharsPerWord: Int) throws {
        self.vocab = vocab
        self.unkToken = unkToken
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maxInputCharsPerWord = maxInputCharsPerWord
        guard let unk = vocab[unkToken] else {
            throw TokenizerError.unknownToken(unkToken, context: "WordPiece unk_token")
        }
        unkId = unk
        // Prefix tests run on scalars: as Characters, "##" + a combining mark
        // would merge the second "#" and the mark into one grapheme.
        let prefixScalars = Array(continuingSubwordPrefix.unicodeScalars.map(\.value))
        var initial: [(key: [UInt32], id: Int32)] = []
        var continuation: [(key: [UInt32], id: Int32)] = []
        initial.reserveCapacity(vocab.count)
        for (token, id) in vocab {
            let scalars = Array(token.unicodeScalars.map(\.value))
            initial.append((scalars, id))
            if !prefixScalars.isEmpty && scalars.starts(with: prefixScalars) {
                continuation.append((Array(scalars.dropFirst(prefixScalars.count)), id))
            }
        }
        tokensById = TokenTable(vocab)
        initialPieces = ScalarVocabulary(initial)
        continuationPieces = continuingSubwordPrefix.isEmpty ? initialPieces : ScalarVocabulary(continuation)
    }

    var vocabSize: Int { vocab.count }

    func id(forToken token: String) -> Int32? { vocab[token] }

    func token(forId id: Int32) -> String? {
        tokensById[id]
    }

    func tokenize(_ word: UnsafeBufferPointer<UInt32>, into out: inout [ModelToken]) {
        let n = word.count
        guard n > 0, let base = word.baseAddress else { return }
        if n > maxInputCharsPerWord {
            out.append(ModelToken(id: unkId, start: 0, end: Int32(n)))
            return
        }
        let mark = out.count
        var start = 0
        while start < n {
            let pieces = start == 0 ? initialPieces : continuationPieces
            var end = min(n, start + pieces.maxKeyLength)
            var found: Int32?
            while end > start {
                if let id = pieces.lookup(base + start, count: end - start) {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else {
                // One unknown piece makes the whole word unknown.
                out.removeSubrange(mark...)
                out.append(ModelToken(id: unkId, start: 0, end: Int32(n)))
                return
            }
            out.append(ModelToken(id: id, start: Int32(start), end: Int32(end)))
            start = end
        }
    }
}
