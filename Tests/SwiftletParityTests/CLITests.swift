import Foundation
import XCTest
import SwiftletTestSupport
@testable import Swiftlet

/// The `swiftlet` binary as users call it: JSON lines on stdout, errors on stderr with a
/// non-zero exit. Runs the release binary that `swift build -c release` produced.
final class CLITests: XCTestCase {
    typealias Result = CLIRunner.Result

    func swiftlet(_ args: [String], stdin: Data? = nil) throws -> Result { try CLIRunner.run(args, stdin: stdin) }

    func testInspectShowsWeightStorage() throws {
        _ = try TestPaths.model("all-MiniLM-L6-v2-int8")
        let r = try swiftlet(["inspect", "all-MiniLM-L6-v2-int8", "--tensors"])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("weight storage: float32 "), r.out)
        XCTAssertTrue(r.out.contains(", int8 10699776"), "36 int8 weights (10,616,832 bytes) + their scales")
        let query = r.out.split(separator: "\n").first { $0.contains("encoder.layer.0.attention.self.query.weight.T:") }
        XCTAssertEqual(query.map(String.init), "    encoder.layer.0.attention.self.query.weight.T: int8 [384, 384] 148992 bytes")
    }

    func testEmbedPrintsOneJSONObjectPerTextInOrder() throws {
        _ = try TestPaths.model("all-MiniLM-L6-v2")
        let r = try swiftlet(["embed", "--model", "all-MiniLM-L6-v2", "first text", "", "third"])
        XCTAssertEqual(r.code, 0, r.err)
        let lines = r.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        for l in lines {
            let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(l.utf8)) as? [String: Any])
            XCTAssertEqual((o["embedding"] as? [Double])?.count, 384)
        }
    }

    func testBenchProfileReportsEveryNode() throws {
        let path = try TestPaths.model("all-MiniLM-L6-v2")
        let session = try Session(path: path, options: SessionOptions(threads: 1))
        let ids = try Tensor(int64s: [101, 7592, 2088, 102], shape: [1, 4])
        var feeds: [String: Tensor] = [:]
        for input in session.inputs {
            feeds[input.name] = input.name == "input_ids" ? ids : try Tensor(int64s: input.name == "attention_mask" ? [1, 1, 1, 1] : [0, 0, 0, 0], shape: [1, 4])
        }
        let timings = try session.profile(feeds)
        XCTAssertEqual(timings.count, session.nodeCount)
        XCTAssertEqual(Dictionary(grouping: timings, by: \.op).mapValues(\.count), session.opCounts)
        XCTAssertTrue(timings.allSatisfy { $0.milliseconds >= 0 })
        // The graph output's node reports the output's shape.
        XCTAssertTrue(timings.contains { $0.outputShape == [1, 4, 384] }, "\(timings.map(\.outputShape))")

        let r = try swiftlet(["bench", "--model", "all-MiniLM-L6-v2", "--seq", "16", "--runs", "2", "--warmup", "1", "--threads", "1", "--profile"])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.err.contains("profile: \(session.nodeCount) nodes"), r.err)
        XCTAssertTrue(r.err.contains("slowest nodes:"), r.err)
        let last = try XCTUnwrap(r.out.split(separator: "\n").last)
        let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        XCTAssertNotNil(o["median_ms"])
    }

    func testTokenizeFromJSONLMatchesGolden() throws {
        _ = try TestPaths.model("all-MiniLM-L6-v2")
        let corpus = try TestPaths.goldenFile("corpus/en.jsonl")
        let r = try swiftlet(["tokenize", "--model", "all-MiniLM-L6-v2", "--jsonl", corpus.path])
        XCTAssertEqual(r.code, 0, r.err)
        let want = try readJSONL(TestPaths.goldenFile("all-MiniLM-L6-v2/tokens.jsonl"))
        let got = r.out.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(got.count, want.count)
        for (g, w) in zip(got, want) { XCTAssertEqual(g?["ids"] as? [Int], w["ids"] as? [Int]) }
    }

    /// Usage errors exit 64 with the command's usage; errors while running exit 1 with one line.
    func testErrorsGoToStderrWithNonZeroExit() throws {
        let cases: [([String], Int32)] = [
            (["embed", "--model", "/nonexistent.swl", "x"], 1), (["frobnicate"], 64), (["embed", "--batch", "zero", "x"], 64),
            (["embed", "--unknown-flag", "x"], 64), (["run", "--model", "all-MiniLM-L6-v2"], 64), ([], 64),
            (["ocr"], 64), (["serve", "--listen", "99999", "--model", "m"], 64), (["run", "--input", "x", "--output-dir", "/tmp"], 64),
        ]
        for (args, code) in cases {
            let r = try swiftlet(args)
            XCTAssertEqual(r.code, code, "\(args): \(r.err)")
            XCTAssertTrue(r.err.hasPrefix("swiftlet: error: "), "\(args): \(r.err)")
            XCTAssertTrue(r.out.isEmpty, "\(args)")
            if code == 64 {
                XCTAssertTrue(r.err.contains("Usage: swiftlet"), "\(args): \(r.err)")
            } else {
                XCTAssertEqual(r.err.split(separator: "\n").count, 1, "\(args): \(r.err)")
            }
        }
    }

    func testEveryCommandHasHelpWithDefaultsAndAnExample() throws {
        for command in ["embed", "tokenize", "ocr", "run", "inspect", "bench", "bench-ocr", "serve", "completion"] {
            for flag in ["--help", "-h"] {
                let r = try swiftlet([command, flag])
                XCTAssertEqual(r.code, 0, "\(command) \(flag): \(r.err)")
                XCTAssertTrue(r.out.contains("USAGE: swiftlet \(command)"), "\(command) \(flag): \(r.out)")
                XCTAssertTrue(r.out.contains("Example"), "\(command) \(flag): \(r.out)")
                XCTAssertTrue(r.err.isEmpty, "\(command) \(flag): \(r.err)")
            }
        }
        XCTAssertTrue(try swiftlet(["embed", "--help"]).out.contains("(default: 32)"))
        XCTAssertTrue(try swiftlet(["serve", "--help"]).out.contains("(default: 1024)"), "--max-queue's default")
        let top = try swiftlet(["--help"])
        XCTAssertEqual(top.code, 0)
        XCTAssertTrue(top.out.contains("SUBCOMMANDS:") && top.out.contains("bench-ocr"), top.out)
    }

    func testVersionNamesRevisionAndKernels() throws {
        let r = try swiftlet(["--version"])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.hasPrefix("swiftlet "), r.out)
        XCTAssertTrue(r.out.contains("(git "), r.out)
        XCTAssertTrue(r.out.contains("gemm: \(KernelPaths.gemm)\n"), r.out)
        XCTAssertTrue(r.out.contains("int8 gemm: \(KernelPaths.int8Gemm)\n"), r.out)
        XCTAssertTrue(r.out.contains("(\(KernelPaths.isa))"), r.out)
    }

    func testCompletionScripts() throws {
        for (shell, marker) in [("bash", "complete -"), ("zsh", "#compdef swiftlet"), ("fish", "complete -c 'swiftlet'")] {
            for args in [["completion", shell], ["--generate-completion-script", shell]] {
                let r = try swiftlet(args)
                XCTAssertEqual(r.code, 0, "\(args): \(r.err)")
                XCTAssertTrue(r.out.contains(marker) && r.out.contains("bench-ocr"), "\(args)")
            }
        }
        XCTAssertEqual(try swiftlet(["completion", "tcsh"]).code, 64)
    }

    func testBadJSONLAndInvalidUTF8AreReported() throws {
        _ = try TestPaths.model("all-MiniLM-L6-v2")
        let dir = NSTemporaryDirectory()
        let bad = dir + "bad-\(UUID().uuidString).jsonl"
        try Data("{\"text\": \"ok\"}\nnot json\n".utf8).write(to: URL(fileURLWithPath: bad))
        var r = try swiftlet(["embed", "--model", "all-MiniLM-L6-v2", "--jsonl", bad])
        XCTAssertNotEqual(r.code, 0)
        XCTAssertTrue(r.err.contains(":2:"), r.err)
        let utf = dir + "utf-\(UUID().uuidString).jsonl"
        try Data([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]).write(to: URL(fileURLWithPath: utf))
        r = try swiftlet(["tokenize", "--model", "all-MiniLM-L6-v2", "--jsonl", utf])
        XCTAssertNotEqual(r.code, 0)
        XCTAssertTrue(r.err.contains("UTF-8"), r.err)
    }

    func testRunWritesNpyOutputs() throws {
        _ = try TestPaths.model("all-MiniLM-L6-v2-onnx14")
        let raw = try TestPaths.goldenFile("all-MiniLM-L6-v2/raw1")
        let out = NSTemporaryDirectory() + "run-\(UUID().uuidString)"
        let r = try swiftlet(["run", "--model", "all-MiniLM-L6-v2-onnx14", "--output-dir", out] +
                             ["input_ids", "attention_mask", "token_type_ids"].map { "--input=\($0)=\(raw.path)/\($0).npy" })
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/last_hidden_state.npy"))
    }
}
