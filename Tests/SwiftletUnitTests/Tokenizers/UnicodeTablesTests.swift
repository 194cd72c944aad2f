import XCTest
@testable import SwiftletTokenizers

/// The normalization data the tokenizers carry (UnicodeTables.swift, generated from
/// Foundation by tools/codegen/gen_unicode_tables.swift): parsed completely, and spot
/// values from the Unicode Character Database.
final class UnicodeTablesTests: XCTestCase {
    func testEveryEntryIsParsed() {
        // The counts the generator wrote into the tables' doc comments.
        XCTAssertEqual(Decomposition.canonical.count, 2060)
        XCTAssertEqual(Decomposition.compatibility.count, 5856)
        XCTAssertEqual(Decomposition.compositions.count, 1033)
    }

    func testKnownMappings() {
        XCTAssertEqual(Decomposition.canonical[0xC1], [0x41, 0x301])           // Á
        XCTAssertEqual(Decomposition.canonical[0x1E09], [0x63, 0x327, 0x301])   // ḉ: full, not one step
        XCTAssertEqual(Decomposition.compatibility[0xFB01], [0x66, 0x69])       // ﬁ ligature
        XCTAssertNil(Decomposition.canonical[0xFB01])                           // compatibility only
        XCTAssertNil(Decomposition.canonical[0x11938])                          // as in HF's tables
        // Several marks on one starter: each pair kept (a dictionary keyed by the starter
        // alone would keep only the last).
        XCTAssertEqual(Decomposition.compositions[0x41 << 32 | 0x300], 0xC0)
        XCTAssertEqual(Decomposition.compositions[0x41 << 32 | 0x301], 0xC1)
        XCTAssertEqual(Decomposition.compositions[0xE7 << 32 | 0x301], 0x1E09)  // ç + ´ → ḉ
        // Composition exclusions never compose.
        XCTAssertNil(Decomposition.compositions[0x915 << 32 | 0x93C])           // क़ (U+0958)
    }

    func testNFCRoundTrip() {
        let source = "A\u{301}rvi\u{301}z c\u{327}\u{301}".unicodeScalars.map(\.value)
        var text = source.withUnsafeBufferPointer { NormalizedText(original: $0, range: 0..<source.count) }
        UnicodeFormNormalizer(form: .nfc).normalize(&text)
        XCTAssertEqual(text.scalars, "Árvíz ḉ".unicodeScalars.map(\.value))
    }
}
