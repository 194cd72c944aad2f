import Foundation
import XCTest

/// golden/corpus/multilingual.jsonl (written by the tokenizers2 work, shared with
/// tools/golden.py e5): `{"text": T}` or `{"repeat": U, "times": N}` per line.
/// Escaped lone surrogates become U+FFFD first, exactly as the Python side does, because
/// neither HF tokenizers nor Swift strings can hold them.
package enum MultilingualCorpus {
    package static func texts() throws -> [String] {
        let data = try Data(contentsOf: TestPaths.goldenFile("corpus/multilingual.jsonl"))
        return try data.split(separator: UInt8(ascii: "\n")).enumerated().map { n, line in
            let fixed = Data(replacingLoneSurrogateEscapes(Array(line)))
            guard let o = try JSONSerialization.jsonObject(with: fixed) as? [String: Any] else {
                throw CorpusError(line: n + 1)
            }
            if let unit = o["repeat"] as? String, let times = o["times"] as? Int { return String(repeating: unit, count: times) }
            guard let t = o["text"] as? String else { throw CorpusError(line: n + 1) }
            return t
        }
    }

    struct CorpusError: Error, CustomStringConvertible {
        let line: Int
        var description: String { "golden/corpus/multilingual.jsonl:\(line) is neither {\"text\"} nor {\"repeat\", \"times\"}" }
    }

    /// `\uD800`-style escapes that are not half of a high+low pair → `\uFFFD`.
    static func replacingLoneSurrogateEscapes(_ line: [UInt8]) -> [UInt8] {
        func escape(at i: Int) -> UInt32? {
            guard i + 6 <= line.count, line[i] == UInt8(ascii: "\\"), line[i + 1] == UInt8(ascii: "u") else { return nil }
            return UInt32(String(decoding: line[(i + 2)..<(i + 6)], as: UTF8.self), radix: 16)
        }
        var out: [UInt8] = []
        out.reserveCapacity(line.count)
        var i = 0
        while i < line.count {
            if line[i] == UInt8(ascii: "\\") {
                if let v = escape(at: i) {
                    if (0xD800..<0xDC00).contains(v), let w = escape(at: i + 6), (0xDC00..<0xE000).contains(w) {
                        out += line[i..<(i + 12)]; i += 12
                    } else if (0xD800..<0xE000).contains(v) {
                        out += Array("\\ufffd".utf8); i += 6
                    } else {
                        out += line[i..<(i + 6)]; i += 6
                    }
                } else {
                    // Any other escape (\\, \", \n, …): copy both bytes so an escaped
                    // backslash followed by "u" is not mistaken for a \u escape.
                    out += line[i..<min(i + 2, line.count)]; i += 2
                }
            } else {
                out.append(line[i]); i += 1
            }
        }
        return out
    }
}
