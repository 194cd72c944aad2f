import Swiftlet
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The "text" field of each line of a JSON-lines file ("-": stdin); blank lines are
/// skipped. Errors name the file and line.
enum JSONLinesFile {
    private struct Line: Decodable { let text: String }

    static func texts(at path: String) throws -> [String] {
        let bytes = try contents(of: path)
        let decoder = JSONDecoder()
        var texts: [String] = []
        var lineNo = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNo += 1
            if line.allSatisfy({ $0 == 32 || $0 == 13 || $0 == 9 }) { continue }
            func fail(_ m: String) -> CLIError { CLIError("\(path):\(lineNo): \(m)") }
            guard let text = String(validating: line, as: UTF8.self) else { throw fail("not valid UTF-8") }
            do {
                texts.append(try decoder.decode(Line.self, from: Data(line)).text)
            } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
                throw fail("not a JSON object")
            } catch DecodingError.keyNotFound, DecodingError.typeMismatch, DecodingError.valueNotFound {
                throw fail("no string field \"text\"")
            } catch {
                // Python's json.dumps writes lone surrogates as \udXXX escapes; they are
                // not Unicode text, so no tokenizer can take them. Say so rather than
                // "invalid JSON".
                if let escape = JSONEscapes.unpairedSurrogate(text) {
                    throw fail("the escape \(escape) is an unpaired UTF-16 surrogate, not a Unicode character; remove or replace it")
                }
                throw fail("not valid JSON")
            }
        }
        return texts
    }

    private static func contents(of path: String) throws -> [UInt8] {
        if path != "-" {
            guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read '\(path)'") }
            return [UInt8](data)
        }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw CLIError("cannot read stdin: \(String(cString: strerror(errno)))") }
            if n == 0 { return out }
            out += chunk[..<n]
        }
    }
}
