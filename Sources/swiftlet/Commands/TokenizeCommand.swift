import ArgumentParser
import Swiftlet

/// `swiftlet tokenize`: the tokens the model sees, one {"ids","tokens"} line per text.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the model's tokens of each text: one {\"ids\",\"tokens\"} JSON line per text.",
        discussion: """
            Examples:
              swiftlet tokenize --model all-MiniLM-L6-v2 "Hello world"
              swiftlet tokenize --model multilingual-e5-small --jsonl in.jsonl > out.jsonl
            """)

    @Option(help: ArgumentHelp(ModelPath.help))
    var model = ModelPath.defaultEmbedder

    @OptionGroup var input: TextInputOptions

    // Accepted so scripts that pass it to every command keep working; tokenizing is one thread.
    @Option(help: .hidden)
    var threads: Positive?

    @OptionGroup var progressOptions: ProgressOptions

    func run() throws {
        let embedder = try Embedder(path: ModelPath.resolve(model), options: .init(threads: 1))
        let texts = try input.load()
        var progress = Progress(total: texts.count, unit: "texts", quiet: progressOptions.quiet)
        for t in texts {
            let e = embedder.tokenize(t)
            progress.advance(printing: "{\"ids\":\(JSONOut.ints(e.ids)),\"tokens\":\(JSONOut.strings(e.tokens))}")
        }
        progress.finish()
    }
}
