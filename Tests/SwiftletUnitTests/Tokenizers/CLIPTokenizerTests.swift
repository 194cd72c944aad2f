import Foundation
import XCTest
import SwiftletTestSupport
import SwiftletTokenizers

/// CLIP's byte-level BPE (NFC, whitespace runs → " ", lower-casing; CLIP's split pattern;
/// byte-level; BPE with the `</w>` end-of-word suffix; <|startoftext|> … <|endoftext|>,
/// context 77) from the tokenizer.json tools/build_clip.py writes from open-clip-torch's
/// bpe_simple_vocab_16e6.txt.gz: ids identical to transformers' CLIPTokenizer (the
/// tokenizers-backed CLIPTokenizerFast) on the whole golden corpus (en + multilingual).
final class CLIPTokenizerTests: XCTestCase {
    func tokenizer() throws -> Tokenizer {
        let url = TestPaths.models.appendingPathComponent("src/clip-tiny-random/tokenizer.json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            XCTFail("\(url.path) is missing: run `bash tools/setup.sh` (tools/setup.d/65-clip.sh builds it)")
            throw XCTSkip("unreachable: failed above")
        }
        return try Tokenizer(json: Array(data))
    }

    func testGoldenCorpusIdsMatchTransformers() throws {
        let tok = try tokenizer()
        let en = try readJSONL(TestPaths.goldenFile("corpus/en.jsonl")).map { $0["text"] as! String }
        let texts = try en + MultilingualCorpus.texts()
        let golden = try readJSONL(TestPaths.goldenFile("clip-tokenizer/tokens.jsonl")).map { ($0["ids"] as! [Int]).map(Int32.init) }
        XCTAssertEqual(texts.count, golden.count)
        var mismatches = 0
        for (i, (text, want)) in zip(texts, golden).enumerated() {
            let got = tok.encode(text, maxLength: 77).ids
            if got != want {
                mismatches += 1
                if mismatches <= 5 { XCTFail("text #\(i) \(text.prefix(80).debugDescription): got \(got.prefix(20)) want \(want.prefix(20))") }
            }
        }
        print("clip tokenizer: \(texts.count - mismatches)/\(texts.count) texts identical to transformers")
        XCTAssertEqual(mismatches, 0)
    }

    func testSpecialsAndContext() throws {
        let tok = try tokenizer()
        let ids = tok.encode("A  photo\tof a CAT!", maxLength: 77).ids
        XCTAssertEqual(ids.first, 49406)
        XCTAssertEqual(ids.last, 49407)
        XCTAssertEqual(tok.encode(String(repeating: "word ", count: 200), maxLength: 77).ids.count, 77)
    }
}
