import Foundation
import SwiftletTestSupport
import SwiftletTokenizers
import XCTest

/// Synthetic variants of the model tokenizers (`tools/setup.sh` fetches the bases);
/// the variants of committed tokenizer files are unit tests.
final class VariantGoldenTests: XCTestCase {
    func testRobertaProcessingUnigram() throws { try VariantGolden.check("roberta-unigram") }
    func testRobertaProcessingBPE() throws { try VariantGolden.check("roberta-bpe") }
    func testMetaspacePrependFirst() throws { try VariantGolden.check("metaspace-first") }
    func testMetaspaceNeverWithoutSplit() throws { try VariantGolden.check("metaspace-never-nosplit") }
    func testWhitespace() throws { try VariantGolden.check("whitespace") }
    func testWhitespaceSplit() throws { try VariantGolden.check("whitespace-split") }
    func testSplitLiteralBehaviors() throws { try VariantGolden.check("split-literal") }
    func testSplitRegexBehaviors() throws { try VariantGolden.check("split-regex") }
    func testSplitInverted() throws { try VariantGolden.check("split-invert") }
    func testPunctuationAndDigits() throws { try VariantGolden.check("punctuation-digits") }
    func testPunctuationAndDigitsUnigram() throws { try VariantGolden.check("punctuation-digits-unigram") }
    func testAddedTokenFlagsUnigram() throws { try VariantGolden.check("added-flags") }
    func testAddedTokenFlagsWordPiece() throws { try VariantGolden.check("added-flags-wordpiece") }
}
