#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// JSON output without Foundation's float formatting (which prints 0.1f as
/// 0.10000000149011612): floats use Swift's shortest round-trip representation.
/// Shared by the CLI and the C ABI, so both print the same bytes for the same result.
public enum JSONOut {
    /// A JSON string literal: quotes, backslashes and control characters escaped.
    public static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7f {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// A JSON number in the shortest form that reads back to `f`; `null` if not finite.
    public static func float(_ f: Float) -> String { f.isFinite ? "\(f)" : "null" }
    /// A JSON array of numbers, formatted as ``float(_:)`` does.
    public static func floats(_ v: [Float]) -> String { "[" + v.map(float).joined(separator: ",") + "]" }
    /// A JSON array of integers.
    public static func ints<T: BinaryInteger>(_ v: [T]) -> String { "[" + v.map { "\($0)" }.joined(separator: ",") + "]" }
    /// A JSON array of string literals.
    public static func strings(_ v: [String]) -> String { "[" + v.map(string).joined(separator: ",") + "]" }
}
