import Foundation
import SwiftletTokenizers
import XCTest
import SwiftletTestSupport

/// Token ids, offsets and decoding identical to HF `tokenizers` 0.23.3 on
/// golden/corpus/multilingual.jsonl for real SentencePiece-family tokenizers.
/// Goldens: tools/golden.py tokenizer-cases-spm. Tokenizer files: tools/setup.sh.
final class SPMGoldenTests: XCTestCase {
    /// Golden name -> directory under models/src (as in tools/golden.py tokenizer-cases-spm).
    static let tokenizers: [(golden: String, source: String)] = [
        ("tokenlearn", "tokenlearn-static-model"),
        ("mon", "mon-tokenizer"),
        ("botchan-unigram", "spm-botchan-unigram"),
        ("botchan-bpe", "spm-botchan-bpe"),
        ("kyoto-unigram", "spm-kyoto-unigram"),
        ("minilm", "all-MiniLM-L6-v2"),
    ]

    func testTokenlearnUnigram() throws { try check("tokenlearn") }
    func testMonUnigramByteFallback() throws { try check("mon") }
    func testBotchanUnigram() throws { try check("botchan-unigram") }
    func testBotchanBPE() throws { try check("botchan-bpe") }
    func testKyotoUnigram() throws { try check("kyoto-unigram") }
    func testMiniLMMultilingual() throws { try check("minilm") }

    private func check(_ name: String) throws {
        let source = Self.tokenizers.first { $0.golden == name }!.source
        let tokenizer = try Tokenizer(contentsOf: try Fixtures.sourceTokenizerURL(source))
        let texts = try Fixtures.multilingualCorpus()
        let golden = try Fixtures.jsonLines("golden/tokenizer-cases/spm-\(name).jsonl")
        XCTAssertEqual(texts.count, golden.count, "corpus and golden differ in length: regenerate the goldens")
        XCTAssertGreaterThanOrEqual(texts.count, 1000)
        var idFailures = 0
        var offsetFailures = 0
        var decodeFailures = 0
        var idsOnlyFailures = 0
        for (index, (text, expected)) in zip(texts, golden).enumerated() {
            let e = tokenizer.encode(text, maxLength: 1 << 30)
            let label = "spm-\(name).jsonl:\(index + 1) \(text.prefix(60).debugDescription)"
            // The ids-only path (no token strings, no offsets) must give the very ids
            // checked against HF below.
            if tokenizer.encodeIds(text, maxLength: 1 << 30) != e.ids {
                idsOnlyFailures += 1
                if idsOnlyFailures <= 5 { XCTFail("\(label): encodeIds differs from encode().ids") }
            }
            let flatOffsets = e.offsets.flatMap { [Int32($0.start), Int32($0.end)] }
            if let ids = expected["ids"] as? [Int] {
                if e.ids != ids.map(Int32.init) {
                    idFailures += 1
                    if idFailures <= 10 {
                        XCTFail("\(label)\n  ids swift=\(e.ids.prefix(40))\n      hf=\(ids.prefix(40))\n  tokens swift=\(e.tokens.prefix(40))")
                    }
                    continue
                }
                let offsets = (expected["offsets"] as! [Int]).map(Int32.init)
                if flatOffsets != offsets {
                    offsetFailures += 1
                    if offsetFailures <= 5 {
                        let k = (0..<min(flatOffsets.count, offsets.count)).first { flatOffsets[$0] != offsets[$0] } ?? min(flatOffsets.count, offsets.count)
                        let from = max(0, k - 6)
                        XCTFail("\(label)\n  offsets from value \(from): swift=\(flatOffsets.dropFirst(from).prefix(24))\n                   hf=\(offsets.dropFirst(from).prefix(24))")
                    }
                }
                let decoded = tokenizer.decode(e.ids)
                if decoded != expected["decoded"] as! String {
                    decodeFailures += 1
                    if decodeFailures <= 10 {
                        XCTFail("\(label)\n  decode swift=\(decoded.prefix(80).debugDescription)\n         hf=\((expected["decoded"] as! String).prefix(80).debugDescription)")
                    }
                }
            } else {
                let count = expected["count"] as! Int
                let hash = Fixtures.fnv1a64(e.ids.map { UInt32(bitPattern: $0) })
                if e.ids.count != count || hash != expected["ids_fnv1a64"] as! String {
                    idFailures += 1
                    let head = (expected["head"] as! [Int]).map(Int32.init)
                    XCTFail("\(label): \(e.ids.count) ids (hf \(count)), hash differs\n  head swift=\(e.ids.prefix(30))\n       hf=\(head.prefix(30))")
                    continue
                }
                if Fixtures.fnv1a64(flatOffsets.map { UInt32(bitPattern: $0) }) != expected["offsets_fnv1a64"] as! String {
                    offsetFailures += 1
                }
            }
        }
        XCTAssertEqual(idFailures, 0, "\(name): strings with different ids")
        XCTAssertEqual(offsetFailures, 0, "\(name): strings with different offsets")
        XCTAssertEqual(decodeFailures, 0, "\(name): strings decoded differently")
        XCTAssertEqual(idsOnlyFailures, 0, "\(name): strings whose encodeIds differs from encode().ids")
    }
}
