import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Wrong inputs to a real model must produce a clear SwiftletError, never a crash.
final class BadInputTests: XCTestCase {
    func testOutOfRangeTokenIdIsAnError() throws {
        let s = try Session(path: try TestPaths.model("all-MiniLM-L6-v2"))
        let feeds = ["input_ids": try Tensor(int64s: [101, 999_999, 102], shape: [1, 3]),
                     "attention_mask": try Tensor(int64s: [1, 1, 1], shape: [1, 3]),
                     "token_type_ids": try Tensor(int64s: [0, 0, 0], shape: [1, 3])]
        expectError({ _ = try s.run(feeds) }, contains: "out of range")
    }

    /// The text-length limit (Embedder.Options.maxTextBytes): a text at the limit embeds, one
    /// byte over is an error naming the text, its size and the option; the prefix counts.
    func testTextLengthLimit() throws {
        let small = try Embedder(path: try TestPaths.model("all-MiniLM-L6-v2"), options: .init(threads: 1, maxTextBytes: 64))
        XCTAssertEqual(try small.embed([String(repeating: "a", count: 64)]).count, 1)
        expectError({ _ = try small.embed(["ok", String(repeating: "é", count: 40)]) },
                    contains: "text #1 is 80 bytes, over the limit of 64 bytes (Embedder.Options.maxTextBytes)")
        let e = try Embedder(path: try TestPaths.model("all-MiniLM-L6-v2"), options: .init(threads: 1))
        XCTAssertEqual(e.options.maxTextBytes, 1 << 28, "the C ABI's SWIFTLET_MAX_TEXT_BYTES")
        expectError({ _ = try e.embed([String(repeating: "a", count: (1 << 28) + 1)]) }, contains: "over the limit of 268435456 bytes")
        let e5 = try Embedder(path: try TestPaths.model("multilingual-e5-small"), options: .init(threads: 1, maxTextBytes: 9))
        expectError({ _ = try e5.embed(["abc"], prefix: .query) }, contains: "text #0 is 10 bytes")
    }
}
