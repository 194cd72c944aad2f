import ArgumentParser
import Swiftlet

/// `swiftlet bench-ocr`: whole-pipeline timings (path → lines, decoding included) for
/// tools/bench_ocr.py --pipeline, which runs RapidOCR on the same images, models and
/// threads. Models load once, outside the timings; each image gets `warmup` untimed runs,
/// then `runs` timed ones.
struct BenchOCRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-ocr",
        abstract: "Time the whole OCR pipeline per image; one JSON line per image.",
        discussion: """
            Example:
              swiftlet bench-ocr --threads 2 --runs 5 photo.jpg scan.png
            """)

    @OptionGroup var models: OCRModelOptions

    @Option(help: ArgumentHelp("Timed runs per image.", valueName: "n"))
    var runs: Positive = 5

    @Option(help: ArgumentHelp("Untimed runs per image first.", valueName: "n"))
    var warmup: NonNegative = 1

    @Argument(help: "PNG or JPEG files.", completion: .file(extensions: ["png", "jpg", "jpeg"]))
    var images: [String]

    func run() throws {
        let threads = models.threads?.value ?? Cores.all
        let ocr = try models.load()
        for path in images {
            var times: [Double] = []
            var lines = 0
            for i in 0..<(runs.value + warmup.value) {
                let ms = try Stopwatch.ms { lines = try ocr.recognize(path: path).count }
                if i >= warmup.value { times.append(ms) }
            }
            times.sort()
            Output.line("{\"image\":\(JSONOut.string(path)),\"median_ms\":\(times[times.count / 2]),\"min_ms\":\(times[0]),\"lines\":\(lines),\"runs\":\(runs.value),\"threads\":\(threads)}")
        }
    }
}
