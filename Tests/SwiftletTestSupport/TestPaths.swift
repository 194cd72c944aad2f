import Foundation
import XCTest
import Swiftlet

/// Where tests find real models and reference outputs. Models come from tools/setup.sh;
/// when one is missing the test fails with the command to run — it never skips.
package enum TestPaths {
    package static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    package static var models: URL {
        if let m = ProcessInfo.processInfo.environment["SWIFTLET_MODELS"] { return URL(fileURLWithPath: m) }
        return root.appendingPathComponent("models")
    }
    package static var golden: URL { root.appendingPathComponent("golden") }

    package static func model(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let p = models.appendingPathComponent("\(name).swl").path
        guard FileManager.default.fileExists(atPath: p) else {
            XCTFail("model \(p) is missing: run `bash tools/setup.sh` (CI runs it through .ci/run)", file: file, line: line)
            throw XCTSkip("unreachable: failed above")
        }
        return p
    }

    package static func goldenFile(_ rel: String) throws -> URL {
        let u = golden.appendingPathComponent(rel)
        guard FileManager.default.fileExists(atPath: u.path) else {
            XCTFail("golden file \(u.path) is missing (tools/golden.py embedder writes it)")
            throw XCTSkip("unreachable: failed above")
        }
        return u
    }
}

/// Reads a JSONL file's lines as dictionaries.
package func readJSONL(_ url: URL) throws -> [[String: Any]] {
    let data = try Data(contentsOf: url)
    return try data.split(separator: UInt8(ascii: "\n")).map { line in
        guard let o = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { throw SwiftletError.invalidInput("bad JSONL line") }
        return o
    }
}
