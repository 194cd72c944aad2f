#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// A typed, path-aware view of one JSON object from tokenizer.json, so that every
/// malformed field produces an error naming exactly where it is.
struct JSONObject {
    let path: String
    let storage: [String: Any]

    init(_ storage: [String: Any], path: String) {
        self.storage = storage
        self.path = path
    }

    /// Vocabularies are left unparsed here; the models read them directly.
    static let lazyKeys: Set<String> = ["model.vocab", "model.merges"]

    static func parse(_ data: [UInt8]) throws -> JSONObject {
        let root = try JSONParser.parse(data, lazyKeys: lazyKeys)
        guard let object = root as? [String: Any] else {
            throw TokenizerError.invalidJSON("top level is not an object")
        }
        return JSONObject(object, path: "")
    }

    func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// True when the key is absent or explicitly null.
    func isNull(_ key: String) -> Bool {
        guard let value = storage[key] else { return true }
        return value is JSONNull
    }

    /// The value as generic Swift values (a lazily kept vocabulary is parsed now).
    func raw(_ key: String) -> Any? {
        guard let value = storage[key], !(value is JSONNull) else { return nil }
        if let lazy = value as? LazyJSON { return try? lazy.materialize() }
        return value
    }

    /// A vocabulary kept unparsed, for the model's fast reader.
    func lazy(_ key: String) -> LazyJSON? {
        storage[key] as? LazyJSON
    }

    func double(_ key: String) throws -> Double? {
        guard let value = raw(key) else { return nil }
        if let d = value as? Double { return d }
        if let n = value as? Int { return Double(n) }
        throw TokenizerError.invalidField(fieldPath(key), "expected a number")
    }

    func object(_ key: String) throws -> JSONObject? {
        guard let value = raw(key) else { return nil }
        guard let dict = value as? [String: Any] else {
            throw TokenizerError.invalidField(fieldPath(key), "expected an object")
        }
        return JSONObject(dict, path: fieldPath(key))
    }

    func requiredObject(_ key: String) throws -> JSONObject {
        guard let o = try object(key) else { throw TokenizerError.missingField(fieldPath(key)) }
        return o
    }

    func objects(_ key: String) throws -> [JSONObject]? {
        guard let value = raw(key) else { return nil }
        guard let array = value as? [Any] else {
            throw TokenizerError.invalidField(fieldPath(key), "expected an array")
        }
        return try array.enumerated().map { index, element in
            guard let dict = element as? [String: Any] else {
                throw TokenizerError.invalidField("\(fieldPath(key))[\(index)]", "expected an object")
            }
            return JSONObject(dict, path: "\(fieldPath(key))[\(index)]")
        }
    }

    func string(_ key: String) throws -> String? {
        guard let value = raw(key) else { return nil }
        guard let s = value as? String else {
            throw TokenizerError.invalidField(fieldPath(key), "expected a string")
        }
        return s
    }

    func requiredString(_ key: String) throws -> String {
        guard let s = try string(key) else { throw TokenizerError.missingField(fieldPath(key)) }
        return s
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = raw(key) else { return nil }
        if let b = value as? Bool { return b }
        throw TokenizerError.invalidField(fieldPath(key), "expected a boolean")
    }

    func int(_ key: String) throws -> Int? {
        guard let value = raw(key) else { return nil }
        if let n = value as? Int { return n }
        if let d = value as? Double, d == d.rounded(), abs(d) < 1e15 { return Int(d) }
        throw TokenizerError.invalidField(fieldPath(key), "expected an integer")
    }

    func requiredInt(_ key: String) throws -> Int {
        guard let n = try int(key) else { throw TokenizerError.missingField(fieldPath(key)) }
        return n
    }

    /// An id or type id: an integer that must fit the Int32 the encodings carry.
    func int32(_ key: String) throws -> Int32? {
        guard let n = try int(key) else { return nil }
        guard let v = Int32(exactly: n) else {
            throw TokenizerError.invalidField(fieldPath(key), "\(n) does not fit a 32-bit id")
        }
        return v
    }

    func requiredInt32(_ key: String) throws -> Int32 {
        guard let n = try int32(key) else { throw TokenizerError.missingField(fieldPath(key)) }
        return n
    }

    /// The component's `type` tag; HF writes it for every serialized component.
    func type() throws -> String {
        try requiredString("type")
    }
}
