#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// An n-dimensional array: dtype, shape and a byte offset into shared storage.
/// Reshape-like ops return views that share storage, so they cost nothing.
public struct Tensor: @unchecked Sendable {
    /// Type of every element.
    public let dtype: DType
    /// Size of each dimension; empty for a scalar.
    public let shape: [Int]
    let storage: Storage
    let byteOffset: Int

    init(dtype: DType, shape: [Int], storage: Storage, byteOffset: Int = 0) {
        self.dtype = dtype
        self.shape = shape
        self.storage = storage
        self.byteOffset = byteOffset
    }

    /// Number of elements (the product of `shape`).
    public var count: Int { shape.reduce(1, *) }
    /// Number of dimensions.
    public var rank: Int { shape.count }
    /// Bytes the elements take.
    public var byteCount: Int { count * dtype.byteSize }

    var raw: UnsafeMutableRawPointer { storage.base + byteOffset }
    var f32: UnsafeMutablePointer<Float> { raw.assumingMemoryBound(to: Float.self) }
    var i64: UnsafeMutablePointer<Int64> { raw.assumingMemoryBound(to: Int64.self) }
    var i32: UnsafeMutablePointer<Int32> { raw.assumingMemoryBound(to: Int32.self) }
    var u8: UnsafeMutablePointer<UInt8> { raw.assumingMemoryBound(to: UInt8.self) }

    /// A view with a new shape over the same elements.
    func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(dtype: dtype, shape: newShape, storage: storage, byteOffset: byteOffset)
    }

    /// A fresh, standalone tensor (not from any pool).
    public init(zeros dtype: DType, shape: [Int]) {
        let n = shape.reduce(1, *) * dtype.byteSize
        let s = Storage(byteCount: n)
        memset(s.base, 0, max(n, 1))
        self.init(dtype: dtype, shape: shape, storage: s)
    }

    /// A float32 tensor holding `floats` in row-major order.
    ///
    /// - Throws: ``SwiftletError/shapeMismatch(_:)`` when the count does not fill `shape`.
    public init(floats: [Float], shape: [Int]) throws {
        try Tensor.checkCount(floats.count, shape)
        self.init(zeros: .float32, shape: shape)
        floats.withUnsafeBytes { copyIn($0) }
    }

    /// An int64 tensor (token ids, masks) holding `int64s` in row-major order.
    ///
    /// - Throws: ``SwiftletError/shapeMismatch(_:)`` when the count does not fill `shape`.
    public init(int64s: [Int64], shape: [Int]) throws {
        try Tensor.checkCount(int64s.count, shape)
        self.init(zeros: .int64, shape: shape)
        int64s.withUnsafeBytes { copyIn($0) }
    }

    /// Copies bytes into this (freshly allocated) tensor; empty sources have no base address.
    private func copyIn(_ src: UnsafeRawBufferPointer) {
        if let base = src.baseAddress, src.count > 0 { memcpy(raw, base, src.count) }
    }

    private static func checkCount(_ n: Int, _ shape: [Int]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), n == shape.reduce(1, *) else {
            throw SwiftletError.shapeMismatch("\(n) elements do not fill shape \(shape)")
        }
    }

    /// Copies raw little-endian bytes into a standalone tensor.
    public init(dtype: DType, shape: [Int], bytes: UnsafeRawBufferPointer) throws {
        let n = shape.reduce(1, *) * dtype.byteSize
        guard bytes.count == n else {
            throw SwiftletError.shapeMismatch("\(bytes.count) bytes for \(dtype.rawValue) \(shape) (needs \(n))")
        }
        self.init(zeros: dtype, shape: shape)
        copyIn(bytes)
    }

    /// The elements as `Float`s, converted from any dtype, in row-major order.
    public func floatArray() -> [Float] {
        switch dtype {
        case .float32: return Array(UnsafeBufferPointer(start: f32, count: count))
        case .float16:
            let p = raw.assumingMemoryBound(to: Float16.self)
            return (0..<count).map { Float(p[$0]) }
        case .int64: return (0..<count).map { Float(i64[$0]) }
        case .int32: return (0..<count).map { Float(i32[$0]) }
        case .int8: return (0..<count).map { Float(Int8(bitPattern: u8[$0])) }
        case .uint8, .bool: return (0..<count).map { Float(u8[$0]) }
        }
    }

    /// Truncates toward zero, saturates at Int64's range, and reads NaN as 0: a float →
    /// integer Cast of inf or NaN must not trap.
    static func saturatingInt64(_ v: Float) -> Int64 {
        if v.isNaN { return 0 }
        if v >= 9.223372e18 { return .max }
        if v <= -9.223372e18 { return .min }
        return Int64(v)
    }

    /// The elements as `Int64`s, converted from any dtype (floats truncated toward zero and
    /// saturated, NaN as 0), in row-major order.
    public func int64Array() -> [Int64] {
        switch dtype {
        case .int64: return Array(UnsafeBufferPointer(start: i64, count: count))
        case .int32: return (0..<count).map { Int64(i32[$0]) }
        case .float32: return (0..<count).map { Tensor.saturatingInt64(f32[$0]) }
        case .int8: return (0..<count).map { Int64(Int8(bitPattern: u8[$0])) }
        case .uint8, .bool: return (0..<count).map { Int64(u8[$0]) }
        case .float16:
            let p = raw.assumingMemoryBound(to: Float16.self)
            return (0..<count).map { Tensor.saturatingInt64(Float(p[$0])) }
        }
    }

    /// Raw bytes, for writers such as `.npy`.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: raw, count: byteCount))
    }
}
