import Foundation
import SwiftletTestSupport
@testable import SwiftletTokenizers
import XCTest

/// The precomputed Unigram vocabulary (tools/tokenizer_blob.py, written by
/// tools/setup.sh next to the tokenizer.json it was made from) must give the
/// exact trie Swift builds from tokenizer.json, HF's ids, and clear errors.
final class VocabularyBlobTests: XCTestCase {
    private func files(_ source: String) throws -> (json: [UInt8], blob: [UInt8]) {
        let url = try Fixtures.sourceTokenizerURL(source)
        let blobURL = url.deletingLastPathComponent().appendingPathComponent(UnigramVocabularyBlob.name)
        guard let blob = FileManager.default.contents(atPath: blobURL.path) else {
            XCTFail("\(blobURL.path) is missing: run `bash tools/setup.sh`")
            throw Fixtures.FixtureMissing()
        }
        return ([UInt8](try Data(contentsOf: url)), [UInt8](blob))
    }

    func testBlobTrieEqualsTrieBuiltFromJSON() throws {
        for source in ["tokenlearn-static-model", "mon-tokenizer", "spm-kyoto-unigram"] {
            let (json, blob) = try files(source)
            let fromBlob = try XCTUnwrap(try UnigramVocabularyBlob.read(blob, source: json), "\(source): blob reported stale")
            let (scores, trie, pieces) = try Unigram.readVocabulary(try JSONObject.parse(json).requiredObject("model"))
            XCTAssertEqual(fromBlob.scores, scores, source)
            XCTAssertEqual(fromBlob.trie.labels, trie.labels, source)
            XCTAssertEqual(fromBlob.trie.childStart, trie.childStart, source)
            XCTAssertEqual(fromBlob.trie.values, trie.values, source)
            XCTAssertEqual(fromBlob.pieces.count, pieces.count, source)
            for id in stride(from: 0, to: pieces.count, by: 97) {
                XCTAssertEqual(fromBlob.pieces.string(Int32(id)), pieces.string(Int32(id)), "\(source) piece \(id)")
            }
        }
    }

    /// HF's ids on the multilingual corpus through the blob-loaded tokenizer.
    func testBlobTokenizerMatchesHF() throws {
        let (json, blob) = try files("tokenlearn-static-model")
        let tokenizer = try Tokenizer(json: json, vocabularyBlob: blob)
        let golden = try Fixtures.jsonLines("golden/tokenizer-cases/spm-tokenlearn.jsonl")
        var checked = 0
        for (text, expected) in zip(try Fixtures.multilingualCorpus(), golden) {
            guard let ids = expected["ids"] as? [Int] else { continue }
            XCTAssertEqual(tokenizer.encode(text, maxLength: 1 << 30).ids, ids.map(Int32.init), text.debugDescription)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 1000)
    }

    /// A blob made from other tokenizer.json bytes is ignored, not trusted.
    func testStaleBlobIsIgnored() throws {
        let (json, blob) = try files("tokenlearn-static-model")
        var edited = json
        edited.append(contentsOf: Array("\n".utf8))
        XCTAssertNil(try UnigramVocabularyBlob.read(blob, source: edited))
        let tokenizer = try Tokenizer(json: edited, vocabularyBlob: blob)
        XCTAssertEqual(tokenizer.encode("Hello world").ids, try Tokenizer(json: json).encode("Hello world").ids)
    }

    func testDamagedBlobThrows() throws {
        let (json, blob) = try files("spm-botchan-unigram")
        func expectError(_ damaged: [UInt8], _ what: String) {
            XCTAssertThrowsError(try Tokenizer(json: json, vocabularyBlob: damaged), what) { error in
                guard case TokenizerError.invalidVocabularyBlob = error else {
                    return XCTFail("\(what): unexpected \(error)")
                }
            }
        }
        expectError(Array(blob.prefix(blob.count - 1)), "truncated")
        expectError(Array("not a blob at all, just text long enough for a header".utf8), "bad magic")
        let pieces = Int(blob[24]) | Int(blob[25]) << 8 | Int(blob[26]) << 16
        let nodes = Int(blob[28]) | Int(blob[29]) << 8 | Int(blob[30]) << 16
        var badValue = blob
        let valueAt = UnigramVocabularyBlob.headerSize + 8 * pieces + 4 * 5
        badValue.replaceSubrange(valueAt..<(valueAt + 4), with: [0xFF, 0xFF, 0xFF, 0x7F])
        expectError(badValue, "node id out of range")
        var badChildren = blob
        let childAt = UnigramVocabularyBlob.headerSize + 8 * pieces + 4 * nodes + 4 * 3
        badChildren.replaceSubrange(childAt..<(childAt + 4), with: [0, 0, 0, 0])
        expectError(badChildren, "child table broken")
    }
}
