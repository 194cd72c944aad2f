import HTTPTypes
import SwiftletServeAPI

extension APIError {
    /// The HTTP status, with its standard reason phrase (APIError keeps only the code, so
    /// request parsing builds without HTTPTypes).
    var httpStatus: HTTPResponse.Status {
        switch status {
        case 400: return .badRequest
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 405: return .methodNotAllowed
        case 406: return .notAcceptable
        case 408: return .requestTimeout
        case 409: return .conflict
        case 410: return .gone
        case 411: return .lengthRequired
        case 412: return .preconditionFailed
        case 413: return .contentTooLarge
        case 414: return .uriTooLong
        case 415: return .unsupportedMediaType
        case 416: return .rangeNotSatisfiable
        case 417: return .expectationFailed
        case 421: return .misdirectedRequest
        case 422: return .unprocessableContent
        case 425: return .tooEarly
        case 426: return .upgradeRequired
        case 428: return .preconditionRequired
        case 429: return .tooManyRequests
        case 499: return .init(code: 499, reasonPhrase: "Client Closed Request")
        case 500: return .internalServerError
        case 501: return .notImplemented
        case 502: return .badGateway
        case 503: return .serviceUnavailable
        case 504: return .gatewayTimeout
        default: return .init(code: status)
        }
    }
}
