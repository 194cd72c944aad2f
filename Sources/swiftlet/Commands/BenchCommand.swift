import ArgumentParser
import Swiftlet

/// `swiftlet bench`: in-process timings for tools/bench.py, which runs onnxruntime on the
/// same inputs and prints ratios. Synthetic mode feeds fixed [batch, seq] token ids to the
/// raw graph; corpus mode (`--jsonl`) times the whole embed pipeline; `--input
/// NAME=FILE.npy` times the raw graph on given tensors (tools/bench_ocr.py).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time a model in process; one JSON line with the timings, CPU and GEMM path.",
        discussion: """
            Modes: synthetic token ids (--batch, --seq), a corpus through the embed pipeline (--jsonl), the raw graph on given tensors (--input), or GEMM alone (--gemm: one JSON line per GEMM path). --profile adds per-op times on stderr.

            Examples:
              swiftlet bench --model all-MiniLM-L6-v2 --batch 8 --seq 128 --threads 2
              swiftlet bench --model all-MiniLM-L6-v2 --jsonl texts.jsonl --batch 32
              swiftlet bench --model ppocrv5-det --input x=img.npy --profile
              swiftlet bench --gemm 4096x384x1536 --threads 1
            """)

    @Option(help: ArgumentHelp(ModelPath.help))
    var model = ModelPath.defaultEmbedder

    @Option(help: ArgumentHelp("Texts per run (default: 1 synthetic, 32 with --jsonl).", valueName: "n"))
    var batch: Positive?

    @Option(help: ArgumentHelp("Tokens per synthetic text.", valueName: "n"))
    var seq: Positive = 128

    @Option(help: ArgumentHelp("A JSON-lines corpus, one {\"text\": …} per line ('-': stdin).", valueName: "file"),
            completion: .file(extensions: ["jsonl"]))
    var jsonl: String?

    @Option(help: ArgumentHelp("A graph input and the .npy file holding it (repeatable).", valueName: "name=file.npy"),
            transform: ArgumentValues.namedFile)
    var input: [NamedFile] = []

    @Option(help: ArgumentHelp("A graph output to compute (repeatable): only the part of the graph it needs runs, reading only that part's inputs (one tower of a CLIP model).", valueName: "name"))
    var output: [String] = []

    @Option(help: ArgumentHelp("Time each GEMM path on this shape instead of a model.", valueName: "MxNxK"),
            transform: ArgumentValues.gemmShape)
    var gemm: [Int]?

    @Option(help: ArgumentHelp("Compute threads (default: all cores).", valueName: "n"))
    var threads: Positive?

    @Option(help: ArgumentHelp("Timed runs.", valueName: "n"))
    var runs: Positive = 10

    @Option(help: ArgumentHelp("Untimed runs first.", valueName: "n"))
    var warmup: NonNegative = 2

    @Flag(help: "Per-op and slowest-node times on stderr (raw-graph modes).")
    var profile = false

    @Flag(name: .customLong("no-fusions"), help: "Run the graph without its fused kernels.")
    var noFusions = false

    @Flag(name: .customLong("no-prepack"), help: "Do not pack weights at load (raw-graph modes).")
    var noPrepack = false

    // Prepacking is the default; the flag stays accepted for scripts that spell it out.
    @Flag(help: .hidden)
    var prepack = false

    func run() throws {
        let threads = threads?.value ?? Cores.all
        if !output.isEmpty && (jsonl != nil || gemm != nil) {
            throw ValidationError("--output picks graph outputs for the raw-graph modes (--input, synthetic ids), not for --jsonl or --gemm")
        }
        if let gemm { return Self.timeGemm(gemm, threads: threads, runs: runs.value) }
        let r: Timings
        if !input.isEmpty {
            r = try timeGraph(feeds: NamedFile.feeds(input), threads: threads)
        } else if let jsonl {
            r = try timeCorpus(JSONLinesFile.texts(at: jsonl), threads: threads)
        } else {
            r = try timeSynthetic(threads: threads)
        }
        Output.line(r.json(runs: runs.value, threads: threads))
    }
}
