import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// Image/BicubicResize.swift against Pillow's `resize(..., BICUBIC)` byte for byte on the
/// cases golden/clip-reference/make_resize_cases.py writes (noise and smooth gradients;
/// up, down, one axis, to one pixel).
final class CLIPResizeTests: XCTestCase {
    func image(_ rel: String) throws -> RGBImage {
        let t = try NPY.read(TestPaths.goldenFile(rel).path)
        XCTAssertEqual(t.rank, 3, rel)
        return try RGBImage(width: t.shape[1], height: t.shape[0], pixels: t.withUnsafeBytes { Array($0) })
    }

    func testMatchesPillowBytes() throws {
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: TestPaths.goldenFile("clip-resize/cases.json"))) as! [String: Any]
        let cases = meta["cases"] as! [[String: Any]]
        XCTAssertEqual(cases.count, 9)
        for c in cases {
            let i = c["case"] as! Int, out = c["out"] as! [Int]
            let want = try image("clip-resize/case\(i)_out.npy")
            let got = try image("clip-resize/case\(i)_in.npy").resizedBicubicPIL(width: out[0], height: out[1])
            XCTAssertEqual([got.width, got.height], [want.width, want.height], "case \(i)")
            let differing = zip(got.pixels, want.pixels).filter { $0 != $1 }.count
            XCTAssertEqual(differing, 0, "case \(i) \(c["in"]!) -> \(out): \(differing) bytes differ from Pillow")
        }
    }

    func testBadSizesAreErrors() throws {
        let img = try RGBImage(width: 2, height: 2, pixels: [UInt8](repeating: 9, count: 12))
        expectError({ _ = try img.resizedBicubicPIL(width: 0, height: 2) }, contains: "must be positive")
        expectError({ _ = try img.resizedBicubicPIL(width: 1 << 20, height: 2) }, contains: "32768")
    }
}
