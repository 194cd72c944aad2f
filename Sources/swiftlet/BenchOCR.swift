import Foundation
import Swiftlet

/// `swiftlet bench-ocr [--det D --rec R --cls C | --no-cls] [--preset P] [--threads T] [--runs N] IMAGE…`:
/// whole-pipeline timings (path → lines, decoding included) for tools/bench_ocr.py --pipeline,
/// which runs RapidOCR on the same images, models and threads. Models load once, outside
/// the timings; each image gets `warmup` untimed runs, then `runs` timed ones.
enum BenchOCR {
    static func run(_ a: Args) throws {
        try a.rejectUnknown(["det", "rec", "cls", "no-cls", "preset", "threads", "runs", "warmup"])
        guard !a.positionals.isEmpty else { throw CLIError("bench-ocr needs at least one image path") }
        let presetName = a.value("preset") ?? "rapidocr"
        guard let preset = OCROptions.Preset(rawValue: presetName) else {
            throw CLIError("--preset must be one of \(OCROptions.Preset.allCases.map(\.rawValue)), got '\(presetName)'")
        }
        let threads = try a.int("threads", default: ProcessInfo.processInfo.activeProcessorCount)
        let runs = try a.int("runs", default: 5), warmup = try a.int("warmup", default: 1)
        var options = OCROptions(preset: preset, threads: threads)
        options.useCls = !a.flag("no-cls")
        let ocr = try OCR(detModel: resolveModel(a.value("det") ?? "ppocrv5-det"),
                          recModel: resolveModel(a.value("rec") ?? "ppocrv5-rec"),
                          clsModel: options.useCls ? resolveModel(a.value("cls") ?? "ppocrv5-cls") : nil,
                          options: options)
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
