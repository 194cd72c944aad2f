import ArgumentParser

/// The `swiftlet` command: its subcommands, `--version`, and how errors read.
struct SwiftletCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftlet",
        abstract: "Sentence embeddings and OCR on the CPU, from converted .swl models.",
        discussion: """
            Results are JSON lines on stdout, in input order; errors go to stderr.

            Exit status: 0 success, 64 a usage error (the command's usage follows), 1 any other error.

            A model is a .swl path, or a name looked up in $SWIFTLET_MODELS (./models if unset).
            """,
        subcommands: [
            EmbedCommand.self, RerankCommand.self, TokenizeCommand.self, OCRCommand.self, RunCommand.self, InspectCommand.self,
            BenchCommand.self, BenchOCRCommand.self, ServeCommand.self, OpsCommand.self, CompletionCommand.self,
        ])

    /// Errors read `swiftlet: error: …`, as before the parser (tests and users look for it).
    static var _errorPrefix: String { "swiftlet: error: " }

    // Not the parser's `version:`, which is computed for every command line: this one
    // reads the CPU only when asked.
    @Flag(help: "Show the version, git revision and the GEMM paths this CPU gets.")
    var version = false

    func run() throws {
        guard version else { throw ValidationError("no command given") }
        print(VersionInfo.text)
    }
}
