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
}
