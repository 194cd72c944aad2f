import Foundation

/// A float32 constant the file stores compressed (docs/FORMAT.md, "Quantized and float16
/// weights"): int8 with per-channel scales, llama.cpp's Q8_0/Q4_0 blocks, or float16.
/// The bytes stay in the mapping; an integer kernel reads them as they are, anything else
/// asks for `dequantized()` once at load.
struct EncodedTensor: @unchecked Sendable {
    enum Encoding: Equatable {
        /// Symmetric int8, one float32 scale per index along `axis`; values in -127...127.
        case int8(axis: Int)
        /// Blocks of 32 along `axis` (the reduction axis of a rank-2 weight).
        case q8_0(axis: Int)
        case q4_0(axis: Int)
        case float16

        var label: String {
            switch self {
            case .int8: return "int8"
            case .q8_0: return "q8_0"
            case .q4_0: return "q4_0"
            case .float16: return "float16"
            }
        }
    }

    static let blockSize = 32

    let name: String
    let shape: [Int]
    let encoding: Encoding
    let data: UnsafeRawPointer
    let byteCount: Int
    /// int8 only: one scale per index along its axis.
    let scales: UnsafePointer<Float>?
    /// Keeps the mapping alive while a kernel or a dequantized copy reads it.
    let owner: AnyObject

    var count: Int { shape.reduce(1, *) }
    /// Bytes in the file, scales included.
    var storedBytes: Int {
        if case .int8(let axis) = encoding { return byteCount + 4 * shape[axis] }
        return byteCount
    }

    /// The float32 tensor the encoding stands for.
    func dequantized() -> Tensor {
        let out = Tensor(zeros: .float32, shape: shape)
        let dst = out.f32
        switch encoding {
        case .float16:
            let src = data.assumingMemoryBound(to: UInt16.self)
            for i in 0..<count { dst[i] = Float(Float16(bitPattern: UInt16(littleEndian: src[i]))) }
        case .int8(let axis):
            let q = data.assumingMemoryBound(to: Int8.self)
            let inner = shape[(axis + 1)...].reduce(1, *), channels = shape[axis]
            for i in 0..<count { dst[i] = Float(q[i]) * scales![(i / inner) % channels] }
        case .q8_0(let axis), .q4_0(let axis):
            let isQ4 = { if case .q4_0 = encoding { return true }; return false }()
            let reduce = shape[axis], lines = shape[1 - axis]
            let blocks = reduce / EncodedTensor.blockSize
            let blockBytes = isQ4 ? 18 : 34
            var values = [Float](repeating: 0, count: EncodedTensor.blockSize)
            for line in 0..<lines {
                for b in 0..<blocks {
                    let p = data + (line * blocks + b) * blockBytes
                    EncodedTensor.decodeBlock(p, q4: isQ4, into: &values)
                    for e in 0..<EncodedTensor.blockSize {
                        let k = b * EncodedTensor.blockSize + e
                        // Element (k along axis, line along the other axis), row-major.
                        dst[axis == 0 ? k * lines + line : line * reduce + k] = values[e]
                    }
                }
            }
        }
        return out
    }

    /// One Q8_0 (fp16 d, 32 × int8) or Q4_0 (fp16 d, 16 bytes of nibble pairs) block.
    static func decodeBlock(_ p: UnsafeRawPointer, q4: Bool, into v: inout [Float]) {
        let d = Float(Float16(bitPattern: p.loadUnaligned(as: UInt16.self).littleEndian))
        let q = (p + 2).assumingMemoryBound(to: UInt8.self)
        if q4 {
            for i in 0..<16 {
                v[i] = d * Float(Int(q[i] & 0x0F) - 8)
                v[i + 16] = d * Float(Int(q[i] >> 4) - 8)
            }
        } else {
            for i in 0..<32 { v[i] = d * Float(Int8(bitPattern: q[i])) }
        }
    }
}

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
            let q = base.assumingMemoryBound(to: Int8.self)
            // -128 has no positive counterpart: the AVX2 kernel's sign trick needs |q| ≤ 127.
            if let i = (0..<count).first(where: { q[$0] == -128 }) {
                throw bad("holds -128 at element \(i); int8 weights must lie in -127...127")
            }
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
