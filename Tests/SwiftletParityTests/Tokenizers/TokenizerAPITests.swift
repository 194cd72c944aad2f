import Foundation
import SwiftletTokenizers
import XCTest
import SwiftletTestSupport

final class TokenizerAPITests: XCTestCase {
    func testVocabularyAccessors() throws {
        let t = try Fixtures.miniLM()
        XCTAssertEqual(t.vocabSize, 30522)
        XCTAssertEqual(t.padId, 0)
        XCTAssertEqual(t.id(forToken: "[CLS]"), 101)
        XCTAssertEqual(t.id(forToken: "[SEP]"), 102)
        XCTAssertEqual(t.id(forToken: "[MASK]"), 103)
        XCTAssertEqual(t.id(forToken: "hello"), 7592)
        XCTAssertNil(t.id(forToken: "definitely-not-a-token"))
    }

    func testFileTruncationIsDefaultAndMaxLengthOverrides() throws {
        let t = try Fixtures.miniLM()
        let long = String(repeating: "word ", count: 1000)
        XCTAssertEqual(t.truncation?.maxLength, 128)
        XCTAssertEqual(t.encode(long).ids.count, 128)
        let e = t.encode(long, maxLength: 10)
        XCTAssertEqual(e.ids.count, 10)
        XCTAssertEqual(e.ids.first, 101)
        XCTAssertEqual(e.ids.last, 102)
        XCTAssertEqual(t.encode(long, maxLength: 600).ids.count, 600)
        XCTAssertEqual(t.encode(long, addSpecialTokens: false, maxLength: 7).ids.count, 7)
        // Fewer slots than special tokens: nothing of the text fits, specials stay.
        XCTAssertEqual(t.encode(long, maxLength: 1).ids, [101, 102])
    }

    func testWithoutSpecialTokens() throws {
        let t = try Fixtures.miniLM()
        let e = t.encode("Hello, world!", addSpecialTokens: false)
        XCTAssertEqual(e.tokens, ["hello", ",", "world", "!"])
        XCTAssertEqual(e.specialTokensMask, [0, 0, 0, 0])
        let p = t.encode("a", pair: "b", addSpecialTokens: false)
        XCTAssertEqual(p.tokens, ["a", "b"])
        XCTAssertEqual(p.typeIds, [0, 1])
    }

    func testDecode() throws {
        let t = try Fixtures.miniLM()
        let e = t.encode("Hello, world! It's unaffable.")
        // Expected strings are HF's: cleanup works per token, so "it ' s" survives.
        XCTAssertEqual(t.decode(e.ids), "hello, world! it ' s unaffable.")
        XCTAssertEqual(t.decode(e.ids, skipSpecialTokens: false), "[CLS] hello, world! it ' s unaffable. [SEP]")
        XCTAssertEqual(t.decode(t.encode("The capital is [MASK].").ids), "the capital is.")
        XCTAssertEqual(t.decode(t.encode("The capital is [MASK].").ids, skipSpecialTokens: false),
                       "[CLS] the capital is [MASK]. [SEP]")
        XCTAssertEqual(t.decode([]), "")
    }

    func testPadding() throws {
        let t = try Fixtures.miniLM()
        let e = t.encode("short text")
        XCTAssertEqual(e.attentionMask, [1, 1, 1, 1])
        let padded = t.pad([e, t.encode("a")], to: 6)
        XCTAssertEqual(padded[0].ids, e.ids + [0, 0])
        XCTAssertEqual(padded[0].attentionMask, [1, 1, 1, 1, 0, 0])
        XCTAssertEqual(padded[1].tokens, ["[CLS]", "a", "[SEP]", "[PAD]", "[PAD]", "[PAD]"])
        // The file asks for fixed-length 128 padding.
        XCTAssertEqual(t.pad([e])[0].ids.count, 128)
    }

    func testConcurrentUseIsConsistent() throws {
        let t = try Fixtures.miniLM()
        let texts = (0..<64).map { "sentence number \($0) with café and 中文 [MASK]" }
        let expected = texts.map { t.encode($0) }
        XCTAssertEqual(t.encodeBatch(texts), expected)
    }
}
