import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

final class ResizeTests: XCTestCase {
    /// cv2.resize(INTER_LINEAR) goldens on real pixels; tolerance 1 LSB (cv2's scalar row
    /// tail rounds differently from its SIMD body); the mismatch count is printed.
    func testMatchesCV2() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: try OCRGolden.url("resize").path).filter { !$0.hasPrefix("src") }.sorted()
        XCTAssertGreaterThan(files.count, 10)
        var total = 0, differing = 0, worst = 0
        for f in files {
            let key = String(f.prefix(1))
            let src = try OCRGolden.bgrImage("resize/src_\(key).npy")
            let want = try OCRGolden.bgrImage("resize/\(f)")
            let got = try src.resized(width: want.width, height: want.height)
            let d = pixelDiff(got, want)
            XCTAssertLessThanOrEqual(d.max, 1, "\(f): max |diff| \(d.max)")
            total += want.pixels.count; differing += d.count; worst = max(worst, d.max)
        }
        print("resize vs cv2: \(files.count) cases, \(differing)/\(total) bytes differ, max |diff| \(worst)")
    }

    func testBadTargets() throws {
        let img = try RGBImage(width: 2, height: 2, pixels: [UInt8](repeating: 1, count: 12))
        XCTAssertThrowsError(try img.resized(width: 0, height: 5))
        XCTAssertThrowsError(try img.resized(width: 100_000, height: 100_000))
    }
}
