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
public func swiftlet_ocr_open_oriented(_ detPath: UnsafePointer<CChar>?, _ recPath: UnsafePointer<CChar>?, _ clsPath: UnsafePointer<CChar>?,
                                       _ orientationPath: UnsafePointer<CChar>?, _ options: UnsafePointer<swiftlet_ocr_options>?,
                                       _ outOCR: UnsafeMutablePointer<OpaquePointer?>?) -> swiftlet_status {
    abiCall("swiftlet_ocr_open_oriented") {
        let out = try Arguments.output(outOCR, "out_ocr")
        let det = try Arguments.cString(detPath, "det_path")
        let rec = try Arguments.cString(recPath, "rec_path")
        let cls = try clsPath.map { try Arguments.cString($0, "cls_path") }
        let orientation = try Arguments.cString(orientationPath, "orientation_path")
        var o = try OCROptionsABI.options(options)
        o.useCls = cls != nil
        o.orientation = true
        let ocr = try OCR(detModel: det, recModel: rec, clsModel: cls, orientationModel: orientation, options: o)
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
    let page = try h.ocr.recognizePage(try load())
    out.pointee = try HandleRegistry.shared.register(OCRResultHandle(page: page, image: name), kind: .ocrResult)
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
        let bytes = try RawPixelsABI.encoded(data, byteCount)
        try run(ocr, outResult, image: nil) { try RGBImage(encoded: bytes, name: "the encoded image") }
    }
}

@c @implementation
public func swiftlet_ocr_run_pixels(_ ocr: OpaquePointer?, _ pixels: UnsafeRawPointer?, _ byteCount: Int,
                                    _ width: Int, _ height: Int, _ stride: Int, _ format: swiftlet_pixel_format,
                                    _ outResult: UnsafeMutablePointer<OpaquePointer?>?) -> swiftlet_status {
    abiCall("swiftlet_ocr_run_pixels") {
        let image = try RawPixelsABI.image(pixels, byteCount, width, height, stride, format)
        try run(ocr, outResult, image: nil) { image }
    }
}
