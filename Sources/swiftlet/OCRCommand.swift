import Foundation
import Swiftlet

/// `swiftlet ocr [--det D --rec R --cls C | --no-cls] [--preset rapidocr|paddle] IMAGE…`:
/// one JSON object per image, in input order. Default models: PP-OCRv5 mobile.
enum OCRCommand {
    static func run(_ a: Args) throws {
        try a.rejectUnknown(["det", "rec", "cls", "no-cls", "preset", "threads"])
        guard !a.positionals.isEmpty else { throw CLIError("ocr needs at least one image path") }
        let presetName = a.value("preset") ?? "rapidocr"
        guard let preset = OCROptions.Preset(rawValue: presetName) else {
            throw CLIError("--preset must be one of \(OCROptions.Preset.allCases.map(\.rawValue)), got '\(presetName)'")
        }
        var options = OCROptions(preset: preset, threads: try a.int("threads", default: ProcessInfo.processInfo.activeProcessorCount))
        let useCls = !a.flag("no-cls")
        options.useCls = useCls
        let ocr = try OCR(detModel: resolveModel(a.value("det") ?? "ppocrv5-det"),
                          recModel: resolveModel(a.value("rec") ?? "ppocrv5-rec"),
                          clsModel: useCls ? resolveModel(a.value("cls") ?? "ppocrv5-cls") : nil,
                          options: options)
        for path in a.positionals {
            emit(OCRJSON.object(image: path, lines: try ocr.recognize(path: path)))
        }
    }
}
