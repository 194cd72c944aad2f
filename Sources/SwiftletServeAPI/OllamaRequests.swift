/// Ollama request bodies (`/api/embed`, `/api/embeddings`, `/api/show`) and their checks.
public enum OllamaRequests {
    public struct EmbedRequest: Decodable, Sendable {
        public var model: String?
        public var input: TextInput
        public var truncate: Bool?

        public func texts() throws -> [String] {
            guard let texts = input.texts else { throw APIError.badRequest("input must be a string or an array of strings", param: "input") }
            return texts
        }
    }

    /// The legacy endpoint: one prompt.
    public struct LegacyRequest: Decodable, Sendable {
        public var model: String?
        public var prompt: String
    }

    public struct ShowRequest: Decodable, Sendable {
        public var model: String?
        public var name: String?

        /// `model`, or the older `name`.
        public func modelName() throws -> String {
            guard let name = model ?? name else { throw APIError.badRequest("missing field 'model'", param: "model") }
            return name
        }
    }
}
