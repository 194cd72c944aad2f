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

/// Per-request facts every route reads: who asks (X-Tenant), which request this is
/// (X-Request-Id, generated when missing) and until when an answer is useful (X-Deadline,
/// absolute unix milliseconds).
struct RequestMeta: Sendable {
    /// X-Tenant; nil when the request names none (OpenAI/Ollama/TEI clients never do):
    /// such requests share only the global queue cap, not a per-tenant one, so 64
    /// concurrent SDK calls are not refused as one "tenant".
    var tenant: String?
    var requestId: String
    var deadline: Double?
    /// False once the client has hung up.
    var isConnected: @Sendable () -> Bool = { true }
}

extension HTTPField.Name {
    static let xTenant = HTTPField.Name("X-Tenant")!
    static let xRequestId = HTTPField.Name("X-Request-Id")!
    static let xDeadline = HTTPField.Name("X-Deadline")!
    static let xProtocolVersion = HTTPField.Name("X-Protocol-Version")!
    static let xEmbeddingCount = HTTPField.Name("X-Embedding-Count")!
    static let xEmbeddingDim = HTTPField.Name("X-Embedding-Dim")!
}

extension Request {
    func meta(_ context: ServeContext) throws -> RequestMeta {
        let tenant = RequestHeaders.nonEmpty(headers[.xTenant])
        let id = RequestHeaders.nonEmpty(headers[.xRequestId]) ?? UUID().uuidString.lowercased()
        let deadline = try RequestHeaders.deadline(headers[.xDeadline])
        return RequestMeta(tenant: tenant, requestId: id, deadline: deadline, isConnected: context.isConnected)
    }

    /// The whole body, at most `limit` bytes (413 beyond).
    func bytes(limit: Int) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: limit)
        } catch let e as any HTTPResponseError where e.status == .contentTooLarge {
            throw APIError.tooLarge("request body is over \(limit) bytes (--max-body)")
        }
    }

    /// The body parsed as a JSON object of type `T` (400 with the decoder's reason otherwise;
    /// SwiftletServeAPI's `JSONBody`, which the `server` fuzz target runs).
    func json<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        let buffer = try await bytes(limit: limit)
        return try JSONBody.decode(T.self, from: Array(buffer.readableBytesView))
    }
}

extension Response {
    static func json(_ body: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var h = headers
        h[.contentType] = "application/json"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func text(_ body: String, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Little-endian float32 bytes of the vectors, row after row (the sidecar's body and
/// OpenAI's base64 payload).
func float32Bytes(_ vectors: [[Float]]) -> [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(vectors.reduce(0) { $0 + $1.count } * 4)
    for v in vectors {
        for x in v {
            let b = x.bitPattern.littleEndian
            out.append(UInt8(truncatingIfNeeded: b)); out.append(UInt8(truncatingIfNeeded: b >> 8))
            out.append(UInt8(truncatingIfNeeded: b >> 16)); out.append(UInt8(truncatingIfNeeded: b >> 24))
        }
    }
    return out
}
