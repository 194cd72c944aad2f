/// The checks on a request's texts that need no model: counts against --max-batch,
/// empty texts, byte limits.
public enum TextLimits {
    /// Dense embedding: at least one text, at most `maxBatch`.
    public static func checkEmbedCount(_ texts: [String], maxBatch: Int) throws {
        guard !texts.isEmpty else { throw APIError.badRequest("no texts given", param: "input") }
        guard texts.count <= maxBatch else {
            throw APIError.tooLarge("\(texts.count) texts in one request; at most \(maxBatch) (--max-batch)")
        }
    }

    /// Dense embedding refuses an empty text (prefix included) by its index.
    public static func checkNotEmpty(_ text: String, index: Int) throws {
        if text.isEmpty { throw APIError.badRequest("text \(index) is empty", param: "input") }
    }

    /// SPLADE, rerank and CLIP texts: an empty string is a valid text (the reference scores
    /// `[CLS] [SEP]`), so only an empty list is refused.
    public static func checkTexts(_ texts: [String], field: String, maxBatch: Int) throws {
        guard !texts.isEmpty else { throw APIError.badRequest("`\(field)` cannot be empty", param: field) }
        guard texts.count <= maxBatch else {
            throw APIError.tooLarge("\(texts.count) texts in one request; at most \(maxBatch) (--max-batch)")
        }
    }

    /// Each text at most `limit` UTF-8 bytes.
    public static func checkBytes(_ texts: [String], limit: Int) throws {
        if let i = texts.firstIndex(where: { $0.utf8.count > limit }) {
            throw APIError.tooLarge("text \(i) is \(texts[i].utf8.count) bytes; at most \(limit)")
        }
    }

    /// A rerank query and its documents, each at most `limit` UTF-8 bytes.
    public static func checkRerankBytes(query: String, documents: [String], limit: Int) throws {
        if query.utf8.count > limit { throw APIError.tooLarge("the query is \(query.utf8.count) bytes; at most \(limit)") }
        try checkBytes(documents, limit: limit)
    }
}
