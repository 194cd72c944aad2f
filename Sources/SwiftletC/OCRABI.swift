#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import CSwiftlet
import Swiftlet

/// An OCR handle: the loaded det/rec(/cls) sessions. `OCR` is immutable after init, so
/// one handle serves concurrent runs.
final class OCRHandle {
    let ocr: OCR
    init(_ ocr: OCR) { self.ocr = ocr }
}

/// swiftlet_ocr_options → OCROptions: 0 keeps the preset's value, anything else is
/// range-checked here so the message names the C field.
enum OCROptionsABI {
    static func options(_ p: UnsafePointer<swiftlet_ocr_options>?) throws -> OCROptions {
        let o = p?.pointee ?? swiftlet_ocr_options()
        let threads = try Arguments.threads(o.threads, "options.threads")
        let preset: OCROptions.Preset
        switch Int(o.preset) {
        case SWIFTLET_OCR_PRESET_RAPIDOCR: preset = .rapidocr
        case SWIFTLET_OCR_PRESET_PADDLE: preset = .paddle
        default: throw ABIError.argument("options.preset is \(o.preset); use SWIFTLET_OCR_PRESET_RAPIDOCR or _PADDLE")
        }
        var r = OCROptions(preset: preset, threads: threads)
        func value(_ v: Float, _ name: String, _ range: String, _ ok: (Float) -> Bool) throws -> Float? {
            if v == 0 { return nil }
            guard v.isFinite, ok(v) else { throw ABIError.argument("options.\(name) is \(v); use 0 (the preset's value) or \(range)") }
            return v
        }
        if let v = try value(o.det_thresh, "det_thresh", "0 < t < 1", { $0 > 0 && $0 < 1 }) { r.thresh = v }
        if let v = try value(o.box_thresh, "box_thresh", "0 < t <= 1", { $0 > 0 && $0 <= 1 }) { r.boxThresh = v }
        if let v = try value(o.unclip_ratio, "unclip_ratio", "0 < r <= 100", { $0 > 0 && $0 <= 100 }) { r.unclipRatio = Double(v) }
        if let v = try value(o.text_score, "text_score", "0 < s <= 1", { $0 > 0 && $0 <= 1 }) { r.textScore = v }
        if o.limit_side_len != 0 {
            guard o.limit_side_len > 0, o.limit_side_len <= 65536 else {
                throw ABIError.argument("options.limit_side_len is \(o.limit_side_len); use 0 (the preset's value) or 1..65536")
            }
            r.limitSideLen = Int(o.limit_side_len)
        }
        let reserved = withUnsafeBytes(of: o.reserved) { Array($0.bindMemory(to: Int32.self)) }
        if let i = reserved.firstIndex(where: { $0 != 0 }) {
            throw ABIError.argument("options.reserved[\(i)] is \(reserved[i]); reserved fields must be 0 (zero-initialise the struct)")
        }
        return r
    }
}

@c @implementation
public func swiftlet_ocr_open(_ detPath: UnsafePointer<CChar>?, _ recPath: UnsafePointer<CChar>?, _ clsPath: UnsafePointer<CChar>?,
                              _ options: UnsafePointer<swiftlet_ocr_options>?, _ outOCR: UnsafeMutablePointer<OpaquePointer?>?) -> swiftlet_status {
    abiCall("swiftlet_ocr_open") {
        let out = try Arguments.output(outOCR, "out_ocr")
        let det = try Arguments.cString(detPath, "det_path")
        let rec = try Arguments.cString(recPath, "rec_path")
        let cls = try clsPath.map { try Arguments.cString($0, "cls_path") }
        var o = try OCROptionsABI.options(options)
        o.useCls = cls != nil
        let ocr = try OCR(detModel: det, recModel: rec, clsModel: cls, options: o)
        out.pointee = try HandleRegistry.shared.register(OCRHandle(ocr), kind: .ocr)
    }
}

@c @implementation
public func swiftlet_ocr_close(_ ocr: OpaquePointer?) -> swiftlet_status {
    abiCall("swiftlet_ocr_close") {
        if let ocr { try HandleRegistry.shared.close(ocr, .ocr) }
    }
}

/// Runs the engine and stores the lines as a new result handle.
private func run(_ ocr: OpaquePointer?, _ outResult: UnsafeMutablePointer<OpaquePointer?>?,
                 image name: String?, _ load: () throws -> RGBImage) throws {
    let h = try HandleRegistry.shared.resolve(ocr, .ocr, as: OCRHandle.self)
    let out = try Arguments.output(outResult, "out_result")
    let lines = try h.ocr.recognize(try load())
    out.pointee = try HandleRegistry.shared.register(OCRResultHandle(lines: lines, image: name), kind: .ocrResult)
}

@c @implementation
public func swiftlet_ocr_run_file(_ ocr: OpaquePointer?, _ path: UnsafePointer<CChar>?,
                                  _ outResult: UnsafeMutablePointer<OpaquePointer?>?) -> swiftlet_status {
    abiCall("swiftlet_ocr_run_file") {
        let path = try Arguments.cString(path, "path")
        try run(ocr, outResult, image: path) { try RGBImage(contentsOf: path) }
    }
}

@c @implementation
public func swiftlet_ocr_run_encoded(_ ocr: OpaquePointer?, _ data: UnsafeRawPointer?, _ byteCount: Int,
                                     _ outResult: UnsafeMutablePointer<OpaquePointer?>?) -> swiftlet_status {
    abiCall("swiftlet_ocr_run_encoded") {
        let n = try Arguments.count(byteCount, "byte_count", max: Int(SWIFTLET_MAX_IMAGE_BYTES))
        guard n > 0 else { throw ABIError.argument("byte_count is 0: an image needs at least its signature") }
        let data = try Arguments.pointer(data, "data")
        try run(ocr, outResult, image: nil) {
            try RGBImage(encoded: Array(UnsafeRawBufferPointer(start: data, count: n)), name: "the encoded image")
        }
    }
}

@c @implementation
public func swiftlet_ocr_run_pixels(_ ocr: OpaquePointer?, _ pixels: UnsafeRawPointer?, _ byteCount: Int,
                                    _ width: Int, _ height: Int, _ stride: Int, _ format: swiftlet_pixel_format,
                                    _ outResult: UnsafeMutablePointer<OpaquePointer?>?) -> swiftlet_status {
    abiCall("swiftlet_ocr_run_pixels") {
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
        try run(ocr, outResult, image: nil) {
            try RGBImage(raw: UnsafeRawBufferPointer(start: pixels, count: needed), width: w, height: h, stride: rowStride,
                         layout: layout, maxPixels: maxPixels)
        }
    }
}
