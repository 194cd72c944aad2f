/// Reads a `{"token": id}` vocabulary (WordPiece, BPE) from tokenizer.json.
enum TokenVocabulary {
    static func read(_ json: JSONObject, key: String) throws -> [String: Int32] {
        var vocab: [String: Int32] = [:]
        if let lazy = json.lazy(key) {
            try lazy.forEachTokenId { scalars, id in
                guard let id32 = Int32(exactly: id) else {
                    throw TokenizerError.invalidField(json.fieldPath(key), "id \(id) is out of range")
                }
                vocab[String(decodingScalars: scalars)] = id32
            }
            return vocab
        }
        guard let raw = json.raw(key) as? [String: Any] else {
            throw TokenizerError.missingField(json.fieldPath(key))
        }
        for (token, value) in raw {
            guard let n = value as? Int, let id = Int32(exactly: n) else {
                throw TokenizerError.invalidField(json.fieldPath(key), "id of \"\(token)\" is not an integer")
            }
            vocab[token] = id
        }
        return vocab
    }
}
