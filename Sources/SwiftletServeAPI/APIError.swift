/// A request the server answers with an error. One value carries everything each API
/// surface needs to render it in its own shape (sidecar, OpenAI, Ollama, TEI). The status
/// is a plain HTTP code so request parsing needs no HTTP library (the fuzz build has none);
/// SwiftletServer turns it into its HTTP type.
public struct APIError: Error, Sendable {
    /// HTTP status code.
    public var status: Int
    /// Stable machine-readable code ("invalid_request", "too_large", …); also the
    /// `reason` label of the failures metric.
    public var code: String
    public var message: String
    /// OpenAI's `param` (which request field was wrong).
    public var param: String?
    /// Seconds, for 429 and 503.
    public var retryAfter: Int?

    public init(status: Int, code: String, message: String, param: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.param = param
        self.retryAfter = retryAfter
    }

    public static func badRequest(_ m: String, param: String? = nil) -> APIError {
        APIError(status: 400, code: "invalid_request", message: m, param: param)
    }
    public static func tooLarge(_ m: String) -> APIError { APIError(status: 413, code: "too_large", message: m) }
    public static func unsupportedMedia(_ m: String) -> APIError { APIError(status: 415, code: "unsupported_media_type", message: m) }
    public static func unprocessable(_ m: String) -> APIError { APIError(status: 422, code: "undecodable_image", message: m) }
    public static func notFound(_ m: String) -> APIError { APIError(status: 404, code: "not_found", message: m) }
    public static func modelNotFound(_ name: String) -> APIError {
        APIError(status: 404, code: "model_not_found", message: "model '\(name)' is not served here", param: "model")
    }
    public static func overloaded(_ m: String) -> APIError { APIError(status: 429, code: "overloaded", message: m, retryAfter: 1) }
    public static func draining() -> APIError { APIError(status: 503, code: "draining", message: "server is shutting down", retryAfter: 1) }
    public static func deadline() -> APIError { APIError(status: 504, code: "deadline", message: "the request's X-Deadline passed before it could run") }
    /// Never reaches a client: it hung up before its batch formed (499, nginx's "Client Closed Request").
    public static func dropped() -> APIError { APIError(status: 499, code: "dropped", message: "client disconnected before the work ran") }
    public static func methodNotAllowed(_ m: String) -> APIError { APIError(status: 405, code: "method_not_allowed", message: m) }
    public static func inference(_ m: String) -> APIError { APIError(status: 500, code: "inference", message: m) }
}
