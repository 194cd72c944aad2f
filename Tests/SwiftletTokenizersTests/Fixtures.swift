import Foundation
import SwiftletTokenizers
import XCTest

/// Locates real tokenizer data. Model files are never committed: the MiniLM
/// tokenizer comes from $SWIFTLET_MINILM_TOKENIZER or the setup script's copy.
enum Fixtures {
    /// The package root, found from this file (through any symlinked checkout).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func miniLMTokenizerURL() -> URL? {
        if let path = ProcessInfo.processInfo.environment["SWIFTLET_MINILM_TOKENIZER"], !path.isEmpty {
            return FileManager.default.fileExists(atPath: path) ? URL(fileURLWithPath: path) : nil
        }
        let local = packageRoot.appendingPathComponent("models/src/all-MiniLM-L6-v2/tokenizer.json")
        return FileManager.default.fileExists(atPath: local.path) ? local : nil
    }

    /// Fails the calling test (never skips) when the tokenizer cannot be found.
    static func miniLMJSON(file: StaticString = #filePath, line: UInt = #line) throws -> Data {
        guard let url = miniLMTokenizerURL() else {
            XCTFail("""
                all-MiniLM-L6-v2 tokenizer.json not found: set SWIFTLET_MINILM_TOKENIZER or place it at \
                models/src/all-MiniLM-L6-v2/tokenizer.json under \(packageRoot.path)
                """, file: file, line: line)
            throw FixtureMissing()
        }
        return try Data(contentsOf: url)
    }

    static func miniLM(file: StaticString = #filePath, line: UInt = #line) throws -> Tokenizer {
        try Tokenizer(json: try miniLMJSON(file: file, line: line))
    }

    /// The MiniLM file with some BertNormalizer flags replaced.
    static func miniLM(normalizerEdit: [String: Any]) throws -> Tokenizer {
        var root = try JSONSerialization.jsonObject(with: try miniLMJSON()) as! [String: Any]
        var normalizer = root["normalizer"] as! [String: Any]
        for (key, value) in normalizerEdit { normalizer[key] = value }
        root["normalizer"] = normalizer
        return try Tokenizer(json: try JSONSerialization.data(withJSONObject: root))
    }

    struct GoldenCase {
        let line: Int
        let variant: String?
        let text: String
        let pair: String?
        let ids: [Int32]
        let tokens: [String]
        let offsets: [TokenOffset]
        let typeIds: [Int32]
        let specialTokensMask: [Int32]
        let decoded: String
    }

    static func goldenCases(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> [GoldenCase] {
        let url = packageRoot.appendingPathComponent("golden/tokenizer-cases/\(name)")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            XCTFail("golden file missing: \(url.path) (run tools/gen_tokenizer_cases.py)", file: file, line: line)
            throw FixtureMissing()
        }
        var cases: [GoldenCase] = []
        for (index, rawLine) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
            let o = try JSONSerialization.jsonObject(with: Data(rawLine)) as! [String: Any]
            func ints(_ key: String) -> [Int32] { (o[key] as! [NSNumber]).map { Int32($0.intValue) } }
            cases.append(GoldenCase(
                line: index + 1,
                variant: o["variant"] as? String,
                text: o["text"] as! String,
                pair: o["pair"] as? String,
                ids: ints("ids"),
                tokens: o["tokens"] as! [String],
                offsets: (o["offsets"] as! [[NSNumber]]).map { TokenOffset(start: $0[0].intValue, end: $0[1].intValue) },
                typeIds: ints("type_ids"),
                specialTokensMask: ints("special_tokens_mask"),
                decoded: o["decoded"] as! String))
        }
        return cases
    }

    struct FixtureMissing: Error {}
}
