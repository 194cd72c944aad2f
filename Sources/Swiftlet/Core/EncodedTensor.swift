#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

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

    /// Whether the integer GEMM takes this as a MatMul's B [K, N]: int8 with per-column
    /// scales, or Q8_0/Q4_0 with blocks along K.
    var isIntegerGemmWeight: Bool {
        guard shape.count == 2, shape[0] > 0, shape[1] > 0 else { return false }
        switch encoding {
        case .int8(axis: 1): return scales != nil
        case .q8_0(axis: 0), .q4_0(axis: 0): return shape[0] % EncodedTensor.blockSize == 0
        default: return false
        }
    }

    /// Whether rows of this rank-2 table decode one at a time (`decodeRow`): int8 scaled per
    /// row, blocks along the row, or float16.
    var hasDecodableRows: Bool {
        guard shape.count == 2, shape[0] > 0, shape[1] > 0 else { return false }
        switch encoding {
        case .int8(axis: 0): return scales != nil
        case .q8_0(axis: 1), .q4_0(axis: 1): return shape[1] % EncodedTensor.blockSize == 0
        case .float16: return true
        default: return false
        }
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

    /// Row `r` of a rank-2 tensor whose rows are stored contiguously (int8 scaled per row,
    /// blocks along axis 1, float16), decoded into `dst[0..<shape[1]]` with the same
    /// arithmetic as `dequantized()`.
    func decodeRow(_ r: Int, into dst: UnsafeMutablePointer<Float>) {
        let width = shape[1]
        switch encoding {
        case .float16:
            let src = data.assumingMemoryBound(to: UInt16.self) + r * width
            for i in 0..<width { dst[i] = Float(Float16(bitPattern: UInt16(littleEndian: src[i]))) }
        case .int8:
            let q = data.assumingMemoryBound(to: Int8.self) + r * width, s = scales![r]
            for i in 0..<width { dst[i] = Float(q[i]) * s }
        case .q8_0, .q4_0:
            let isQ4 = { if case .q4_0 = encoding { return true }; return false }()
            let blocks = width / EncodedTensor.blockSize, blockBytes = isQ4 ? 18 : 34
            for b in 0..<blocks {
                EncodedTensor.decodeBlock(data + (r * blocks + b) * blockBytes, q4: isQ4, into: dst + b * EncodedTensor.blockSize)
            }
        }
    }

    /// One Q8_0 (fp16 d, 32 × int8) or Q4_0 (fp16 d, 16 bytes of nibble pairs) block.
    static func decodeBlock(_ p: UnsafeRawPointer, q4: Bool, into v: inout [Float]) {
        v.withUnsafeMutableBufferPointer { decodeBlock(p, q4: q4, into: $0.baseAddress!) }
    }

    static func decodeBlock(_ p: UnsafeRawPointer, q4: Bool, into v: UnsafeMutablePointer<Float>) {
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
