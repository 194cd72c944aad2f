import Swiftlet
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `swiftlet run --batch LIST`: many small graphs in one process (the conformance suite runs
/// over a thousand; one launch each would cost more than the runs). Each line of LIST is
/// `MODEL<TAB>OUTDIR<TAB>NAME=FILE.npy…`. Per case it prints {"case":K,"start":true}
/// before loading, so a caller can tell which case killed the process, then the output
/// lines of a plain `run` and {"case":K,"ok":true} or {"case":K,"error":"…"}: one case's
/// error does not stop the others.
enum RunBatch {
    static func run(list: String, threads: Int, fusions: Bool) throws {
        let text: String
        do { text = try String(contentsOfFile: list, encoding: .utf8) } catch {
            throw CLIError("cannot read batch list \(list): \(error)")
        }
        for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            Output.line("{\"case\":\(k),\"start\":true}")
            let fields = line.split(separator: "\t").map(String.init)
            do {
                guard fields.count >= 2 else { throw CLIError("batch line \(k + 1) wants MODEL<TAB>OUTDIR[<TAB>NAME=FILE.npy…]") }
                let inputs = try fields.dropFirst(2).map { try ArgumentValues.namedFile($0) }
                try RunCommand.runOne(model: fields[0], inputs: inputs, outputDir: fields[1], threads: threads, fusions: fusions)
                Output.line("{\"case\":\(k),\"ok\":true}")
            } catch {
                Output.line("{\"case\":\(k),\"error\":\(JSONOut.string(String(describing: error)))}")
            }
        }
    }
}
