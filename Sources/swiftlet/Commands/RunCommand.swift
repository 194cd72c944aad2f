import ArgumentParser
import Swiftlet
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `swiftlet run`: the raw graph on .npy inputs; each output to DIR/NAME.npy, one JSON
/// line per output naming its file, shape and dtype.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the raw graph on .npy inputs and write each output to DIR/NAME.npy.",
        discussion: """
            Prints one {"output","path","shape","dtype"} JSON line per output.

            Example:
              swiftlet run --model all-MiniLM-L6-v2-onnx14 --input input_ids=ids.npy \\
                --input attention_mask=mask.npy --input token_type_ids=types.npy \\
                --output-dir out/
            """)

    @Option(help: ArgumentHelp(ModelPath.help))
    var model = ModelPath.defaultEmbedder

    @Option(help: ArgumentHelp("A graph input and the .npy file holding it (repeatable).", valueName: "name=file.npy"),
            transform: ArgumentValues.namedFile)
    var input: [NamedFile] = []

    @Option(name: .customLong("output-dir"), help: ArgumentHelp("Where the outputs go (created if missing).", valueName: "dir"),
            completion: .directory)
    var outputDir: String?

    @Option(help: ArgumentHelp("Run many models in one process: each line of FILE is MODEL<TAB>OUTDIR<TAB>NAME=FILE.npy… "
                               + "(replaces --model/--input/--output-dir).", valueName: "file"))
    var batch: String?

    @Option(help: ArgumentHelp("Compute threads (default: all cores).", valueName: "n"))
    var threads: Positive?

    @Flag(name: .customLong("no-fusions"), help: "Run the graph without its fused kernels (for debugging).")
    var noFusions = false

    func validate() throws {
        if batch == nil && outputDir == nil { throw ValidationError("Missing expected argument '--output-dir <dir>'") }
        if batch != nil && (outputDir != nil || !input.isEmpty) {
            throw ValidationError("--batch takes each case's model, inputs and output directory from its file")
        }
    }

    func run() throws {
        let threads = threads?.value ?? Cores.all
        if let batch { return try RunBatch.run(list: batch, threads: threads, fusions: !noFusions) }
        try RunCommand.runOne(model: model, inputs: input, outputDir: outputDir!, threads: threads, fusions: !noFusions)
    }

    static func runOne(model: String, inputs: [NamedFile], outputDir: String, threads: Int, fusions: Bool) throws {
        let session = try Session(path: ModelPath.resolve(model), options: SessionOptions(threads: threads, fusions: fusions))
        let outs = try session.run(try NamedFile.feeds(inputs))
        try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true)
        for (name, t) in outs.sorted(by: { $0.key < $1.key }) {
            let safe = name.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." ? $0 : "_" }
            let path = "\(outputDir)/\(String(safe)).npy"
            try NPY.write(t, to: path)
            Output.line("{\"output\":\(JSONOut.string(name)),\"path\":\(JSONOut.string(path)),\"shape\":\(JSONOut.ints(t.shape)),\"dtype\":\(JSONOut.string(t.dtype.rawValue))}")
        }
    }
}
