import Swiftlet

/// Sidecar protocol v1 request bodies (`POST /v1/embed` with JSON) and their checks.
public enum SidecarRequests {
    public struct EmbedRequest: Decodable, Sendable {
        public var model: String?
        public var texts: [String]
        public var mode: String?
    }

    /// `mode` for an embedding model: its query/passage prefix.
    public static func prefix(mode: String?) throws -> Embedder.Prefix {
        switch mode ?? "none" {
        case "none": return .none
        case "query": return .query
        case "passage": return .passage
        default: throw APIError.badRequest("mode must be \"query\", \"passage\" or \"none\", got \"\(mode!)\"", param: "mode")
        }
    }

    /// `mode` for a CLIP model, which has no prefixes: only "none" (or nothing).
    public static func checkClipMode(_ mode: String?) throws {
        guard (mode ?? "none") == "none" else {
            throw APIError.badRequest("mode \"\(mode!)\": clip models have no query/passage prefixes", param: "mode")
        }
    }
}
