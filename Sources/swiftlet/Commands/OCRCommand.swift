import ArgumentParser
import Swiftlet

/// `swiftlet ocr`: one {"image","lines"} line per image, in input order.
struct OCRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr",
        abstract: "Read text in images: one {\"image\",\"lines\":[{\"box\",\"text\",\"score\"}]} JSON line per image.",
        discussion: """
            Boxes are clockwise from top-left, lines in reading order. Default models: PP-OCRv5 mobile.

            Examples:
              swiftlet ocr photo.jpg scan.png
              swiftlet ocr --det ppocrv4-det --rec ppocrv4-rec --cls ppocr-cls-v2 \\
                --preset paddle page.png
              swiftlet ocr --det ppocrv6-det --rec ppocrv6-rec --cls ppocr-cls-v2 \\
                --preset rapidocr3 page.png
              swiftlet ocr --orientation scanned-sideways.jpg
            """)

    @OptionGroup var models: OCRModelOptions

    @Argument(help: "PNG or JPEG files.", completion: .file(extensions: ["png", "jpg", "jpeg"]))
    var images: [String]

    @OptionGroup var progressOptions: ProgressOptions

    func run() throws {
        let ocr = try models.load()
        var progress = Progress(total: images.count, unit: "images", quiet: progressOptions.quiet)
        for path in images {
            let page = try ocr.recognizePage(path: path)
            progress.advance(printing: OCRJSON.object(image: path, lines: page.lines, orientation: page.orientation))
        }
        progress.finish()
    }
}
