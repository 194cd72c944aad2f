/// The `clip` pipeline section of a `.swl` header (docs/FORMAT.md, "The clip pipeline"):
/// which graph outputs the two towers end in, the text length, and CLIPImageProcessor's
/// settings.
public struct CLIPConfig: Sendable {
    /// The pipeline kind this file is for.
    public static let kind = "clip"
    /// Graph output of the text tower (projected features, [batch, D]).
    public var textOutput: String
    /// Graph output of the image tower (projected features, [images, D]).
    public var imageOutput: String
    /// Tokens per text, BOS and EOS included (CLIP's context: 77).
    public var maxLength: Int
    /// Vectors are L2-normalised unless asked otherwise.
    public var normalize: Bool
    /// How an image becomes `pixel_values`.
    public var image: CLIPImageConfig

    /// Reads the pipeline section of `model`.
    ///
    /// - Throws: ``SwiftletError/invalidModel(_:)`` when the kind is not `clip` or a field is
    ///   missing or out of range.
    public init(model: ModelFile) throws {
        try self.init(model.pipeline, path: model.path)
    }

    init(_ d: [String: Any], path: String) throws {
        func bad(_ what: String) -> SwiftletError { .invalidModel("'\(path)': clip pipeline: \(what)") }
        let kind = d["kind"] as? String ?? "graph"
        guard kind == Self.kind else { throw SwiftletError.invalidModel("'\(path)' is a '\(kind)' model, not a CLIP model") }
        textOutput = d["text_output"] as? String ?? "text_features"
        imageOutput = d["image_output"] as? String ?? "image_features"
        maxLength = d["max_length"] as? Int ?? 77
        guard maxLength >= 2 else { throw bad("max_length \(maxLength) is too small") }
        normalize = d["normalize"] as? Bool ?? true
        guard let im = d["image"] as? [String: Any] else { throw bad("no 'image' settings") }
        image = try CLIPImageConfig(im, bad)
    }
}

/// CLIPImageProcessor's steps as numbers: resize the shortest side (Pillow bicubic), center
/// crop, rescale, normalise per channel.
public struct CLIPImageConfig: Sendable {
    /// Length the shorter side is resized to.
    public var shortestEdge: Int
    /// Crop size (height, width) taken from the center after resizing.
    public var cropHeight: Int, cropWidth: Int
    /// Factor from 0...255 to the model's range (1/255).
    public var rescale: Double
    /// Per-channel (R, G, B) mean and standard deviation subtracted and divided after rescaling.
    public var mean: [Double], std: [Double]

    init(_ d: [String: Any], _ bad: (String) -> SwiftletError) throws {
        func number(_ v: Any?) -> Double? { (v as? Double) ?? (v as? Int).map(Double.init) }
        guard (d["resample"] as? String ?? "bicubic") == "bicubic" else { throw bad("only bicubic resampling is supported") }
        guard let edge = d["shortest_edge"] as? Int, edge > 0, edge <= 8192 else { throw bad("shortest_edge must be 1...8192") }
        shortestEdge = edge
        guard let crop = d["crop"] as? [Int], crop.count == 2, crop.allSatisfy({ $0 > 0 && $0 <= 8192 }) else {
            throw bad("crop must be [height, width], each 1...8192")
        }
        (cropHeight, cropWidth) = (crop[0], crop[1])
        guard let r = number(d["rescale"]), r > 0 else { throw bad("rescale must be a positive number") }
        rescale = r
        let m = (d["mean"] as? [Any] ?? []).compactMap(number), s = (d["std"] as? [Any] ?? []).compactMap(number)
        guard m.count == 3, s.count == 3, s.allSatisfy({ $0 > 0 }) else { throw bad("mean and std must be 3 numbers each, std positive") }
        (mean, std) = (m, s)
    }

    /// The size (width, height) the shortest side rule gives, as transformers computes it:
    /// the short side becomes `shortestEdge`, the long one `int(edge * long / short)`.
    public func resizedSize(width: Int, height: Int) -> (width: Int, height: Int) {
        let short = min(width, height), long = max(width, height)
        let newLong = Int(Double(shortestEdge * long) / Double(short))
        return width <= height ? (shortestEdge, newLong) : (newLong, shortestEdge)
    }

    /// Resized (Pillow bicubic) and center-cropped pixels, still 8-bit RGB.
    public func cropped(_ image: RGBImage) throws -> RGBImage {
        let (w, h) = resizedSize(width: image.width, height: image.height)
        let resized = try image.resizedBicubicPIL(width: w, height: h)
        guard w >= cropWidth, h >= cropHeight else {
            throw SwiftletError.invalidInput("image resized to \(w)x\(h) is smaller than the \(cropWidth)x\(cropHeight) crop")
        }
        let top = (h - cropHeight) / 2, left = (w - cropWidth) / 2
        var px = [UInt8](repeating: 0, count: cropWidth * cropHeight * 3)
        for y in 0..<cropHeight {
            let from = ((top + y) * w + left) * 3
            px.replaceSubrange(y * cropWidth * 3..<(y + 1) * cropWidth * 3, with: resized.pixels[from..<from + cropWidth * 3])
        }
        return try RGBImage(width: cropWidth, height: cropHeight, pixels: px)
    }

    /// `pixel_values` for one image: [3, cropHeight, cropWidth], channel-major.
    public func pixelValues(_ image: RGBImage) throws -> [Float] {
        let crop = try cropped(image)
        let plane = cropWidth * cropHeight
        var out = [Float](repeating: 0, count: 3 * plane)
        for c in 0..<3 {
            // A table per channel: 256 values, computed in double as transformers does.
            let table = (0..<256).map { Float((Double($0) * rescale - mean[c]) / std[c]) }
            for i in 0..<plane { out[c * plane + i] = table[Int(crop.pixels[3 * i + c])] }
        }
        return out
    }
}
