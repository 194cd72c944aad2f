import Foundation
import Swiftlet

/// `swiftlet ocr [--det D --rec R --cls C | --no-cls] [--preset rapidocr|paddle] [--score-mode fast|slow] IMAGE…`:
/// one JSON object per image, in input order. Default models: PP-OCRv5 mobile.
enum OCRCommand {
    /// The options `ocr` and `bench-ocr` share.
    static let optionNames: Set<String> = ["det", "rec", "cls", "no-cls", "preset", "score-mode", "threads"]

    static func run(_ a: Args) throws {
        try a.rejectUnknown(optionNames)
        guard !a.positionals.isEmpty else { throw CLIError("ocr needs at least one image path") }
        let ocr = try load(a)
        for path in a.positionals {
            emit(OCRJSON.object(image: path, lines: try ocr.recognize(path: path)))
        }
    }

    /// Builds the OCR pipeline from the shared options.
    static func load(_ a: Args) throws -> OCR {
        let presetName = a.value("preset") ?? "rapidocr"
        guard let preset = OCROptions.Preset(rawValue: presetName) else {
            throw CLIError("--preset must be one of \(OCROptions.Preset.allCases.map(\.rawValue)), got '\(presetName)'")
        }
        var options = OCROptions(preset: preset, threads: try a.int("threads", default: ProcessInfo.processInfo.activeProcessorCount))
        if let mode = a.value("score-mode") {
            guard let m = OCROptions.ScoreMode(rawValue: mode) else {
                throw CLIError("--score-mode must be one of \(OCROptions.ScoreMode.allCases.map(\.rawValue)), got '\(mode)'")
            }
            options.scoreMode = m
        }
        options.useCls = !a.flag("no-cls")
        return try OCR(detModel: resolveModel(a.value("det") ?? "ppocrv5-det"),
                       recModel: resolveModel(a.value("rec") ?? "ppocrv5-rec"),
                       clsModel: options.useCls ? resolveModel(a.value("cls") ?? "ppocrv5-cls") : nil,
                       options: options)
    }
}
