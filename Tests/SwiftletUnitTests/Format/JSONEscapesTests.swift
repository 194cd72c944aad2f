import XCTest
import Swiftlet

/// The lone-surrogate finder behind the CLI's and the server's JSON error messages.
final class JSONEscapesTests: XCTestCase {
    func testFindsUnpairedHighAndLowSurrogates() {
        XCTAssertEqual(JSONEscapes.unpairedSurrogate(#"{"text": "\ud800 lone high"}"#), #"\ud800"#)
        XCTAssertEqual(JSONEscapes.unpairedSurrogate(#"{"text": "lone low \uDC00"}"#), #"\uDC00"#)
        XCTAssertEqual(JSONEscapes.unpairedSurrogate(#"{"text": "high then BMP \ud83d\u0041"}"#), #"\ud83d"#)
    }

    func testAcceptsPairsAndOtherEscapes() {
        XCTAssertNil(JSONEscapes.unpairedSurrogate(#"{"text": "pair \ud83d\ude00 ok"}"#))
        XCTAssertNil(JSONEscapes.unpairedSurrogate(#"{"text": "\u00e9 \n \" plain"}"#))
        // An escaped backslash followed by "ud800" is text, not an escape.
        XCTAssertNil(JSONEscapes.unpairedSurrogate(#"{"text": "path \\ud800"}"#))
        XCTAssertNil(JSONEscapes.unpairedSurrogate(#"{"text": "truncated \ud8"}"#))
    }
}
