/// An 8-bit, interleaved, tightly packed RGB image: the one pixel format every OCR stage
/// works on.
///
/// Channel order is R,G,B — what decoders produce and what callers usually hold. RapidOCR
/// works in cv2's B,G,R order, and the PP-OCR models were trained on B,G,R planes, so the
/// tensor builders (`DetPreprocess`, `RecPreprocess`) write planes in B,G,R order; every
/// geometric operation is channel-agnostic.
public struct RGBImage: Sendable, Equatable {
    /// Pixels per row.
    public let width: Int
    /// Number of rows.
    public let height: Int
    /// `height` rows of `width * 3` bytes.
    public var pixels: [UInt8]

    /// An image over `pixels` (R,G,B bytes, row by row).
    ///
    /// - Throws: ``SwiftletError/invalidInput(_:)`` when a side is not positive or the
    ///   byte count is not `width * height * 3`.
    public init(width: Int, height: Int, pixels: [UInt8]) throws {
        guard width > 0, height > 0 else {
            throw SwiftletError.invalidInput("image is \(width)x\(height); both sides must be at least 1 pixel")
        }
        guard pixels.count == width * height * 3 else {
            throw SwiftletError.invalidInput("image \(width)x\(height) needs \(width * height * 3) RGB bytes, got \(pixels.count)")
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Internal initializer for buffers the caller has sized correctly.
    init(uncheckedWidth width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// (r, g, b) at column x, row y.
    public func pixel(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        let o = (y * width + x) * 3
        return (pixels[o], pixels[o + 1], pixels[o + 2])
    }
}

/// Layout of caller-supplied raw pixel memory.
public enum RawPixelLayout: String, Sendable {
    case rgb, bgr, rgba, bgra, gray

    var channels: Int {
        switch self {
        case .rgb, .bgr: return 3
        case .rgba, .bgra: return 4
        case .gray: return 1
        }
    }
}

extension RGBImage {
    /// Copies raw pixels (rows `stride` bytes apart, so padded buffers and sub-views work).
    /// Alpha is flattened as for decoded files: onto white, or onto black when the visible
    /// pixels are light (RapidOCR 3.10.0's rule, see `AlphaFlatten`).
    public init(raw: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int? = nil, layout: RawPixelLayout,
                maxPixels: Int = ImageDecodeOptions.defaultMaxPixels) throws {
        guard width > 0, height > 0 else {
            throw SwiftletError.invalidInput("raw image is \(width)x\(height); both sides must be at least 1 pixel")
        }
        guard width.multipliedReportingOverflow(by: height).overflow == false, width * height <= maxPixels else {
            throw SwiftletError.invalidInput("raw image \(width)x\(height) exceeds the limit of \(maxPixels) pixels")
        }
        let c = layout.channels
        let rowBytes = width * c
        let stride = stride ?? rowBytes
        guard stride >= rowBytes else {
            throw SwiftletError.invalidInput("raw image stride \(stride) is smaller than a \(layout.rawValue) row of \(rowBytes) bytes")
        }
        let need = stride * (height - 1) + rowBytes
        guard raw.count >= need else {
            throw SwiftletError.invalidInput("raw \(layout.rawValue) image \(width)x\(height) stride \(stride) needs \(need) bytes, got \(raw.count)")
        }
        if layout == .rgba || layout == .bgra {
            let rule: AlphaFlatten = layout == .rgba ? .rgba : .bgra
            let src = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            self.init(uncheckedWidth: width, height: height, pixels: rule.flatten(src, width: width, height: height, stride: stride))
            return
        }
        var out = [UInt8](repeating: 0, count: width * height * 3)
        out.withUnsafeMutableBufferPointer { dst in
            for y in 0..<height {
                let s = raw.baseAddress!.advanced(by: y * stride).assumingMemoryBound(to: UInt8.self)
                let d = dst.baseAddress! + y * width * 3
                for x in 0..<width {
                    let p = s + x * c
                    switch layout {
                    case .rgb: d[3 * x] = p[0]; d[3 * x + 1] = p[1]; d[3 * x + 2] = p[2]
                    case .bgr: d[3 * x] = p[2]; d[3 * x + 1] = p[1]; d[3 * x + 2] = p[0]
                    case .gray: d[3 * x] = p[0]; d[3 * x + 1] = p[0]; d[3 * x + 2] = p[0]
                    case .rgba, .bgra: break  // flattened above
                    }
                }
            }
        }
        self.init(uncheckedWidth: width, height: height, pixels: out)
    }
}
