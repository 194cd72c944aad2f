import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// `swiftlet embed` on a CLIP model (RANDOM-weight reference, tools/build_clip.py): texts and
/// `--image` files in one space, one JSON line each, the same vectors as the Swift API.
final class CLIPCLITests: XCTestCase {
    typealias Result = CLIRunner.Result

    func swiftlet(_ args: [String]) throws -> Result { try CLIRunner.run(args) }

    func testEmbedTextsThenImagesAsTheAPIDoes() throws {
        let model = try TestPaths.model("clip-tiny-random")
        let image = TestPaths.root.appendingPathComponent("golden/ocr/synthetic/000.png").path
        let r = try swiftlet(["embed", "--model", model, "a photo of a cat", "", "--image", image])
        XCTAssertEqual(r.code, 0, r.err)
        let lines = try r.out.split(separator: "\n").map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertEqual(lines.count, 3)
        XCTAssertNil(lines[0]["image"])
        XCTAssertEqual(lines[2]["image"] as? String, image)
        let e = try ImageEmbedder(path: model, options: .init(threads: 2))
        let want = try e.embed(texts: ["a photo of a cat", ""]) + e.embed(imageFiles: [image])
        for (line, w) in zip(lines, want) {
            let got = try XCTUnwrap(line["embedding"] as? [Double]).map(Float.init)
            XCTAssertLessThanOrEqual(maxAbsDiff(got, w), 1e-6)
        }
    }

    func testImageWithATextModelIsAnError() throws {
        _ = try TestPaths.model("all-MiniLM-L6-v2")
        let r = try swiftlet(["embed", "--model", "all-MiniLM-L6-v2", "--image", "x.png"])
        XCTAssertNotEqual(r.code, 0)
        XCTAssertTrue(r.err.contains("not a CLIP model"), r.err)
        XCTAssertEqual(r.out, "")
        let missing = try swiftlet(["embed", "--model", TestPaths.model("clip-tiny-random"), "--image", "/nonexistent/a.png"])
        XCTAssertNotEqual(missing.code, 0)
        XCTAssertTrue(missing.err.contains("/nonexistent/a.png"), missing.err)
    }
}
