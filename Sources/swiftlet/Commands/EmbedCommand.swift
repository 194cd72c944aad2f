import ArgumentParser
import Swiftlet

/// `swiftlet embed`: one {"embedding"} line per text, in input order; with `--sparse` (a
/// SPLADE model) one {"indices","values"} line per text.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed texts: one {\"embedding\":[…]} JSON line per text, in input order.",
        discussion: """
            With --sparse (a sparse-embedder model such as SPLADE), one
            {"indices":[…],"values":[…]} line per text instead: the vocabulary ids with a
            non-zero weight, ascending, and their weights.

            Examples:
              swiftlet embed --model all-MiniLM-L6-v2 "first text" "second text"
              swiftlet embed --model multilingual-e5-small --prefix query \\
                --jsonl texts.jsonl --threads 2 > vectors.jsonl
              swiftlet embed --model splade-tiny --sparse --top-k 64 "first text"
              swiftlet embed --model models/clip.swl "a photo of a cat" --image cat.jpg dog.png
            """)

    @Option(help: ArgumentHelp(ModelPath.help))
    var model = ModelPath.defaultEmbedder

    @Option(help: ArgumentHelp("Put the model's configured e5-style prefix (query, passage) or this text before each text.",
                               valueName: "query|passage|text"))
    var prefix: String?

    @Option(help: ArgumentHelp("Most texts per encoder run.", valueName: "n"))
    var batch: Positive = 32

    @Option(help: ArgumentHelp("Compute threads (default: all cores).", valueName: "n"))
    var threads: Positive?

    @Flag(name: .customLong("no-fusions"), help: "Run the graph without its fused kernels (for debugging).")
    var noFusions = false

    @Flag(help: "Sparse vectors from a sparse-embedder (SPLADE) model: {\"indices\",\"values\"} lines.")
    var sparse = false

    @Option(name: .customLong("top-k"), help: ArgumentHelp("With --sparse: keep each vector's k largest weights.", valueName: "k"))
    var topK: Positive?

    @Option(name: .customLong("image"), parsing: .upToNextOption,
            help: ArgumentHelp("PNG/JPEG files to embed with a CLIP model, in the texts' space (after the texts).", valueName: "path"))
    var images: [String] = []

    @OptionGroup var input: TextInputOptions
    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        if topK != nil && !sparse { throw ValidationError("--top-k applies to sparse vectors: add --sparse") }
        if sparse && prefix != nil { throw ValidationError("--prefix is for dense embedders; a sparse-embedder takes none") }
        if sparse && !images.isEmpty { throw ValidationError("--image needs a CLIP model; --sparse is for sparse-embedder models") }
    }

    func run() throws {
        if sparse { return try runSparse() }
        let path = ModelPath.resolve(model)
        if !images.isEmpty || EmbedImages.isCLIP(path) {
            guard prefix == nil else { throw CLIError("--prefix does not apply to CLIP models") }
            return try EmbedImages.run(model: path, texts: input.load(), images: images,
                                       threads: threads?.value ?? Cores.all, batch: batch.value, fusions: !noFusions)
        }
        let embedder = try Embedder(path: ModelPath.resolve(model),
                                    options: .init(threads: threads?.value ?? Cores.all, batchSize: batch.value, fusions: !noFusions))
        let texts = try input.load()
        let vectors = try EmbedWithProgress.embed(texts, with: embedder, prefix: Self.prefix(prefix), quiet: progressOptions.quiet)
        for v in vectors { Output.line("{\"embedding\":\(JSONOut.floats(v))}") }
    }

    private func runSparse() throws {
        let embedder = try SparseEmbedder(path: ModelPath.resolve(model),
                                          options: .init(threads: threads?.value ?? Cores.all, batchSize: batch.value))
        for v in try embedder.embed(try input.load(), topK: topK?.value) {
            Output.line("{\"indices\":\(JSONOut.ints(v.indices)),\"values\":\(JSONOut.floats(v.values))}")
        }
    }

    static func prefix(_ p: String?) -> Embedder.Prefix {
        switch p {
        case nil: return .none
        case "query"?: return .query
        case "passage"?: return .passage
        case let s?: return .custom(s)
        }
    }
}
