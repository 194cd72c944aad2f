import Swiftlet

/// Compact JSON, keys sorted, of the untyped header sections `ModelFile` keeps
/// (`pipeline`, `provenance`) — without JSONSerialization, which needs full Foundation.
/// The values are what the package's JSON parser made of the header: strings, arrays,
/// dictionaries, Bool, Int (numbers written without a fraction), Double and JSONNull.
enum AnyJSON {
    static func text(_ value: Any) -> String {
        if let s = value as? String { return JSONOut.string(s) }
        if let d = value as? [String: Any] {
            return "{" + d.keys.sorted().map { JSONOut.string($0) + ":" + text(d[$0]!) }.joined(separator: ",") + "}"
        }
        if let a = value as? [Any] { return "[" + a.map(text).joined(separator: ",") + "]" }
        if let b = value as? Bool { return b ? "true" : "false" }
        if let i = value as? Int { return "\(i)" }
        if let d = value as? Double { return d.isFinite ? "\(d)" : "null" }
        if String(describing: Swift.type(of: value)) == "JSONNull" { return "null" }
        return JSONOut.string("\(value)")
    }
}
