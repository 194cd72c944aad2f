import Foundation

/// Files under Fuzz/Fixtures (made by Fuzz/make-fixtures.py and Fuzz/make-models.py), found
/// from this source file's path: both the fuzzers and the unit tests run inside the checkout.
enum FuzzFixtures {
    static let directory: String = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// The tokenizer files, one per tokenizer model the fuzzers drive.
    static let tokenizerNames = ["wordpiece", "unigram-precompiled", "bpe", "bytelevel-bpe", "metaspace-bpe"]

    static func path(_ relative: String) -> String { directory + "/" + relative }

    static func contents(_ relative: String) -> Data {
        guard let data = FileManager.default.contents(atPath: path(relative)) else {
            fatalError("fuzz fixture \(path(relative)) is missing: run Fuzz/make-fixtures.py and Fuzz/make-models.py")
        }
        return data
    }
}
