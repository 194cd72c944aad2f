import Foundation
import XCTest
@testable import SwiftletTokenizers

/// Vocabularies whose ids are sparse (legal in tokenizer.json; HF keeps id → token in a
/// map) load without an id-indexed array sized by the largest id: one id near 2³¹ once asked
/// for 16 GB (Fuzz/Regressions/tokenizer-json/wordpiece-sparse-ids). Ids still encode and
/// decode both ways.
final class SparseVocabularyTests: XCTestCase {
    func testWordPieceAndBPEWithAHugeId() throws {
        let big: Int32 = 2_000_000_000
        let wordPiece = """
        {"model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
         "max_input_chars_per_word": 100, "vocab": {"[UNK]": 0, "hello": \(big), "##s": 7}},
         "pre_tokenizer": {"type": "Whitespace"}}
        """
        let bpe = """
        {"model": {"type": "BPE", "vocab": {"h": 0, "i": \(big), "hi": 5}, "merges": ["h i"]},
         "pre_tokenizer": {"type": "Whitespace"}}
        """
        for (json, text, ids) in [(wordPiece, "hello hellos", [big, big, 7]), (bpe, "hi", [5])] {
            let t = try Tokenizer(json: Data(json.utf8))
            XCTAssertEqual(t.encodeIds(text, addSpecialTokens: false), ids)
            for id in ids { XCTAssertNotNil(t.token(forId: id)) }
            XCTAssertNil(t.token(forId: big - 1))
        }
        XCTAssertEqual(try Tokenizer(json: Data(bpe.utf8)).token(forId: big), "i")
    }
}
