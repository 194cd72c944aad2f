import CJPEG
import CPNG
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SwiftletTokenizers

/// How encoded images are turned into `RGBImage`s.
public struct ImageDecodeOptions: Sendable {
    /// The default pixel limit: 50 million pixels.
    public static let defaultMaxPixels = 50_000_000
    /// Images with more pixels are refused from their header, before any pixel memory is
    /// allocated.
    public var maxPixels: Int
    /// Rotate/flip JPEGs by their EXIF orientation tag. Off by default because RapidOCR
    /// loads through `PIL.Image.open`, which ignores the tag (cv2.imread would apply it);
    /// OCR results match the reference only with the pixels it sees. Transparent pixels are
    /// flattened onto white or black as RapidOCR 3.10.0 does (see `AlphaFlatten`): dark
    /// visible content goes onto white, light content (white text) onto black.
    public var applyExifOrientation: Bool

    /// Options with the given limit and EXIF handling.
    public init(maxPixels: Int = ImageDecodeOptions.defaultMaxPixels, applyExifOrientation: Bool = false) {
        self.maxPixels = maxPixels
        self.applyExifOrientation = applyExifOrientation
    }
}

extension RGBImage {
    /// Decodes a PNG or JPEG file.
    public init(contentsOf path: String, options: ImageDecodeOptions = ImageDecodeOptions()) throws {
        guard let data = readWholeFile(path) else {
            throw SwiftletError.io("cannot read image file '\(path)'")
        }
        try self.init(encoded: data, name: path, options: options)
    }

    /// Decodes PNG or JPEG bytes held in memory; `name` only labels error messages.
    public init(encoded bytes: [UInt8], name: String = "image", options: ImageDecodeOptions = ImageDecodeOptions()) throws {
        guard !bytes.isEmpty else { throw SwiftletError.invalidInput("\(name): empty image data") }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = try decodePNG(bytes, name: name, options: options)
        } else if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            var img = try decodeJPEG(bytes, name: name, options: options)
            if options.applyExifOrientation, let o = exifOrientation(jpeg: bytes), o != 1 {
                img = img.oriented(exif: o)
            }
            self = img
        } else {
            throw SwiftletError.invalidInput("\(name): not a PNG or JPEG image (unrecognised signature)")
        }
    }
}

private func tooLarge(_ name: String, _ w: UInt32, _ h: UInt32, _ limit: Int) -> SwiftletError {
    .invalidInput("\(name): image is \(w)x\(h) = \(UInt64(w) * UInt64(h)) pixels, over the limit of \(limit) pixels")
}

private func decodePNG(_ bytes: [UInt8], name: String, options: ImageDecodeOptions) throws -> RGBImage {
    var out: UnsafeMutablePointer<UInt8>? = nil
    var w: UInt32 = 0, h: UInt32 = 0
    var message = [CChar](repeating: 0, count: 256)
    let status = bytes.withUnsafeBufferPointer { b in
        swl_png_decode(b.baseAddress, b.count, UInt64(max(options.maxPixels, 0)), &out, &w, &h, &message, message.count)
    }
    defer { free(out) }
    if Int(status) == Int(SWL_PNG_TOO_LARGE) { throw tooLarge(name, w, h, options.maxPixels) }
    guard Int(status) == Int(SWL_PNG_OK), let rgba = out else {
        throw SwiftletError.invalidInput("\(name): cannot decode PNG: \(String(cString: message))")
    }
    let n = Int(w) * Int(h)
    var opaque = true
    for i in 0..<n where rgba[4 * i + 3] != 255 { opaque = false; break }
    if opaque {
        var rgb = [UInt8](repeating: 0, count: n * 3)
        rgb.withUnsafeMutableBufferPointer { d in
            for i in 0..<n { d[3 * i] = rgba[4 * i]; d[3 * i + 1] = rgba[4 * i + 1]; d[3 * i + 2] = rgba[4 * i + 2] }
        }
        return RGBImage(uncheckedWidth: Int(w), height: Int(h), pixels: rgb)
    }
    // Transparency: onto white or black, whichever contrasts with what is visible.
    let rgb = AlphaFlatten.rgba.flatten(UnsafePointer(rgba), width: Int(w), height: Int(h), stride: Int(w) * 4)
    return RGBImage(uncheckedWidth: Int(w), height: Int(h), pixels: rgb)
}

private func decodeJPEG(_ bytes: [UInt8], name: String, options: ImageDecodeOptions) throws -> RGBImage {
    var out: UnsafeMutablePointer<UInt8>? = nil
    var w: UInt32 = 0, h: UInt32 = 0
    var channels: Int32 = 0
    var message = [CChar](repeating: 0, count: 256)
    let status = bytes.withUnsafeBufferPointer { b in
        swl_jpeg_decode(b.baseAddress, b.count, UInt64(max(options.maxPixels, 0)), &out, &w, &h, &channels, &message, message.count)
    }
    defer { free(out) }
    if Int(status) == Int(SWL_JPEG_TOO_LARGE) { throw tooLarge(name, w, h, options.maxPixels) }
    guard Int(status) == Int(SWL_JPEG_OK), let px = out else {
        throw SwiftletError.invalidInput("\(name): cannot decode JPEG: \(String(cString: message))")
    }
    let n = Int(w) * Int(h)
    if channels == 3 {
        return RGBImage(uncheckedWidth: Int(w), height: Int(h), pixels: Array(UnsafeBufferPointer(start: px, count: n * 3)))
    }
    var rgb = [UInt8](repeating: 0, count: n * 3)
    for i in 0..<n { let g = px[i]; rgb[3 * i] = g; rgb[3 * i + 1] = g; rgb[3 * i + 2] = g }
    return RGBImage(uncheckedWidth: Int(w), height: Int(h), pixels: rgb)
}
