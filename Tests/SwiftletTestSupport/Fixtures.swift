import Foundation
import SwiftletTokenizers
import XCTest

/// Locates real tokenizer data. Model files are never committed: the MiniLM
/// tokenizer comes from $SWIFTLET_MINILM_TOKENIZER or the setup script's copy.
package enum Fixtures {
    /// The package root, found from this file (through any symlinked checkout).
    package static let packageRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// $SWIFTLET_MODELS, else models/ in the checkout (where tools/setup.sh writes).
    static var modelsDirectory: URL { TestPaths.models }

    package static func miniLMTokenizerURL() -> URL? {
        if let path = ProcessInfo.processInfo.environment["SWIFTLET_MINILM_TOKENIZER"], !path.isEmpty {
            return FileManager.default.fileExists(atPath: path) ? URL(fileURLWithPath: path) : nil
        }
        let local = modelsDirectory.appendingPathComponent("src/all-MiniLM-L6-v2/tokenizer.json")
        return FileManager.default.fileExists(atPath: local.path) ? local : nil
    }

    /// Fails the calling test (never skips) when the tokenizer cannot be found.
    package static func miniLMJSON(file: StaticString = #filePath, line: UInt = #line) throws -> Data {
        guard let url = miniLMTokenizerURL() else {
            XCTFail("""
                tokenizer \(modelsDirectory.path)/src/all-MiniLM-L6-v2/tokenizer.json is missing: \
                run `bash tools/setup.sh` (or set SWIFTLET_MINILM_TOKENIZER to a copy)
                """, file: file, line: line)
            throw FixtureMissing()
        }
        return try Data(contentsOf: url)
    }

    package static func miniLM(file: StaticString = #filePath, line: UInt = #line) throws -> Tokenizer {
        try Tokenizer(json: try miniLMJSON(file: file, line: line))
    }

    /// The MiniLM file with some BertNormalizer flags replaced.
    package static func miniLM(normalizerEdit: [String: Any]) throws -> Tokenizer {
        var root = try JSONSerialization.jsonObject(with: try miniLMJSON()) as! [String: Any]
        var normalizer = root["normalizer"] as! [String: Any]
        for (key, value) in normalizerEdit { normalizer[key] = value }
        root["normalizer"] = normalizer
        return try Tokenizer(json: try JSONSerialization.data(withJSONObject: root))
    }

    package struct GoldenCase {
        package let line: Int
        package let variant: String?
        package let text: String
        package let pair: String?
        package let ids: [Int32]
        package let tokens: [String]
        package let offsets: [TokenOffset]
        package let typeIds: [Int32]
        package let specialTokensMask: [Int32]
        package let decoded: String
    }

    package static func goldenCases(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> [GoldenCase] {
        let url = packageRoot.appendingPathComponent("golden/tokenizer-cases/\(name)")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            XCTFail("golden file missing: \(url.path) (run tools/golden.py tokenizer-cases)", file: file, line: line)
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

    package struct FixtureMissing: Error { package init() {} }

    /// models/src/<name>/tokenizer.json (or under $SWIFTLET_MODELS); fails, never skips.
    package static func sourceTokenizerURL(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let url = modelsDirectory.appendingPathComponent("src/\(name)/tokenizer.json")
        guard FileManager.default.fileExists(atPath: url.path) else {
            XCTFail("tokenizer \(url.path) is missing: run `bash tools/setup.sh`", file: file, line: line)
            throw FixtureMissing()
        }
        return url
    }

    package static func jsonLines(_ relativePath: String, file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        let url = packageRoot.appendingPathComponent(relativePath)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            XCTFail("golden file missing: \(url.path)", file: file, line: line)
            throw FixtureMissing()
        }
        return try data.split(separator: UInt8(ascii: "\n")).map {
            try JSONSerialization.jsonObject(with: Data($0)) as! [String: Any]
        }
    }

    /// golden/corpus/multilingual.jsonl, one text per line, lone surrogates as U+FFFD.
    package static func multilingualCorpus() throws -> [String] {
        try MultilingualCorpus.texts()
    }

    package static func fnv1a64(_ values: [UInt32]) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for v in values {
            for k in 0..<4 { h = (h ^ UInt64((v >> (8 * UInt32(k))) & 0xFF)) &* 0x0000_0100_0000_01B3 }
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
