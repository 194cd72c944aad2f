import Foundation
import Swiftlet

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
                let parsed: Any
                do {
                    parsed = try JSONSerialization.jsonObject(with: Data(line))
                } catch {
                    // Python's json.dumps writes lone surrogates as \udXXX escapes; they are
                    // not Unicode text, so no tokenizer can take them. Say so rather than
                    // "invalid JSON".
                    if let text = String(data: Data(line), encoding: .utf8), let escape = JSONEscapes.unpairedSurrogate(text) {
                        throw CLIError("\(path):\(lineNo): the escape \(escape) is an unpaired UTF-16 surrogate, not a Unicode character; remove or replace it")
                    }
                    throw CLIError("\(path):\(lineNo): not valid JSON")
                }
                guard let obj = parsed as? [String: Any] else { throw CLIError("\(path):\(lineNo): not a JSON object") }
                guard let t = obj["text"] as? String else { throw CLIError("\(path):\(lineNo): no string field \"text\"") }
                texts.append(t)
            }
        }
        return texts
    }
}
