import ArgumentParser
import Swiftlet

extension OCROptions.Preset: ExpressibleByArgument {}
extension OCROptions.ScoreMode: ExpressibleByArgument {}

/// The models and settings `ocr` and `bench-ocr` share. Default models: PP-OCRv5 mobile.
struct OCRModelOptions: ParsableArguments {
    @Option(help: "Detection model (.swl path or name in $SWIFTLET_MODELS).")
    var det = "ppocrv5-det"

    @Option(help: "Recognition model.")
    var rec = "ppocrv5-rec"

    @Option(help: "Text-angle classifier model.")
    var cls = "ppocrv5-cls"

    @Flag(name: .customLong("no-cls"), help: "Skip the angle classifier.")
    var noCls = false

    @Flag(help: "Classify the page's orientation (0/90/180/270°) first and turn it upright before reading; boxes stay in the image's own coordinates and each JSON line gains \"orientation\".")
    var orientation = false

    @Option(name: .customLong("orientation-model"), help: "Document-orientation model (with --orientation).")
    var orientationModel = "doc-orientation"

    @Option(help: "Pipeline defaults: RapidOCR 1.4.4 (rapidocr), PaddleOCR's detector (paddle) or RapidOCR 3.10.0 (rapidocr3, for the PP-OCRv6 models).")
    var preset: OCROptions.Preset = .rapidocr

    @Option(name: .customLong("score-mode"),
            help: "Box score: mean inside the box's rectangle (fast) or inside its contour (slow, PaddleOCR's).")
    var scoreMode: OCROptions.ScoreMode = .fast

    @Option(help: ArgumentHelp("Compute threads (default: all cores).", valueName: "n"))
    var threads: Positive?

    func load() throws -> OCR {
        var options = OCROptions(preset: preset, threads: threads?.value ?? Cores.all)
        options.scoreMode = scoreMode
        options.useCls = !noCls
        options.orientation = orientation
        return try OCR(detModel: ModelPath.resolve(det), recModel: ModelPath.resolve(rec),
                       clsModel: noCls ? nil : ModelPath.resolve(cls),
                       orientationModel: orientation ? ModelPath.resolve(orientationModel) : nil, options: options)
    }
}
