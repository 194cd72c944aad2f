import Swiftlet

/// text-embeddings-inference request bodies (`/embed`, `/tokenize`, `/rerank`,
/// `/embed_sparse`) and their checks.
public enum TEIRequests {
    public struct EmbedRequest: Decodable, Sendable {
        public var inputs: TextInput
        public var normalize: Bool?
        public var truncate: Bool?
        public var prompt_name: String?
    }

    public struct TokenizeRequest: Decodable, Sendable {
        public var inputs: TextInput
        public var add_special_tokens: Bool?
        public var prompt_name: String?
    }

    public struct RerankRequest: Decodable, Sendable {
        public var query: String
        public var texts: [String]
        public var raw_scores: Bool?
        public var return_text: Bool?
        public var truncate: Bool?
        public var truncation_direction: String?
        public var model: String?
    }

    public struct EmbedSparseRequest: Decodable, Sendable {
        public var inputs: TextInput
        public var truncate: Bool?
        public var truncation_direction: String?
        public var prompt_name: String?
        public var model: String?
    }

    /// The texts of `inputs`; token-id arrays are refused.
    public static func texts(_ inputs: TextInput) throws -> [String] {
        guard let texts = inputs.texts else { throw APIError.badRequest("token-id inputs are not supported", param: "inputs") }
        return texts
    }

    /// TEI's prompt names map to the model's configured prefixes.
    public static func prefix(_ name: String?) throws -> Embedder.Prefix {
        switch name {
        case nil: return .none
        case "query": return .query
        case "passage", "document": return .passage
        default: throw APIError.badRequest("unknown prompt_name '\(name!)' (this server knows \"query\" and \"passage\")", param: "prompt_name")
        }
    }

    /// `/tokenize` runs no batch, but still takes at most --max-batch inputs.
    public static func checkTokenizeCount(_ count: Int, maxBatch: Int) throws {
        guard count <= maxBatch else { throw APIError.tooLarge("\(count) inputs; at most \(maxBatch) (--max-batch)") }
    }

    /// Swiftlet's tokenizers cut the end of a text; TEI's "left" (cut the start) is refused
    /// rather than silently ignored.
    public static func checkDirection(_ d: String?) throws {
        guard let d, d.lowercased() != "right" else { return }
        throw APIError.badRequest("truncation_direction '\(d)' is not supported (only \"right\")", param: "truncation_direction")
    }

    /// SPLADE models have no prompts: any `prompt_name` is refused.
    public static func checkSparsePromptName(_ p: String?, model: String) throws {
        if let p {
            throw APIError.badRequest("prompt_name '\(p)': model '\(model)' has no prompts", param: "prompt_name")
        }
    }

    /// TEI refuses over-long inputs unless `truncate` is set, with its validation status;
    /// the message is filled in by the length check.
    public static let overLength = APIError(status: 413, code: "validation", message: "")
}
