#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import CSwiftlet
import Swiftlet

/// An OCR result handle: the lines, their texts as NUL-terminated copies and the JSON
/// dump, all made once at creation so the accessors hand out stable pointers and never
/// mutate (a result may be read from several threads).
final class OCRResultHandle {
    let lines: [OCRLine]
    /// The page turn the orientation classifier undid; nil without a classifier.
    let orientation: Int?
    private let texts: [UnsafeMutablePointer<CChar>]
    private let textLengths: [Int]
    let json: UnsafeMutablePointer<CChar>
    let jsonLength: Int

    init(page: OCRPage, image: String?) {
        let lines = page.lines
        self.lines = lines
        orientation = page.orientation
        texts = lines.map { OCRResultHandle.cCopy($0.text) }
        textLengths = lines.map { $0.text.utf8.count }
        let dump = OCRJSON.object(image: image, lines: lines, orientation: page.orientation)
        json = OCRResultHandle.cCopy(dump)
        jsonLength = dump.utf8.count
    }

    /// All of the string's UTF-8 bytes plus a NUL (strdup would stop at an inner NUL).
    private static func cCopy(_ s: String) -> UnsafeMutablePointer<CChar> {
        let bytes = Array(s.utf8)
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
        bytes.withUnsafeBufferPointer { b in
            if let base = b.baseAddress { UnsafeMutableRawPointer(p).copyMemory(from: base, byteCount: b.count) }
        }
        p[bytes.count] = 0
        return p
    }

    deinit {
        texts.forEach { $0.deallocate() }
        json.deallocate()
    }

    func line(_ i: Int) -> swiftlet_ocr_line {
        var out = swiftlet_ocr_line()
        let l = lines[i]
        withUnsafeMutableBytes(of: &out.box) { raw in
            let box = raw.bindMemory(to: Float.self)
            for (k, p) in l.box.prefix(4).enumerated() {
                box[2 * k] = p.x
                box[2 * k + 1] = p.y
            }
        }
        out.text = UnsafePointer(texts[i])
        out.text_length = textLengths[i]
        out.score = l.score
        return out
    }
}

@c @implementation
public func swiftlet_ocr_result_count(_ result: OpaquePointer?, _ outCount: UnsafeMutablePointer<Int>?) -> swiftlet_status {
    abiCall("swiftlet_ocr_result_count") {
        let h = try HandleRegistry.shared.resolve(result, .ocrResult, as: OCRResultHandle.self)
        try Arguments.output(outCount, "out_count").pointee = h.lines.count
    }
}

@c @implementation
public func swiftlet_ocr_result_line(_ result: OpaquePointer?, _ index: Int, _ outLine: UnsafeMutablePointer<swiftlet_ocr_line>?) -> swiftlet_status {
    abiCall("swiftlet_ocr_result_line") {
        let h = try HandleRegistry.shared.resolve(result, .ocrResult, as: OCRResultHandle.self)
        let out = try Arguments.output(outLine, "out_line")
        guard index >= 0, index < h.lines.count else {
            throw ABIError.argument("index \(UInt(bitPattern: index)) is out of range: the result has \(h.lines.count) lines")
        }
        out.pointee = h.line(index)
    }
}

@c @implementation
public func swiftlet_ocr_result_json(_ result: OpaquePointer?, _ outJSON: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                                     _ outLength: UnsafeMutablePointer<Int>?) -> swiftlet_status {
    abiCall("swiftlet_ocr_result_json") {
        let h = try HandleRegistry.shared.resolve(result, .ocrResult, as: OCRResultHandle.self)
        let out = try Arguments.output(outJSON, "out_json")
        out.pointee = UnsafePointer(h.json)
        outLength?.pointee = h.jsonLength
    }
}

@c @implementation
public func swiftlet_ocr_result_orientation(_ result: OpaquePointer?, _ outDegrees: UnsafeMutablePointer<Int32>?) -> swiftlet_status {
    abiCall("swiftlet_ocr_result_orientation") {
        let h = try HandleRegistry.shared.resolve(result, .ocrResult, as: OCRResultHandle.self)
        try Arguments.output(outDegrees, "out_degrees").pointee = Int32(h.orientation ?? -1)
    }
}

@c @implementation
public func swiftlet_ocr_result_free(_ result: OpaquePointer?) -> swiftlet_status {
    abiCall("swiftlet_ocr_result_free") {
        if let result { try HandleRegistry.shared.close(result, .ocrResult) }
    }
}
