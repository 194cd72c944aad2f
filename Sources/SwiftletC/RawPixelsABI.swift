import CSwiftlet
import Swiftlet

/// The raw-pixel arguments OCR and CLIP share (swiftlet_ocr_run_pixels,
/// swiftlet_image_embedder_embed_pixels): every size is checked here, naming the C
/// argument, before RGBImage(raw:) reads a byte, so a bad size is an error and not a trap
/// or an out-of-bounds read.
enum RawPixelsABI {
    static func image(_ pixels: UnsafeRawPointer?, _ byteCount: Int, _ width: Int, _ height: Int, _ stride: Int,
                      _ format: swiftlet_pixel_format) throws -> RGBImage {
        let layout: RawPixelLayout, channels: Int
        switch Int(format) {
        case SWIFTLET_PIXEL_RGB: (layout, channels) = (.rgb, 3)
        case SWIFTLET_PIXEL_BGR: (layout, channels) = (.bgr, 3)
        case SWIFTLET_PIXEL_RGBA: (layout, channels) = (.rgba, 4)
        case SWIFTLET_PIXEL_BGRA: (layout, channels) = (.bgra, 4)
        case SWIFTLET_PIXEL_GRAY: (layout, channels) = (.gray, 1)
        default: throw ABIError.argument("format is \(format); use SWIFTLET_PIXEL_RGB, _BGR, _RGBA, _BGRA or _GRAY")
        }
        let maxPixels = Int(SWIFTLET_MAX_IMAGE_PIXELS)
        let w = try Arguments.count(width, "width", max: maxPixels), h = try Arguments.count(height, "height", max: maxPixels)
        guard w > 0, h > 0 else { throw ABIError.argument("the image is \(w)x\(h); both sides must be at least 1 pixel") }
        guard w * h <= maxPixels else { throw ABIError.argument("the image is \(w)x\(h), more than SWIFTLET_MAX_IMAGE_PIXELS (\(maxPixels)) pixels") }
        let row = w * channels
        let s = try Arguments.count(stride, "stride", max: Int(Int32.max))
        let rowStride = s == 0 ? row : s
        guard rowStride >= row else {
            throw ABIError.argument("stride is \(s) bytes but a row of \(w) \(layout.rawValue.uppercased()) pixels needs \(row)")
        }
        // Both factors are bounded (stride < 2^31, height <= 5e7), so no overflow.
        let needed = rowStride * (h - 1) + row
        let bytes = try Arguments.capacity(byteCount, "byte_count")
        guard bytes >= needed else {
            throw ABIError.argument("byte_count is \(bytes) but \(w)x\(h) \(layout.rawValue.uppercased()) pixels with stride \(rowStride) need \(needed)")
        }
        let pixels = try Arguments.pointer(pixels, "pixels")
        return try RGBImage(raw: UnsafeRawBufferPointer(start: pixels, count: needed), width: w, height: h, stride: rowStride,
                            layout: layout, maxPixels: maxPixels)
    }

    /// The encoded-image arguments (swiftlet_ocr_run_encoded, swiftlet_image_embedder_embed_encoded).
    static func encoded(_ data: UnsafeRawPointer?, _ byteCount: Int) throws -> [UInt8] {
        let n = try Arguments.count(byteCount, "byte_count", max: Int(SWIFTLET_MAX_IMAGE_BYTES))
        guard n > 0 else { throw ABIError.argument("byte_count is 0: an image needs at least its signature") }
        let data = try Arguments.pointer(data, "data")
        return Array(UnsafeRawBufferPointer(start: data, count: n))
    }
}
