import SwiftletTokenizers
import XCTest
import SwiftletTestSupport

/// Compares against encodings produced by HF `tokenizers` 0.23
/// (tools/golden.py tokenizer-cases): ids, tokens, offsets, type ids and masks.
final class GoldenCaseTests: XCTestCase {
    /// Must match VARIANTS in tools/golden.py tokenizer-cases.
    static let variants: [String: [String: Any]] = [
        "cased": ["lowercase": false, "strip_accents": false],
        "strip-only": ["lowercase": false, "strip_accents": true],
        "lower-keep-accents": ["lowercase": true, "strip_accents": false],
        "raw": ["clean_text": false, "handle_chinese_chars": false, "lowercase": false, "strip_accents": false],
    ]

    private func check(_ tokenizer: Tokenizer, _ cases: [Fixtures.GoldenCase], file: String) {
        var failures = 0
        for c in cases {
            let e = tokenizer.encode(c.text, pair: c.pair, maxLength: 256)
            let label = "\(file):\(c.line) \(c.variant ?? "") \(c.text.debugDescription.prefix(80))"
            if e.ids != c.ids || e.tokens != c.tokens {
                XCTFail("\(label)\n  ids  swift=\(e.ids)\n       hf=\(c.ids)\n  toks swift=\(e.tokens)\n       hf=\(c.tokens)")
                failures += 1
            } else if e.offsets != c.offsets {
                XCTFail("\(label)\n  offsets swift=\(e.offsets.map { [$0.start, $0.end] })\n          hf=\(c.offsets.map { [$0.start, $0.end] })")
                failures += 1
            } else if e.typeIds != c.typeIds || e.specialTokensMask != c.specialTokensMask {
                XCTFail("\(label): type ids or special mask differ")
                failures += 1
            } else if e.attentionMask != [Int32](repeating: 1, count: e.ids.count) {
                XCTFail("\(label): attention mask not all ones")
                failures += 1
            }
            if failures > 20 { return }
        }
    }

    func testMiniLMGoldenCases() throws {
        let tokenizer = try Fixtures.miniLM()
        let cases = try Fixtures.goldenCases("minilm.jsonl")
        XCTAssertGreaterThanOrEqual(cases.count, 150)
        check(tokenizer, cases, file: "minilm.jsonl")
    }

    func testNormalizerFlagVariants() throws {
        let cases = try Fixtures.goldenCases("minilm-variants.jsonl")
        let grouped = Dictionary(grouping: cases) { $0.variant ?? "?" }
        XCTAssertEqual(Set(grouped.keys), Set(Self.variants.keys))
        for (name, edit) in Self.variants.sorted(by: { $0.key < $1.key }) {
            let tokenizer = try Fixtures.miniLM(normalizerEdit: edit)
            check(tokenizer, grouped[name] ?? [], file: "minilm-variants.jsonl")
        }
    }

    func testDecodeMatchesHF() throws {
        let tokenizer = try Fixtures.miniLM()
        var failures = 0
        for c in try Fixtures.goldenCases("minilm.jsonl") where failures < 10 {
            let decoded = tokenizer.decode(c.ids)
            if decoded != c.decoded {
                XCTFail("line \(c.line): decode swift=\(decoded.debugDescription) hf=\(c.decoded.debugDescription)")
                failures += 1
            }
        }
    }

    func testEncodeBatchMatchesEncode() throws {
        let tokenizer = try Fixtures.miniLM()
        let texts = try Fixtures.goldenCases("minilm.jsonl").filter { $0.pair == nil }.map(\.text)
        let batch = tokenizer.encodeBatch(texts, maxLength: 256)
        XCTAssertEqual(batch.count, texts.count)
        for (text, encoding) in zip(texts, batch) {
            XCTAssertEqual(encoding, tokenizer.encode(text, maxLength: 256))
        }
    }
}
