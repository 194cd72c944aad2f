import Foundation
import SwiftletTokenizers
import XCTest
import SwiftletTestSupport

/// Loading must fail loudly, naming the problem, rather than tokenize wrongly.
final class LoadErrorTests: XCTestCase {
    private func miniLMRoot() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: try Fixtures.miniLMJSON()) as! [String: Any]
    }

    private func assertLoadFails(_ root: [String: Any], mentioning expected: String, line: UInt = #line) throws {
        let data = try JSONSerialization.data(withJSONObject: root)
        XCTAssertThrowsError(try Tokenizer(json: data), line: line) { error in
            XCTAssertTrue(String(describing: error).contains(expected), "\(error) should mention \(expected)", line: line)
        }
    }

    func testUnknownNormalizerTypeThrows() throws {
        var root = try miniLMRoot()
        root["normalizer"] = ["type": "ByteLevel"]
        try assertLoadFails(root, mentioning: "unsupported normalizer type \"ByteLevel\"")
    }

    func testUnknownComponentInsideSequenceThrows() throws {
        var root = try miniLMRoot()
        root["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [["type": "BertPreTokenizer"], ["type": "UnicodeScripts"]]]
        try assertLoadFails(root, mentioning: "unsupported pre-tokenizer type \"UnicodeScripts\"")
    }

    func testUnknownModelPostProcessorAndDecoderThrow() throws {
        var root = try miniLMRoot()
        var model = root["model"] as! [String: Any]
        model["type"] = "WordLevel"
        root["model"] = model
        try assertLoadFails(root, mentioning: "unsupported model type \"WordLevel\"")

        root = try miniLMRoot()
        root["post_processor"] = ["type": "PiecewiseProcessing"]
        try assertLoadFails(root, mentioning: "unsupported post-processor type \"PiecewiseProcessing\"")

        root = try miniLMRoot()
        root["post_processor"] = ["type": "RobertaProcessing"]
        try assertLoadFails(root, mentioning: "post_processor.cls is invalid")

        root = try miniLMRoot()
        root["decoder"] = ["type": "CTC"]
        try assertLoadFails(root, mentioning: "unsupported decoder type \"CTC\"")
    }

    func testMissingUnkTokenThrows() throws {
        var root = try miniLMRoot()
        var model = root["model"] as! [String: Any]
        model["unk_token"] = "<not-there>"
        root["model"] = model
        try assertLoadFails(root, mentioning: "<not-there>")
    }

    func testInvalidJSONThrows() {
        for text in ["", "{", "not json", "[1, 2, 3]", "{\"model\": 5}", "{}"] {
            XCTAssertThrowsError(try Tokenizer(json: Data(text.utf8)), "accepted \(text.debugDescription)") { error in
                XCTAssertTrue(error is TokenizerError)
                XCTAssertFalse(String(describing: error).isEmpty)
            }
        }
    }

    func testUnsupportedRegexAndBadCharsmapThrow() throws {
        var root = try miniLMRoot()
        root["normalizer"] = ["type": "Replace", "pattern": ["Regex": "(a|b)+"], "content": "x"]
        try assertLoadFails(root, mentioning: "(a|b)+")
        root = try miniLMRoot()
        root["normalizer"] = ["type": "Precompiled", "precompiled_charsmap": "not base64!"]
        try assertLoadFails(root, mentioning: "precompiled_charsmap")
        root = try miniLMRoot()
        root["normalizer"] = ["type": "Precompiled", "precompiled_charsmap": "AAAA"]
        try assertLoadFails(root, mentioning: "precompiled_charsmap")
    }

    func testMissingFileThrows() {
        XCTAssertThrowsError(try Tokenizer(contentsOf: URL(fileURLWithPath: "/nonexistent/tokenizer.json")))
    }
}
