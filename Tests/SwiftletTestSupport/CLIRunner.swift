import Foundation
import XCTest

/// The release `swiftlet` binary as users call it (what `swift build -c release` produced),
/// with `SWIFTLET_MODELS` pointing at the test models: stdout, stderr and the exit code.
public enum CLIRunner {
    public struct Result {
        public let code: Int32
        public let out: String
        public let err: String

        public init(code: Int32, out: String, err: String) {
            self.code = code
            self.out = out
            self.err = err
        }
    }

    public static var binary: URL { TestPaths.root.appendingPathComponent(".build/release/swiftlet") }

    /// Runs `swiftlet args…`; `stdin` is written to its standard input (nothing: an empty one).
    public static func run(_ args: [String], stdin: Data? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let bin = binary
        guard FileManager.default.isExecutableFile(atPath: bin.path) else {
            XCTFail("\(bin.path) missing: run `swift build -c release` first (tools/test.sh does)", file: file, line: line)
            throw XCTSkip("unreachable: failed above")
        }
        let p = Process()
        p.executableURL = bin
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["SWIFTLET_MODELS"] = TestPaths.models.path
        p.environment = env
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(stdin) }
        try inp.fileHandleForWriting.close()
        // Read both pipes before waiting: a child blocked on a full pipe never exits.
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(code: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
    }

    /// Each stdout line parsed as a JSON object.
    public static func jsonLines(_ r: Result) throws -> [[String: Any]] {
        try r.out.split(separator: "\n").map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }
}
