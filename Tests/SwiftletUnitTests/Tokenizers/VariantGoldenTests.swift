import Foundation
import SwiftletTestSupport
import SwiftletTokenizers
import XCTest

/// Byte-level BPE variants of golden/tokenizer-cases/bytelevel-bpe.tokenizer.json, a
/// fixture HF made, so they need no model files.
final class VariantGoldenTests: XCTestCase {
    func testByteLevelBPEWithRoberta() throws { try VariantGolden.check("bytelevel-roberta") }
    func testByteLevelBPEWithSequenceProcessor() throws { try VariantGolden.check("bytelevel-sequence") }
    func testByteLevelWithoutRegex() throws { try VariantGolden.check("bytelevel-noregex") }
}
