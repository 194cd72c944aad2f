/// OpenAI `POST /v1/embeddings` request body and its checks.
public enum OpenAIRequests {
    public struct EmbeddingsRequest: Decodable, Sendable {
        public var input: TextInput
        public var model: String?
        public var encoding_format: String?
        public var dimensions: Int?
        public var user: String?

        /// The texts; token-id arrays are refused.
        public func texts() throws -> [String] {
            guard let texts = input.texts else {
                throw APIError.badRequest("token-id input is not supported; send text strings", param: "input")
            }
            return texts
        }

        /// "float" (the default) or "base64" (what the official SDKs send).
        public func format() throws -> String {
            let format = encoding_format ?? "float"
            guard format == "float" || format == "base64" else {
                throw APIError.badRequest("encoding_format must be \"float\" or \"base64\", got \"\(format)\"", param: "encoding_format")
            }
            return format
        }
    }

    /// `dimensions` may only repeat the model's own width: vectors are not shortened.
    public static func checkDimensions(_ dimensions: Int?, model: String, dim: Int) throws {
        if let d = dimensions, d != dim {
            throw APIError.badRequest("model '\(model)' returns \(dim) dimensions and cannot shorten them (dimensions=\(d))", param: "dimensions")
        }
    }
}
