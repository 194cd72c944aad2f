import Foundation
import Swiftlet

/// `swiftlet bench-ocr [ocr options] [--runs N] [--warmup N] IMAGE…`: whole-pipeline timings
/// (path → lines, decoding included) for tools/bench_ocr.py --pipeline, which runs RapidOCR
/// on the same images, models and threads. Models load once, outside the timings; each
/// image gets `warmup` untimed runs, then `runs` timed ones.
enum BenchOCR {
    static func run(_ a: Args) throws {
        try a.rejectUnknown(OCRCommand.optionNames.union(["runs", "warmup"]))
        guard !a.positionals.isEmpty else { throw CLIError("bench-ocr needs at least one image path") }
        let runs = try a.int("runs", default: 5), warmup = try a.int("warmup", default: 1)
        let threads = try a.int("threads", default: ProcessInfo.processInfo.activeProcessorCount)
        let ocr = try OCRCommand.load(a)
        for path in a.positionals {
            var times: [Double] = []
            var lines = 0
            for i in 0..<(runs + warmup) {
                let t0 = DispatchTime.now().uptimeNanoseconds
                lines = try ocr.recognize(path: path).count
                if i >= warmup { times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6) }
            }
            times.sort()
            emit("{\"image\":\(JSONOut.string(path)),\"median_ms\":\(times[times.count / 2]),\"min_ms\":\(times[0]),\"lines\":\(lines),\"runs\":\(runs),\"threads\":\(threads)}")
        }
    }
}
