import Swiftlet

/// An APIError as the JSON body of the API surface that was called.
public enum ErrorBody {
    public enum Style: Sendable {
        case sidecar, openAI, ollama, tei

        public init(path: String) {
            if path.hasPrefix("/v1/embeddings") || path.hasPrefix("/v1/models") { self = .openAI }
            else if path.hasPrefix("/api/") { self = .ollama }
            else if ["/embed", "/tokenize", "/info", "/health", "/rerank", "/embed_sparse"].contains(path) { self = .tei }
            else { self = .sidecar }
        }
    }

    public static func json(_ e: APIError, style: Style) -> String {
        let message = JSONOut.string(e.message)
        switch style {
        case .sidecar:
            return JSONBuild.object([("error", JSONBuild.object([("code", JSONOut.string(e.code)), ("message", message)]))])
        case .openAI:
            let type = e.status == 429 ? "rate_limit_error" : e.status >= 500 ? "server_error" : "invalid_request_error"
            return JSONBuild.object([("error", JSONBuild.object([
                ("message", message), ("type", JSONOut.string(type)),
                ("param", e.param.map(JSONOut.string) ?? "null"), ("code", JSONOut.string(e.code)),
            ]))])
        case .ollama:
            return JSONBuild.object([("error", message)])
        case .tei:
            let type: String
            switch e.status {
            case 429: type = "Overloaded"
            case 503: type = "Unhealthy"
            case 500...: type = "Backend"
            default: type = e.message.contains("empty") ? "Empty" : "Validation"
            }
            return JSONBuild.object([("error", message), ("error_type", JSONOut.string(type))])
        }
    }
}
