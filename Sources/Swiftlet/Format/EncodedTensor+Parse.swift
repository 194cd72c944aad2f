#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

extension EncodedTensor {
    /// Parses and validates a tensor row's `encoding` (the row's dtype/shape are the
    /// logical float32 tensor; offset/length cover the encoded bytes).
    static func parse(name: String, shape: [Int], encoding e: [String: Any], offset: Int, length: Int,
                      file: MappedFile, path: String) throws -> EncodedTensor {
        func bad(_ m: String) -> SwiftletError { .invalidModel("'\(path)': tensor '\(name)' \(m)") }
        guard let type = e["type"] as? String else { throw bad("has an encoding without a type") }
        let (count, overflow) = shape.reduce((1, false)) { acc, d in
            let (m, o) = acc.0.multipliedReportingOverflow(by: d); return (m, acc.1 || o)
        }
        guard !overflow else { throw bad("has an impossible shape \(shape)") }
        func axis() throws -> Int {
            guard let a = e["axis"] as? Int, a >= 0, a < shape.count else {
                throw bad("encoding '\(type)' needs an axis in 0..<\(shape.count), got \(e["axis"] ?? "none")")
            }
            return a
        }
        func need(_ bytes: Int) throws {
            guard length == bytes else { throw bad("is \(length) bytes but its \(type) encoding of \(shape) needs \(bytes)") }
        }
        let base = UnsafeRawPointer(file.base + offset)
        switch type {
        case "float16":
            try need(count * 2)
            return EncodedTensor(name: name, shape: shape, encoding: .float16, data: base, byteCount: length, scales: nil, owner: file)
        case "int8":
            let a = try axis()
            try need(count)
            guard let s = e["scales"] as? [String: Any], let so = s["offset"] as? Int, let sl = s["length"] as? Int else {
                throw bad("int8 encoding has no scales offset/length")
            }
            guard so >= 0, sl >= 0, so <= file.size, sl <= file.size - so, so % 64 == 0 else {
                throw bad("int8 scales at \(so)..<\(so &+ sl) lie outside the file or are not 64-byte aligned")
            }
            guard sl == 4 * shape[a] else { throw bad("has \(sl / 4) int8 scales for \(shape[a]) channels") }
            let scales = UnsafePointer<Float>((file.base + so).assumingMemoryBound(to: Float.self))
            for c in 0..<shape[a] where !(scales[c].isFinite && scales[c] > 0) {
                throw bad("int8 scale \(c) is \(scales[c]); scales must be finite and positive")
            }
            // -128 (no positive counterpart, which the AVX2 tiles' sign trick needs) is refused
            // when a weight is packed for the integer GEMM, not here: scanning a 96 MB token
            // table at open would make every page of it resident.
            return EncodedTensor(name: name, shape: shape, encoding: .int8(axis: a), data: base, byteCount: length, scales: scales, owner: file)
        case "q8_0", "q4_0":
            let a = try axis()
            guard shape.count == 2 else { throw bad("\(type) needs a rank-2 tensor, got \(shape)") }
            guard shape[a] % blockSize == 0 else { throw bad("\(type) blocks need axis \(a) (\(shape[a])) to be a multiple of \(blockSize)") }
            let blockBytes = type == "q4_0" ? 18 : 34
            try need(shape[1 - a] * (shape[a] / blockSize) * blockBytes)
            return EncodedTensor(name: name, shape: shape, encoding: type == "q4_0" ? .q4_0(axis: a) : .q8_0(axis: a),
                                 data: base, byteCount: length, scales: nil, owner: file)
        default:
            throw bad("has unknown encoding '\(type)' (this build reads int8, q8_0, q4_0, float16)")
        }
    }
}
