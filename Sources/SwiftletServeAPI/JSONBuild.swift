import Swiftlet

/// JSON objects and arrays from already-encoded members (values via the library's
/// `JSONOut`, whose floats print as the CLI prints them).
public enum JSONBuild {
    public static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { JSONOut.string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    public static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }
}
