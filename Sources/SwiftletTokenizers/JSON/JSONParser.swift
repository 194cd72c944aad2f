#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// JSON `null` in parsed values (FoundationEssentials has no NSNull).
public struct JSONNull: Sendable, Equatable {
    /// The null value.
    public init() {}
}

/// A small JSON parser producing Swift values (`[String: Any]`, `[Any]`, `String`,
/// `Int`, `Double`, `Bool`, `JSONNull`). Object members whose dotted path is in
/// `lazyKeys` are skipped and returned as `LazyJSON`, so a huge vocabulary is
/// read once, straight into the model's own tables.
///
/// Why not JSONSerialization: it is several times slower on a 10-20 MB
/// tokenizer.json and builds a bridged object per vocabulary entry.
struct JSONParser {
    let bytes: JSONBytes
    let p: UnsafePointer<UInt8>
    let end: Int
    var i: Int
    let lazyKeys: Set<String>

    init(_ bytes: JSONBytes, position: Int = 0, lazyKeys: Set<String>) {
        self.bytes = bytes
        p = bytes.base
        end = bytes.count
        i = position
        self.lazyKeys = lazyKeys
    }

    static func parse(_ data: [UInt8], lazyKeys: Set<String>) throws -> Any {
        let bytes = JSONBytes(data)
        var parser = JSONParser(bytes, lazyKeys: lazyKeys)
        let value = try parser.parseValue(path: "")
        parser.skipWhitespace()
        guard parser.i == parser.end else { throw parser.error("unexpected data after the top-level value") }
        return value
    }

