/// One token produced by a model, positioned within the word it came from.
struct ModelToken {
    var id: Int32
    /// Scalar offsets relative to the start of the word.
    var start: Int32
    var end: Int32
    /// The token's text is the word's own text (an unknown run, or a piece known to
    /// spell exactly what it matched), so it need not be read from the vocabulary.
    var literal: Bool = false
}

/// Turns one pre-tokenized word into vocabulary ids.
protocol TokenizerModel: Sendable {
    func tokenize(_ word: UnsafeBufferPointer<UInt32>, into out: inout [ModelToken])
    func id(forToken token: String) -> Int32?
    func token(forId id: Int32) -> String?
    var vocabSize: Int { get }
}

enum TokenizerModelFactory {
    static func make(_ json: JSONObject, precomputed: UnigramVocabularyBlob? = nil) throws -> TokenizerModel {
        // Files written by very old versions of HF omit the model's type tag.
        let type: String
        if let t = try json.string("type") {
            type = t
        } else if !json.isNull("continuing_subword_prefix") || !json.isNull("max_input_chars_per_word") {
            type = "WordPiece"
        } else {
            throw TokenizerError.missingField(json.fieldPath("type"))
        }
        switch type {
        case "WordPiece":
            return try WordPiece(json)
        case "Unigram":
            return try Unigram(json, precomputed: precomputed)
        case "BPE":
            return try BPE(json)
        default:
            throw TokenizerError.unsupportedComponent(kind: "model", type: type)
        }
    }
}
