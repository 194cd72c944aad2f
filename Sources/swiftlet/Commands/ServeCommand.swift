import ArgumentParser
import Swiftlet
import SwiftletServer

/// `swiftlet serve`: flags → ServerOptions, then the server runs until SIGTERM/SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve embeddings and OCR: sidecar protocol v1 plus OpenAI-, Ollama- and TEI-compatible APIs.",
        discussion: """
            Runs until SIGTERM/SIGINT, then drains. Protocol and flags: docs/SERVING.md.

            Examples:
              swiftlet serve --socket /tmp/swiftlet/s.sock --models-dir models --threads 2
              swiftlet serve --listen 8080 --model all-MiniLM-L6-v2 \\
                --model e5=multilingual-e5-small --alias search=e5
            """)

    @Option(help: ArgumentHelp("Unix socket (parent directory created 0700, socket 0600).", valueName: "path"))
    var socket: String?

    @Option(help: ArgumentHelp("TCP listener; loopback unless a host is given, port 0 picks a free one.", valueName: "[host:]port"),
            transform: ServeValues.listen)
    var listen: ServeValues.Listen?

    @Option(help: ArgumentHelp("A model (embedder, sparse embedder, reranker or CLIP), named NAME or by its file stem (repeatable).", valueName: "[name=]model"),
            transform: ServeValues.model)
    var model: [ServeValues.Model] = []

    @Option(name: .customLong("models-dir"),
            help: ArgumentHelp("Every embedder, sparse-embedder, reranker and CLIP .swl in DIR, by file stem; ppocrv5-{det,rec,cls}.swl there are the OCR set.", valueName: "dir"),
            completion: .directory)
    var modelsDir: String?

    @Option(help: ArgumentHelp("Another name for a model (repeatable).", valueName: "alias=name"), transform: ServeValues.alias)
    var alias: [ServeValues.Alias] = []

    @Option(name: .customLong("default-model"), help: ArgumentHelp("Model for requests that name none (default: the first).", valueName: "name"))
    var defaultModel: String?

    @Option(help: ArgumentHelp("The OCR models (default: from --models-dir).", valueName: "det=D,rec=R[,cls=C]"), transform: ServeValues.ocr)
    var ocr: ServeValues.OCRSet?

    @Flag(name: .customLong("no-ocr"), help: "No OCR, even if --models-dir has its models.")
    var noOCR = false

    @Option(help: ArgumentHelp("Compute threads for the whole process (default: all cores).", valueName: "n"))
    var threads: Positive?

    @Option(name: .customLong("max-batch"), help: ArgumentHelp("Most texts per request (413 beyond).", valueName: "n"))
    var maxBatch = Positive(ServerOptions().maxBatch)

    @Option(name: .customLong("max-batch-tokens"), help: ArgumentHelp("Tokens the batcher puts in one encoder run.", valueName: "n"))
    var maxBatchTokens = Positive(ServerOptions().maxBatchTokens)

    @Option(name: .customLong("max-body"), help: ArgumentHelp("Largest request body (413 beyond).", valueName: "bytes"))
    var maxBody = Positive(ServerOptions().maxBody)

    @Option(name: .customLong("batch-window"), help: ArgumentHelp("How long a lane waits for more requests once it has some.", valueName: "ms"))
    var batchWindow = NonNegative(ServeValues.milliseconds(ServerOptions().batchWindow))

    @Option(name: .customLong("tenant-inflight"), help: ArgumentHelp("Requests one X-Tenant may have queued or running (429 beyond).", valueName: "n"))
    var tenantInflight = Positive(ServerOptions().tenantInflight)

    @Option(name: .customLong("max-queue"), help: ArgumentHelp("Requests waiting over all lanes (429 beyond).", valueName: "n"))
    var maxQueue = Positive(ServerOptions().maxQueue)

    @Option(name: .customLong("drain-timeout"), help: ArgumentHelp("On SIGTERM/SIGINT, how long to finish requests in flight.", valueName: "seconds"))
    var drainTimeout = Double(ServeValues.milliseconds(ServerOptions().drainTimeout)) / 1000

    @Flag(name: .customLong("exit-with-parent"), help: "Shut down (as on SIGTERM) when the spawning process goes away.")
    var exitWithParent = false

    @Flag(help: "Log every rejected request.")
    var verbose = false

    func validate() throws {
        guard drainTimeout >= 0, drainTimeout.isFinite else { throw ValidationError("--drain-timeout wants seconds ≥ 0, got \(drainTimeout)") }
        guard socket != nil || listen != nil else { throw ValidationError("give --socket PATH and/or --listen [HOST:]PORT") }
        guard !model.isEmpty || modelsDir != nil || ocr != nil else {
            throw ValidationError("no models: give --model [NAME=]M, --models-dir DIR or --ocr det=D,rec=R")
        }
    }

    func run() async throws {
        try await SwiftletServe.run(try serverOptions()) { line in
            Output.error("swiftlet serve: \(line)\n")
        }
    }
}
