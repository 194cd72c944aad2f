#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import HTTPTypes
import Hummingbird
import Swiftlet
import SwiftletServeAPI

/// Every response passes here: errors of any kind become a JSON body in the shape of the
/// API that was called (never plain text, never a 500 for bad input), the request id is
/// echoed, and the request is counted.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ServeContext
    let serving: Serving

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let t0 = ContinuousClock.now
        serving.metrics.inFlight(1)
        defer { serving.metrics.inFlight(-1) }
        var head = request.head
        let id = RequestHeaders.nonEmpty(head.headerFields[.xRequestId]) ?? UUID().uuidString.lowercased()
        head.headerFields[.xRequestId] = id
        let path = request.uri.path
        let route = Self.route(path)
        var response: Response
        do {
            response = try await next(Request(head: head, body: request.body), context)
        } catch {
            let e = Self.apiError(error, path: path, method: request.method)
            serving.metrics.failure(reason: Self.reason(e))
            response = Self.render(e, style: ErrorBody.Style(path: path))
            if serving.options.verbose || e.status >= 500 {
                fputs("swiftlet serve: \(request.method) \(path) [\(id)] → \(e.status) \(e.message)\n", stderr)
            }
        }
        response.headers[.xRequestId] = id
        response.headers[.xProtocolVersion] = String(SidecarRoutes.protocolVersion)
        serving.metrics.request(route: route, status: response.status.code)
        serving.metrics.observeRequest(route: route, since: t0)
        return response
    }

    /// Known routes keep their path as the metric label; anything else is "other", so a
    /// scanner cannot grow the label set without bound.
    static func route(_ path: String) -> String {
        let known: Set<String> = ["/healthz", "/v1/embed", "/v1/extract", "/v1/embeddings", "/v1/models", "/api/embed",
                                  "/api/embeddings", "/api/tags", "/api/show", "/api/version", "/", "/embed", "/tokenize",
                                  "/info", "/health", "/rerank", "/embed_sparse", "/metrics"]
        return known.contains(path) ? path : "other"
    }

    static func apiError(_ error: any Error, path: String, method: HTTPRequest.Method) -> APIError {
        switch error {
        case let e as APIError: return e
        case let e as any HTTPResponseError:
            if e.status == .notFound { return .notFound("no route for \(method) \(path)") }
            if e.status == .contentTooLarge { return .tooLarge("request body is too large") }
            if e.status == .methodNotAllowed { return .methodNotAllowed("\(method) is not allowed on \(path)") }
            return APIError(status: e.status.code, code: e.status.code < 500 ? "invalid_request" : "internal", message: e.status.reasonPhrase)
        case SwiftletError.invalidInput(let m): return .badRequest(m)
        default: return .inference("\(error)")
        }
    }

    static func reason(_ e: APIError) -> String {
        switch e.status {
        case 413: return "too_large"
        case 429: return "overloaded"
        case 503: return "draining"
        case 504: return "deadline"
        case 404: return "not_found"
        case 500...: return "inference"
        default: return "validation"
        }
    }

    /// The error's JSON body in the shape of the API that was called (SwiftletServeAPI's
    /// `ErrorBody`, which the `server` fuzz target checks is JSON).
    static func render(_ e: APIError, style: ErrorBody.Style) -> Response {
        var headers = HTTPFields()
        if let r = e.retryAfter { headers[.retryAfter] = String(r) }
        return .json(ErrorBody.json(e, style: style), status: e.httpStatus, headers: headers)
    }
}
