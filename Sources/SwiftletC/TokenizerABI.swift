#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import CSwiftlet
import Swiftlet
import SwiftletTokenizers

/// A tokenizer handle: the .swl's tokenizer.json plus the model's truncation length.
final class TokenizerHandle {
    let tokenizer: Tokenizer
    let maxLength: Int?

    init(path: String) throws {
        let model = try ModelFile(path: path)
        guard let json = model.blob("tokenizer.json") else {
            throw ABIError(SWIFTLET_ERR_INVALID_MODEL, "'\(path)' has no tokenizer.json blob")
        }
        tokenizer = try Tokenizer(json: json)
        maxLength = try PipelineConfig(model: model).maxLength
    }
}

@c @implementation
public func swiftlet_tokenizer_open(_ path: UnsafePointer<CChar>?, _ outTokenizer: UnsafeMutablePointer<OpaquePointer?>?) -> swiftlet_status {
    abiCall("swiftlet_tokenizer_open") {
        let out = try Arguments.output(outTokenizer, "out_tokenizer")
        let path = try Arguments.cString(path, "path")
        out.pointee = try HandleRegistry.shared.register(try TokenizerHandle(path: path), kind: .tokenizer)
    }
}

@c @implementation
public func swiftlet_tokenizer_close(_ tokenizer: OpaquePointer?) -> swiftlet_status {
    abiCall("swiftlet_tokenizer_close") {
        if let tokenizer { try HandleRegistry.shared.close(tokenizer, .tokenizer) }
    }
}

private let knownEncodeFlags = UInt32(SWIFTLET_ENCODE_NO_SPECIAL_TOKENS)
private let knownDecodeFlags = UInt32(SWIFTLET_DECODE_KEEP_SPECIAL_TOKENS)

@c @implementation
public func swiftlet_tokenizer_encode(_ tokenizer: OpaquePointer?, _ text: UnsafePointer<CChar>?, _ length: Int,
                                      _ flags: UInt32, _ maxLength: Int,
                                      _ ids: UnsafeMutablePointer<Int32>?, _ attentionMask: UnsafeMutablePointer<Int32>?, _ capacity: Int,
                                      _ outCount: UnsafeMutablePointer<Int>?) -> swiftlet_status {
    abiCall("swiftlet_tokenizer_encode") {
        let h = try HandleRegistry.shared.resolve(tokenizer, .tokenizer, as: TokenizerHandle.self)
        let outCount = try Arguments.output(outCount, "out_count")
        guard flags & ~knownEncodeFlags == 0 else { throw ABIError.argument("flags 0x\(String(flags, radix: 16)) has unknown bits") }
        let string = try Arguments.text(UnsafeRawPointer(text), length, "text")
        // size_t max_length: 0 = the model's own, anything beyond Int.max (SIZE_MAX) = unlimited.
        let limit: Int? = maxLength == 0 ? h.maxLength : (maxLength < 0 ? Int.max : maxLength)
        let enc = h.tokenizer.encode(string, addSpecialTokens: flags & UInt32(SWIFTLET_ENCODE_NO_SPECIAL_TOKENS) == 0, maxLength: limit)
        let n = enc.ids.count
        guard try Arguments.capacity(capacity, "capacity") >= n else {
            outCount.pointee = n
            throw ABIError.tooSmall("the text has \(n) tokens but the arrays hold \(capacity)")
        }
        if n > 0 {
            let ids = try Arguments.pointer(ids, "ids")
            enc.ids.withUnsafeBufferPointer { ids.update(from: $0.baseAddress!, count: n) }
            if let attentionMask { enc.attentionMask.withUnsafeBufferPointer { attentionMask.update(from: $0.baseAddress!, count: n) } }
        }
        outCount.pointee = n
    }
}

@c @implementation
public func swiftlet_tokenizer_decode(_ tokenizer: OpaquePointer?, _ ids: UnsafePointer<Int32>?, _ count: Int, _ flags: UInt32,
                                      _ out: UnsafeMutablePointer<CChar>?, _ capacity: Int,
                                      _ outLength: UnsafeMutablePointer<Int>?) -> swiftlet_status {
    abiCall("swiftlet_tokenizer_decode") {
        let h = try HandleRegistry.shared.resolve(tokenizer, .tokenizer, as: TokenizerHandle.self)
        let outLength = try Arguments.output(outLength, "out_length")
        let n = try Arguments.count(count, "count", max: Int(SWIFTLET_MAX_TOKENS))
        guard flags & ~knownDecodeFlags == 0 else { throw ABIError.argument("flags 0x\(String(flags, radix: 16)) has unknown bits") }
        let list: [Int32] = n == 0 ? [] : Array(UnsafeBufferPointer(start: try Arguments.pointer(ids, "ids"), count: n))
        var text = h.tokenizer.decode(list, skipSpecialTokens: flags & UInt32(SWIFTLET_DECODE_KEEP_SPECIAL_TOKENS) == 0)
        let bytes = text.utf8.count
        guard try Arguments.capacity(capacity, "capacity") > bytes else {
            outLength.pointee = bytes
            throw ABIError.tooSmall("the text is \(bytes) bytes and needs \(bytes + 1) with its NUL, but out holds \(capacity)")
        }
        let out = try Arguments.pointer(out, "out")
        text.withUTF8 { u in
            if let base = u.baseAddress { UnsafeMutableRawPointer(out).copyMemory(from: base, byteCount: u.count) }
        }
        out[bytes] = 0
        outLength.pointee = bytes
    }
}
