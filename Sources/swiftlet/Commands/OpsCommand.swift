import ArgumentParser
import Swiftlet

/// `swiftlet ops`: the ONNX op types this build can run, one per line (the conformance
/// suite, tools/onnx_conformance.py, picks its cases with it).
struct OpsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ops",
        abstract: "List the ONNX op types this build runs, one per line.")

    func run() throws {
        for op in RegisteredOps.onnxOpTypes { Output.line(op) }
    }
}
