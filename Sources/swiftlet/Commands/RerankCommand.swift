import ArgumentParser
import Swiftlet

/// `swiftlet rerank`: one {"index","score"} line per document, highest score first.
struct RerankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerank",
        abstract: "Score documents against a query with a cross-encoder: one {\"index\":i,\"score\":s} JSON line per document, best first.",
        discussion: """
            index is the document's position in the input (arguments first, then --jsonl);
            ties keep input order. Scores are the sigmoid of the model's logit when its
            config says so (sentence-transformers' CrossEncoder default); --raw-scores gives
            the logit.

            Example:
              swiftlet rerank --model cross-encoder-random-minilm --query "cheap flights" \\
                "Flights to London from $99" "How to bake bread"
            """)

    @Option(help: ArgumentHelp(ModelPath.help))
    var model: String

    @Option(help: "The query every document is scored against.")
    var query: String

    @Flag(name: .customLong("raw-scores"), help: "Print the model's logits, without its sigmoid.")
    var rawScores = false

    @Option(help: ArgumentHelp("Most pairs per encoder run.", valueName: "n"))
    var batch: Positive = 32

    @Option(help: ArgumentHelp("Compute threads (default: all cores).", valueName: "n"))
    var threads: Positive?

    @OptionGroup var input: TextInputOptions

    func run() throws {
        let reranker = try Reranker(path: ModelPath.resolve(model),
                                    options: .init(threads: threads?.value ?? Cores.all, batchSize: batch.value))
        for r in try reranker.rerank(query: query, documents: try input.load(), raw: rawScores) {
            Output.line("{\"index\":\(r.index),\"score\":\(JSONOut.float(r.score))}")
        }
    }
}
