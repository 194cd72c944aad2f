import Swiftlet

/// Compact JSON, keys sorted, of the untyped header sections `ModelFile` keeps
/// (`pipeline`, `provenance`) — without JSONSerialization, which needs full Foundation.
/// The values are what Foundation's parser made of the header: strings, arrays,
/// dictionaries, and numbers and booleans as NSNumber, told apart by their class name
/// because this file cannot name NSNumber.
enum AnyJSON {
    static func text(_ value: Any) -> String {
        if let s = value as? String { return JSONOut.string(s) }
        if let d = value as? [String: Any] {
            return "{" + d.keys.sorted().map { JSONOut.string($0) + ":" + text(d[$0]!) }.joined(separator: ",") + "}"
        }
        if let a = value as? [Any] { return "[" + a.map(text).joined(separator: ",") + "]" }
        let type = String(describing: Swift.type(of: value))
        if type == "NSNull" { return "null" }
        if type == "Bool" || type == "__NSCFBoolean", let b = value as? Bool { return b ? "true" : "false" }
        if let i = value as? Int { return "\(i)" }
        if let d = value as? Double { return d.isFinite ? "\(d)" : "null" }
        return JSONOut.string("\(value)")
    }
}
