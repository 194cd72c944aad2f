import Foundation
import XCTest
import SwiftletFuzz
import SwiftletTestSupport

/// Every input a fuzzer ever crashed on (Fuzz/Regressions/<target>/, docs/ROBUSTNESS.md)
/// goes back through the body that crashed on it, plus the committed seeds: each must
/// return. A regression kills the test process, so each input's path is printed first.
final class FuzzRegressionTests: XCTestCase {
    static let fuzzRoot = Fixtures.packageRoot.appendingPathComponent("Fuzz")

    func replay(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let target = try XCTUnwrap(FuzzTargets.all.first { $0.name == name }, "no fuzz body named \(name)", file: file, line: line)
        var replayed = 0
        for folder in ["Regressions", "Seeds"] {
            let dir = Self.fuzzRoot.appendingPathComponent("\(folder)/\(name)")
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            for f in files.sorted() where !f.hasPrefix(".") {
                let path = dir.appendingPathComponent(f).path
                print("fuzz replay: \(path)")
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                data.withUnsafeBytes { target.run($0) }
                replayed += 1
            }
        }
        XCTAssertGreaterThan(replayed, 0, "nothing to replay for \(name)", file: file, line: line)
    }

    func testSWL() throws { try replay("swl") }
    func testTokenizerJSON() throws { try replay("tokenizer-json") }
    func testTokenizerEncode() throws { try replay("tokenizer-encode") }
    func testImage() throws { try replay("image") }
    func testCABI() throws { try replay("cabi") }
    func testNPY() throws { try replay("npy") }
    func testServer() throws { try replay("server") }

    /// tools/fuzz.sh fuzzes, and the tests above replay, exactly the bodies FuzzTargets lists.
    func testFuzzScriptNamesEveryBody() throws {
        let script = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("tools/fuzz.sh"), encoding: .utf8)
        let line = try XCTUnwrap(script.split(separator: "\n").first { $0.hasPrefix("ALL_TARGETS=(") })
        let names = line.dropFirst("ALL_TARGETS=(".count).prefix { $0 != ")" }.split(separator: " ").map(String.init)
        XCTAssertEqual(names, FuzzTargets.all.map(\.name))
        for name in names {
            XCTAssertTrue(FileManager.default.fileExists(atPath: Self.fuzzRoot.appendingPathComponent("Seeds/\(name)").path), "no seeds for \(name)")
        }
    }
}
