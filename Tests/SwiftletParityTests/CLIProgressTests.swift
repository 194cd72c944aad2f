import Foundation
import XCTest
import SwiftletTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The progress line of long commands: on stderr only when stderr is a terminal (here a
/// pseudo-terminal, as a user's shell gives), never in a pipe, never with --quiet, and
/// never in stdout. An extension of CLITests so `--filter CLITests` runs it.
extension CLITests {
    func testProgressLineOnlyWhenStderrIsATerminal() throws {
        _ = try TestPaths.model("all-MiniLM-L6-v2")
        let corpus = try TestPaths.goldenFile("corpus/en.jsonl")
        // 414 texts on one thread: seconds of work, well past the line's 0.3 s delay.
        let args = ["embed", "--model", "all-MiniLM-L6-v2", "--threads", "1", "--batch", "8", "--jsonl", corpus.path]

        let tty = try swiftletWithTerminalStderr(args)
        XCTAssertEqual(tty.code, 0, tty.err)
        XCTAssertTrue(tty.err.contains("414/414 texts"), tty.err)
        XCTAssertTrue(tty.err.contains(" texts/s"), tty.err)
        XCTAssertTrue(tty.err.contains("done in"), tty.err)
        XCTAssertEqual(tty.out.split(separator: "\n").count, 414)

        let piped = try swiftlet(args)
        XCTAssertEqual(piped.code, 0, piped.err)
        XCTAssertEqual(piped.err, "", "a pipe gets no progress line")
        XCTAssertEqual(piped.out, tty.out, "the progress line never changes stdout")

        let quiet = try swiftletWithTerminalStderr(args + ["--quiet"])
        XCTAssertEqual(quiet.code, 0, quiet.err)
        XCTAssertEqual(quiet.err, "", "--quiet")
    }

    /// Runs the CLI with stderr on a pseudo-terminal and stdout in a file.
    func swiftletWithTerminalStderr(_ args: [String]) throws -> Result {
        let bin = TestPaths.root.appendingPathComponent(".build/release/swiftlet")
        let (master, slave) = try openPseudoTerminal()
        defer { close(master) }

        let outPath = NSTemporaryDirectory() + "cli-progress-\(UUID().uuidString).jsonl"
        XCTAssertTrue(FileManager.default.createFile(atPath: outPath, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        let out = try XCTUnwrap(FileHandle(forWritingAtPath: outPath))

        let p = Process()
        p.executableURL = bin
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["SWIFTLET_MODELS"] = TestPaths.models.path
        p.environment = env
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = out
        p.standardError = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        try p.run()
        close(slave)
        try out.close()
        // Drain the terminal while the process runs (its buffer is small); reads fail with
        // EIO once the child's end is closed.
        var err: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(master, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            err += buffer[0..<n]
        }
        p.waitUntilExit()
        let o = try String(contentsOfFile: outPath, encoding: .utf8)
        return Result(code: p.terminationStatus, out: o, err: String(decoding: err, as: UTF8.self))
    }

    struct PseudoTerminalError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    /// A pseudo-terminal pair, both ends close-on-exec (the child gets the slave as its
    /// stderr through dup2, which clears the flag there). posix_openpt and friends are
    /// looked up at run time: Swift's Glibc module leaves them out (they need _XOPEN_SOURCE).
    private func openPseudoTerminal() throws -> (master: Int32, slave: Int32) {
        func libc<T>(_ name: String, as: T.Type) throws -> T {
            guard let sym = dlsym(nil, name) else { throw PseudoTerminalError("\(name) is not in this C library") }
            return unsafeBitCast(sym, to: T.self)
        }
        let openpt = try libc("posix_openpt", as: (@convention(c) (Int32) -> Int32).self)
        let grant = try libc("grantpt", as: (@convention(c) (Int32) -> Int32).self)
        let unlock = try libc("unlockpt", as: (@convention(c) (Int32) -> Int32).self)
        let name = try libc("ptsname", as: (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self)
        let master = openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw PseudoTerminalError("no pseudo-terminal available: errno \(errno)") }
        guard grant(master) == 0, unlock(master) == 0, let path = name(master) else {
            close(master)
            throw PseudoTerminalError("cannot set up a pseudo-terminal: errno \(errno)")
        }
        let slave = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else {
            close(master)
            throw PseudoTerminalError("cannot open \(String(cString: path)): errno \(errno)")
        }
        return (master, slave)
    }
}
