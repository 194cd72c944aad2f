import Foundation

/// JSON output without Foundation's float formatting (which prints 0.1f as
/// 0.10000000149011612): floats use Swift's shortest round-trip representation.
enum JSONOut {
    static func string(_ s: String) -> String {
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
                    out += String(format: "\\u%04x", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    static func float(_ f: Float) -> String { f.isFinite ? "\(f)" : "null" }
    static func floats(_ v: [Float]) -> String { "[" + v.map(float).joined(separator: ",") + "]" }
    static func ints<T: BinaryInteger>(_ v: [T]) -> String { "[" + v.map { "\($0)" }.joined(separator: ",") + "]" }
    static func strings(_ v: [String]) -> String { "[" + v.map(string).joined(separator: ",") + "]" }
}

/// Input texts: positional arguments, or the "text" field of each line of a JSONL file.
enum TextInput {
    static func load(_ args: Args) throws -> [String] {
        var texts = args.positionals
        if let path = args.value("jsonl") {
            guard let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: path) else {
                throw CLIError("cannot read '\(path)'")
            }
            var lineNo = 0
            for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                lineNo += 1
                if line.allSatisfy({ $0 == 32 || $0 == 13 || $0 == 9 }) { continue }
                guard String(data: Data(line), encoding: .utf8) != nil else { throw CLIError("\(path):\(lineNo): not valid UTF-8") }
                guard let obj = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                    throw CLIError("\(path):\(lineNo): not a JSON object")
                }
                guard let t = obj["text"] as? String else { throw CLIError("\(path):\(lineNo): no string field \"text\"") }
                texts.append(t)
            }
        }
        return texts
    }
}
