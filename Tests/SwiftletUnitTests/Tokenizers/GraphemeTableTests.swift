import XCTest

@testable import SwiftletTokenizers

/// `Graphemes.forEach` splits runs of "plain" scalars itself and leaves the rest to
/// the standard library's `Character` segmentation; both must give the clusters
/// the standard library alone gives.
final class GraphemeTableTests: XCTestCase {
    private func isPlain(_ c: UInt32) -> Bool {
        Graphemes.plainBMP[Int(c >> 6)] & (1 << UInt64(c & 63)) != 0
    }

    private func clusters(_ scalars: [UInt32]) -> Int {
        var view = String.UnicodeScalarView()
        for v in scalars { view.append(Unicode.Scalar(v)!) }
        return String(view).count
    }

    /// Each plain scalar breaks from a letter on either side and from itself:
    /// it is not Extend/ZWJ/SpacingMark (a+c), Prepend (c+a), or a scalar that
    /// joins its own kind (jamo, regional indicators).
    func testPlainScalarsAlwaysBreak() {
        var checked = 0
        var wrong: [String] = []
        for c in UInt32(0x300)..<0x10000 where isPlain(c) {
            checked += 1
            let a: UInt32 = 0x61
            if clusters([a, c]) != 2 || clusters([c, a]) != 2 || clusters([c, c]) != 2 {
                if wrong.count < 20 { wrong.append(String(c, radix: 16)) }
            }
        }
        XCTAssertGreaterThan(checked, 40_000)
        XCTAssertEqual(wrong, [], "scalars marked plain that join a neighbour")
    }

    /// The whole splitter against `Character` segmentation on mixed text: plain
    /// scalars from many scripts next to marks, joiners, jamo, emoji and CR LF.
    func testForEachMatchesStandardLibrary() {
        let pool: [UInt32] = [
            0x61, 0x20, 0x0D, 0x0A, 0x301, 0x308, 0x200D, 0x200C, 0xFE0F, 0x0E33, 0x0E01, 0x0E31, 0x0915, 0x094D,
            0x0937, 0x093F, 0x0600, 0x0628, 0x064E, 0x05D0, 0x05B8, 0x1100, 0x1161, 0x11A8, 0xAC00, 0xAC01,
            0x2764, 0x1F525, 0x1F44D, 0x1F3FD, 0x1F1E9, 0x1F1EA, 0x4E2D, 0x3042, 0x3099, 0xFF76, 0xFF9E, 0x0416,
            0x03B1, 0x0D4E, 0x0D15, 0x00AD, 0x2028, 0x0E40, 0x0EB3,
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        for trial in 0..<3000 {
            let s = (0..<(1 + next() % 12)).map { _ in pool[next() % pool.count] }
            var got: [Int] = []
            Graphemes.forEach(s) { got.append($0.count) }
            var view = String.UnicodeScalarView()
            for v in s { view.append(Unicode.Scalar(v)!) }
            let want = String(view).map { $0.unicodeScalars.count }
            if got != want {
                XCTFail("trial \(trial): \(s.map { String($0, radix: 16) }) split \(got), standard library \(want)")
                return
            }
        }
    }
}
