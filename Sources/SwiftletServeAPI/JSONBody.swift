#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Swiftlet

/// A request body parsed as a JSON object of a route's request type: every failure becomes
/// a 400 naming the field and what is wrong with it (never a 500, never the decoder's dump).
public enum JSONBody {
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        guard !bytes.isEmpty else { throw APIError.badRequest("request body is empty; expected a JSON object") }
        let data = Data(bytes)
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
            // Foundation's reason for a lone surrogate escape is opaque; name the escape.
            if let escape = JSONEscapes.unpairedSurrogate(String(decoding: bytes, as: UTF8.self)) {
                throw APIError.badRequest("the escape \(escape) is an unpaired UTF-16 surrogate, not a Unicode character")
            }
            let path = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.badRequest(path.isEmpty ? "body is not valid JSON" : "field '\(path)': \(ctx.debugDescription)", param: path.isEmpty ? nil : path)
        } catch {
            throw APIError.badRequest("body is not valid JSON: \(error)")
        }
    }
}