    func error(_ what: String) -> TokenizerError {
        .invalidJSON("\(what) at byte \(i)")
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while i < end {
            let c = p[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { return }
        }
    }

    @inline(__always)
    mutating func expect(_ c: UInt8) throws {
        skipWhitespace()
        guard i < end, p[i] == c else { throw error("expected '\(Character(Unicode.Scalar(c)))'") }
        i += 1
    }

    /// Consumes `c` (after whitespace) if it is next.
    @inline(__always)
    mutating func consume(_ c: UInt8) -> Bool {
        skipWhitespace()
        if i < end && p[i] == c {
            i += 1
            return true
        }
        return false
    }

    /// Objects and arrays nested deeper than this are an error, as in serde_json (HF's
    /// parser): the parser recurses per level, and a file of nothing but `[` overflowed the
    /// stack (found by the tokenizer-json fuzz target). Real files nest under 10 levels.
    static let maxDepth = 128
    var depth = 0

    mutating func parseValue(path: String) throws -> Any {
        skipWhitespace()
        guard i < end else { throw error("unexpected end of input") }
        switch p[i] {
        case UInt8(ascii: "{"):
            guard depth < Self.maxDepth else { throw error("nested deeper than \(Self.maxDepth) levels") }
            depth += 1
            defer { depth -= 1 }
            i += 1
            var object: [String: Any] = [:]
            if consume(UInt8(ascii: "}")) { return object }
            repeat {
                skipWhitespace()
                let key = try parseString()
                try expect(UInt8(ascii: ":"))
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if lazyKeys.contains(childPath) {
                    skipWhitespace()
                    let start = i
                    try skipValue()
                    object[key] = LazyJSON(bytes: bytes, range: start..<i, path: childPath)
                } else {
                    object[key] = try parseValue(path: childPath)
                }
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"))
            return object
        case UInt8(ascii: "["):
            guard depth < Self.maxDepth else { throw error("nested deeper than \(Self.maxDepth) levels") }
            depth += 1
            defer { depth -= 1 }
            i += 1
            var array: [Any] = []
            if consume(UInt8(ascii: "]")) { return array }
            repeat {
                array.append(try parseValue(path: path))
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"))
            return array
        case UInt8(ascii: "\""):
            return try parseString()
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        case UInt8(ascii: "n"):
            try literal("null")
            return JSONNull()
        default:
            return try parseNumber()
        }
    }

    private mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        guard i + n <= end, memcmp(p + i, word.utf8Start, n) == 0 else { throw error("invalid literal") }
        i += n
    }

    /// Integers stay `Int` (ids); anything with a fraction or exponent is `Double`.
    mutating func parseNumber() throws -> Any {
        let start = i
        var isInteger = true
        if i < end && p[i] == UInt8(ascii: "-") { i += 1 }
        let digitsStart = i
        while i < end {
            let c = p[i]
            if c >= 0x30 && c <= 0x39 {
                i += 1
            } else if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                || c == UInt8(ascii: "+") || c == UInt8(ascii: "-")
            {
                isInteger = false
                i += 1
            } else {
                break
            }
        }
        guard i > digitsStart else { throw error("invalid value") }
        if isInteger && i - digitsStart <= 18 {
            var v = 0
            for k in digitsStart..<i { v = v * 10 + Int(p[k] - 0x30) }
            return p[start] == UInt8(ascii: "-") ? -v : v
        }
        return try parseDouble(from: start, to: i)
    }

    /// Correctly rounded, like Rust's f64 parsing (strtod is, in the C locale
    /// format JSON uses).
    func parseDouble(from start: Int, to stop: Int) throws -> Double {
        var consumed = 0
        let v = (p + start).withMemoryRebound(to: CChar.self, capacity: stop - start + 1) { s -> Double in
            var endPtr: UnsafeMutablePointer<CChar>?
            let d = strtod(s, &endPtr)
            if let endPtr { consumed = UnsafePointer(endPtr) - s }
            return d
        }
        guard consumed == stop - start else {
            throw TokenizerError.invalidJSON("invalid number at byte \(start)")
        }
        return v
    }

    /// Reads a string at `i` (which must be at the opening quote).
    mutating func parseString() throws -> String {
        guard i < end, p[i] == UInt8(ascii: "\"") else { throw error("expected a string") }
        i += 1
        let start = i
        while i < end {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
                i += 1
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            i += 1
        }
        // Escapes present: decode scalar by scalar.
        i = start
        var scalars = String.UnicodeScalarView()
        try readStringScalars { scalars.append(Unicode.Scalar(UInt32($0))!) }
        return String(scalars)
    }

    /// Decodes the string at `i` (just after the opening quote) to scalars,
    /// consuming the closing quote. Invalid UTF-8 and lone surrogate escapes
    /// are rejected, as serde_json rejects them.
    mutating func readStringScalars(_ emit: (UInt32) -> Void) throws {
        while i < end {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return
            }
            if c == UInt8(ascii: "\\") {
                i += 1
                guard i < end else { break }
                let e = p[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): emit(0x22)
                case UInt8(ascii: "\\"): emit(0x5C)
                case UInt8(ascii: "/"): emit(0x2F)
                case UInt8(ascii: "b"): emit(0x08)
                case UInt8(ascii: "f"): emit(0x0C)
                case UInt8(ascii: "n"): emit(0x0A)
                case UInt8(ascii: "r"): emit(0x0D)
                case UInt8(ascii: "t"): emit(0x09)
                case UInt8(ascii: "u"):
                    let hi = try hex4()
                    if hi >= 0xD800 && hi < 0xDC00 {
                        guard i + 1 < end, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else {
                            throw error("lone surrogate escape")
                        }
                        i += 2
                        let lo = try hex4()
                        guard lo >= 0xDC00 && lo < 0xE000 else { throw error("lone surrogate escape") }
                        emit(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                    } else if hi >= 0xDC00 && hi < 0xE000 {
                        throw error("lone surrogate escape")
                    } else {
                        emit(hi)
                    }
                default:
                    throw error("invalid escape")
                }
                continue
            }
            if c < 0x80 {
                guard c >= 0x20 else { throw error("control character in string") }
                emit(UInt32(c))
                i += 1
                continue
            }
            emit(try decodeUTF8())
        }
        throw error("unterminated string")
    }

    @inline(__always)
    private mutating func decodeUTF8() throws -> UInt32 {
        let c = UInt32(p[i])
        var n = 0
        var v: UInt32 = 0
        var minimum: UInt32 = 0
        if c & 0xE0 == 0xC0 { n = 1; v = c & 0x1F; minimum = 0x80 }
        else if c & 0xF0 == 0xE0 { n = 2; v = c & 0x0F; minimum = 0x800 }
        else if c & 0xF8 == 0xF0 { n = 3; v = c & 0x07; minimum = 0x10000 }
        else { throw error("invalid UTF-8") }
        guard i + n < end else { throw error("invalid UTF-8") }
        for k in 1...n {
            let b = UInt32(p[i + k])
            guard b & 0xC0 == 0x80 else { throw error("invalid UTF-8") }
            v = (v << 6) | (b & 0x3F)
        }
        guard v >= minimum, v <= 0x10FFFF, !(v >= 0xD800 && v < 0xE000) else { throw error("invalid UTF-8") }
        i += n + 1
        return v
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= end else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = p[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw error("invalid \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    /// Skips one value without building it (brackets inside strings are ignored).
    mutating func skipValue() throws {
        skipWhitespace()
        guard i < end else { throw error("unexpected end of input") }
        let c = p[i]
        if c == UInt8(ascii: "\"") {
            i += 1
            try skipStringBody()
            return
        }
        if c != UInt8(ascii: "{") && c != UInt8(ascii: "[") {
            _ = try parseValue(path: "")
            return
        }
        var depth = 0
        while i < end {
            let b = p[i]
            i += 1
            switch b {
            case UInt8(ascii: "\""):
                try skipStringBody()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return }
            default:
                break
            }
        }
        throw error("unterminated container")
    }

    /// From just after an opening quote to just after the closing one.
    @inline(__always)
    mutating func skipStringBody() throws {
        while i < end {
            let b = p[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return
            }
            i += b == UInt8(ascii: "\\") ? 2 : 1
        }
        throw error("unterminated string")
    }
}

/// The parser for other JSON documents of the package (the `.swl` header): objects are
/// `[String: Any]`, arrays `[Any]`, numbers `Int` when integral in the text, else `Double`.
public enum JSONDocument {
    /// Parses a whole JSON document.
    ///
    /// - Throws: ``TokenizerError/invalidJSON(_:)`` with the byte offset of the first error.
    public static func parse(_ data: [UInt8]) throws -> Any {
        try JSONParser.parse(data, lazyKeys: [])
    }
}
