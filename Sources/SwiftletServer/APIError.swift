#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import HTTPTypes
import Hummingbird

/// A request the server answers with an error. One value carries everything each API
/// surface needs to render it in its own shape (sidecar, OpenAI, Ollama, TEI).
struct APIError: Error, Sendable {
    var status: HTTPResponse.Status
    /// Stable machine-readable code ("invalid_request", "too_large", …); also the
    /// `reason` label of the failures metric.
    var code: String
    var message: String
    /// OpenAI's `param` (which request field was wrong).
    var param: String?
    /// Seconds, for 429 and 503.
    var retryAfter: Int?

    static func badRequest(_ m: String, param: String? = nil) -> APIError {
        APIError(status: .badRequest, code: "invalid_request", message: m, param: param)
    }
    static func tooLarge(_ m: String) -> APIError { APIError(status: .contentTooLarge, code: "too_large", message: m) }
    static func unsupportedMedia(_ m: String) -> APIError { APIError(status: .unsupportedMediaType, code: "unsupported_media_type", message: m) }
    static func unprocessable(_ m: String) -> APIError { APIError(status: .unprocessableContent, code: "undecodable_image", message: m) }
    static func notFound(_ m: String) -> APIError { APIError(status: .notFound, code: "not_found", message: m) }
    static func modelNotFound(_ name: String) -> APIError {
        APIError(status: .notFound, code: "model_not_found", message: "model '\(name)' is not served here", param: "model")
    }
    static func overloaded(_ m: String) -> APIError { APIError(status: .tooManyRequests, code: "overloaded", message: m, retryAfter: 1) }
    static func draining() -> APIError { APIError(status: .serviceUnavailable, code: "draining", message: "server is shutting down", retryAfter: 1) }
    static func deadline() -> APIError { APIError(status: .gatewayTimeout, code: "deadline", message: "the request's X-Deadline passed before it could run") }
    /// Never reaches a client: it hung up before its batch formed.
    static func dropped() -> APIError { APIError(status: .init(code: 499, reasonPhrase: "Client Closed Request"), code: "dropped", message: "client disconnected before the work ran") }
    static func methodNotAllowed(_ m: String) -> APIError { APIError(status: .methodNotAllowed, code: "method_not_allowed", message: m) }
    static func inference(_ m: String) -> APIError { APIError(status: .internalServerError, code: "inference", message: m) }
}
