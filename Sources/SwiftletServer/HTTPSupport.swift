#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import HTTPTypes
import Hummingbird
import Swiftlet

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
        let tenant = headers[.xTenant].flatMap { $0.isEmpty ? nil : $0 }
        let id = headers[.xRequestId].flatMap { $0.isEmpty ? nil : $0 } ?? UUID().uuidString.lowercased()
        var deadline: Double?
        if let d = headers[.xDeadline] {
            guard let ms = Double(d), ms.isFinite, ms > 0 else {
                throw APIError.badRequest("X-Deadline must be unix time in milliseconds, got '\(d)'")
            }
            deadline = ms
        }
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

    /// The body parsed as a JSON object of type `T` (400 with the decoder's reason otherwise).
    func json<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        let buffer = try await bytes(limit: limit)
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("request body is empty; expected a JSON object") }
        let data = Data(buffer.readableBytesView)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let e as APIError {
            throw e
        } catch let DecodingError.keyNotFound(key, _) {
            throw APIError.badRequest("missing field '\(key.stringValue)'", param: key.stringValue)
        } catch let DecodingError.typeMismatch(_, ctx) {
            let path = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.badRequest("field '\(path)': \(ctx.debugDescription)", param: path)
        } catch let DecodingError.valueNotFound(_, ctx) {
            let path = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.badRequest("field '\(path)' is null", param: path)
        } catch DecodingError.dataCorrupted(let ctx) {
            if let escape = JSONEscapes.unpairedSurrogate(String(decoding: data, as: UTF8.self)) {
                throw APIError.badRequest("the escape \(escape) is an unpaired UTF-16 surrogate, not a Unicode character")
            }
            let path = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.badRequest(path.isEmpty ? "body is not valid JSON" : "field '\(path)': \(ctx.debugDescription)", param: path.isEmpty ? nil : path)
        } catch {
            throw APIError.badRequest("body is not valid JSON: \(error)")
        }
    }
}

/// A JSON array of strings or a single string (OpenAI `input`, Ollama `input`, TEI
/// `inputs`). Token-id arrays decode as `.tokenIds` so each API can refuse them in its
/// own words instead of embedding numbers as text.
enum TextInput: Decodable, Sendable {
    case one(String)
    case many([String])
    case tokenIds

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { self = .one(s); return }
        if let a = try? c.decode([String].self) { self = .many(a); return }
        if (try? c.decode([Int].self)) != nil || (try? c.decode([[Int]].self)) != nil { self = .tokenIds; return }
        throw DecodingError.typeMismatch(String.self, .init(codingPath: c.codingPath, debugDescription: "expected a string or an array of strings"))
    }

    var texts: [String]? {
        switch self {
        case .one(let s): return [s]
        case .many(let a): return a
        case .tokenIds: return nil
        }
    }
}

/// JSON objects and arrays from already-encoded members (values via the library's
/// `JSONOut`, whose floats print as the CLI prints them).
enum JSONBuild {
    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { JSONOut.string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }
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
