#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import CSwiftlet
import Swiftlet

/// A result handle: output tensors copied into memory it owns, so the pointers
/// swiftlet_tensors_get hands out stay valid until swiftlet_tensors_free whatever the
/// session does meanwhile.
final class TensorsHandle {
    struct Entry {
        let info: BorrowedValue   // name and shape
        let dtype: DType
        let data: UnsafeMutableRawPointer
        let byteCount: Int
    }
    let entries: [Entry]

    init(_ tensors: [(String, Tensor)]) {
        entries = tensors.map { name, t in
            let data = UnsafeMutableRawPointer.allocate(byteCount: max(1, t.byteCount), alignment: 64)
            t.withUnsafeBytes { if $0.count > 0 { data.copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
            return Entry(info: BorrowedValue(name: name, dims: t.shape.map { Int64($0) }), dtype: t.dtype, data: data, byteCount: t.byteCount)
        }
    }

    deinit {
        for e in entries { e.data.deallocate() }
    }
}

@c @implementation
public func swiftlet_tensors_count(_ tensors: OpaquePointer?, _ outCount: UnsafeMutablePointer<Int>?) -> swiftlet_status {
    abiCall("swiftlet_tensors_count") {
        let h = try HandleRegistry.shared.resolve(tensors, .tensors, as: TensorsHandle.self)
        try Arguments.output(outCount, "out_count").pointee = h.entries.count
    }
}

@c @implementation
public func swiftlet_tensors_get(_ tensors: OpaquePointer?, _ index: Int, _ outTensor: UnsafeMutablePointer<swiftlet_tensor>?) -> swiftlet_status {
    abiCall("swiftlet_tensors_get") {
        let h = try HandleRegistry.shared.resolve(tensors, .tensors, as: TensorsHandle.self)
        let out = try Arguments.output(outTensor, "out_tensor")
        guard index >= 0, index < h.entries.count else {
            throw ABIError.argument("index \(UInt(bitPattern: index)) is out of range: the result has \(h.entries.count) tensors")
        }
        let e = h.entries[index]
        out.pointee = swiftlet_tensor(name: UnsafePointer(e.info.name), dtype: DTypeCodes.code(e.dtype), rank: e.info.rank,
                                      shape: UnsafePointer(e.info.dims), data: UnsafeRawPointer(e.data), byte_count: e.byteCount)
    }
}

@c @implementation
public func swiftlet_tensors_free(_ tensors: OpaquePointer?) -> swiftlet_status {
    abiCall("swiftlet_tensors_free") {
        if let tensors { try HandleRegistry.shared.close(tensors, .tensors) }
    }
}
