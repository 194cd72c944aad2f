import Foundation
import SwiftletTokenizers
import XCTest

/// Components the real tokenizer files do not exercise, checked on synthetic
/// variants of them: ids, type ids, special-token masks and offsets identical to
/// HF `tokenizers` 0.23.3 on every fifth multilingual corpus text (plus pairs).
/// Goldens and their recipes: tools/golden.py tokenizer-variants (byte-level ones
/// also compare decoding).
package enum VariantGolden {
    /// Must match tools/golden.py tokenizer-variants (swiftlet_tools/golden/tokenizer_variants.py) (MAX_CHARS, EVERY).
    package static func texts() throws -> [String] {
        let all = try Fixtures.multilingualCorpus().filter { $0.unicodeScalars.count < 2000 }
        return stride(from: 0, to: all.count, by: 5).map { all[$0] }
    }

    package static func check(_ name: String) throws {
        let lines = try Fixtures.jsonLines("golden/tokenizer-cases/variant-\(name).jsonl")
        let recipe = try XCTUnwrap(lines.first)
        let base = try XCTUnwrap(recipe["base"] as? String)
        // "golden:<file>": a fixture HF made (tools/golden.py tokenizer-variants), not a model file.
        let baseURL = base.hasPrefix("golden:")
            ? Fixtures.packageRoot.appendingPathComponent("golden/tokenizer-cases/\(base.dropFirst("golden:".count))")
            : try Fixtures.sourceTokenizerURL(base)
        var root = try JSONSerialization.jsonObject(with: Data(contentsOf: baseURL)) as! [String: Any]
        for (key, value) in recipe["replace"] as? [String: Any] ?? [:] { root[key] = value }
        root["added_tokens"] = (root["added_tokens"] as? [Any] ?? []) + (recipe["added_tokens"] as? [Any] ?? [])
        root["truncation"] = NSNull()
        root["padding"] = NSNull()
        let tokenizer = try Tokenizer(json: try JSONSerialization.data(withJSONObject: root))
        let texts = try texts()
        let cases = Array(lines.dropFirst())
        XCTAssertEqual(texts.count, cases.count, "corpus and golden differ in length: regenerate the goldens")
        XCTAssertGreaterThan(cases.count, 200)
        var failures = 0
        for (index, (text, expected)) in zip(texts, cases).enumerated() where failures < 8 {
            let label = "variant-\(name).jsonl:\(index + 2) \(text.prefix(50).debugDescription)"
            let e = tokenizer.encode(text, maxLength: 1 << 30)
            if !same(e, expected, label) { failures += 1 }
            if let decoded = expected["decoded"] as? String, tokenizer.decode(e.ids) != decoded {
                XCTFail("\(label): decode swift=\(tokenizer.decode(e.ids).prefix(60).debugDescription) hf=\(decoded.prefix(60).debugDescription)")
                failures += 1
            }
            if let pair = expected["pair"] as? [String: Any] {
                let e = tokenizer.encode(text, pair: texts[index + 1], maxLength: 1 << 30)
                if !same(e, pair, "\(label) (pair)") { failures += 1 }
            }
        }
        XCTAssertEqual(failures, 0, "\(name): encodings differ from HF")
    }

    private static func same(_ e: Encoding, _ expected: [String: Any], _ label: String) -> Bool {
        func ints(_ key: String) -> [Int32] { (expected[key] as! [Int]).map(Int32.init) }
        let offsets = e.offsets.flatMap { [Int32($0.start), Int32($0.end)] }
        let checks: [(String, [Int32], [Int32])] = [
            ("ids", e.ids, ints("ids")), ("type ids", e.typeIds, ints("type_ids")),
            ("special mask", e.specialTokensMask, ints("special")), ("offsets", offsets, ints("offsets")),
        ]
        for (what, swift, hf) in checks where swift != hf {
            let k = (0..<min(swift.count, hf.count)).first { swift[$0] != hf[$0] } ?? min(swift.count, hf.count)
            let from = max(0, k - 4)
            XCTFail("\(label): \(what) differ from index \(from)\n  swift=\(swift.dropFirst(from).prefix(20))\n     hf=\(hf.dropFirst(from).prefix(20))\n  tokens=\(e.tokens.dropFirst(max(0, from / (what == "offsets" ? 2 : 1))).prefix(12))")
            return false
        }
        return true
    }
}
