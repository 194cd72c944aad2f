import CSwiftlet
import Swiftlet

/// A sparse result handle: every row's ids (as uint32) and weights in flat arrays made once
/// at creation, so the accessors hand out stable pointers and never mutate.
final class SparseResultHandle {
    let offsets: [Int]
    let indices: UnsafeMutableBufferPointer<UInt32>
    let values: UnsafeMutableBufferPointer<Float>

    init(_ rows: [SparseVector]) {
        var offsets = [0]
        for r in rows { offsets.append(offsets.last! + r.indices.count) }
        self.offsets = offsets
        // At least one element, so the pointers handed out for an empty row are never NULL.
        indices = .allocate(capacity: max(1, offsets.last!))
        values = .allocate(capacity: max(1, offsets.last!))
        for (i, r) in rows.enumerated() {
            for (k, (id, v)) in zip(r.indices, r.values).enumerated() {
                indices[offsets[i] + k] = UInt32(id)
                values[offsets[i] + k] = v
            }
        }
    }

    deinit {
        indices.deallocate()
        values.deallocate()
    }
}

@c @implementation
public func swiftlet_sparse_embedder_open(_ path: UnsafePointer<CChar>?, _ options: UnsafePointer<swiftlet_embedder_options>?,
                                          _ outEmbedder: UnsafeMutablePointer<OpaquePointer?>?) -> swiftlet_status {
    abiCall("swiftlet_sparse_embedder_open") {
        let out = try Arguments.output(outEmbedder, "out_embedder")
        let path = try Arguments.cString(path, "path")
        let (threads, batchSize) = try Arguments.embedderOptions(options, defaultBatch: 32)
        let e = try SparseEmbedder(path: path, options: .init(threads: threads, batchSize: batchSize))
        out.pointee = try HandleRegistry.shared.register(e, kind: .sparseEmbedder)
    }
}

@c @implementation
public func swiftlet_sparse_embedder_close(_ embedder: OpaquePointer?) -> swiftlet_status {
    abiCall("swiftlet_sparse_embedder_close") {
        if let embedder { try HandleRegistry.shared.close(embedder, .sparseEmbedder) }
    }
}

@c @implementation
public func swiftlet_sparse_embedder_dimension(_ embedder: OpaquePointer?, _ outDimension: UnsafeMutablePointer<Int>?) -> swiftlet_status {
    abiCall("swiftlet_sparse_embedder_dimension") {
        let e = try HandleRegistry.shared.resolve(embedder, .sparseEmbedder, as: SparseEmbedder.self)
        try Arguments.output(outDimension, "out_dimension").pointee = e.dimension
    }
}

@c @implementation
public func swiftlet_sparse_embedder_embed(_ embedder: OpaquePointer?,
                                           _ texts: UnsafePointer<UnsafePointer<CChar>?>?, _ lengths: UnsafePointer<Int>?, _ count: Int,
                                           _ topK: Int, _ outResult: UnsafeMutablePointer<OpaquePointer?>?) -> swiftlet_status {
    abiCall("swiftlet_sparse_embedder_embed") {
        let e = try HandleRegistry.shared.resolve(embedder, .sparseEmbedder, as: SparseEmbedder.self)
        let out = try Arguments.output(outResult, "out_result")
        let n = try Arguments.count(count, "count", max: Int(SWIFTLET_MAX_TEXTS))
        guard topK >= 0 else { throw ABIError.argument("top_k is \(UInt(bitPattern: topK)); use 0 (all non-zeros) or a count") }
        let strings = n == 0 ? [] : try TextArrays.read(try Arguments.pointer(texts, "texts"), lengths, n)
        let rows = try e.embed(strings, topK: topK == 0 ? nil : topK)
        out.pointee = try HandleRegistry.shared.register(SparseResultHandle(rows), kind: .sparseResult)
    }
}

@c @implementation
public func swiftlet_sparse_result_count(_ result: OpaquePointer?, _ outCount: UnsafeMutablePointer<Int>?) -> swiftlet_status {
    abiCall("swiftlet_sparse_result_count") {
        let h = try HandleRegistry.shared.resolve(result, .sparseResult, as: SparseResultHandle.self)
        try Arguments.output(outCount, "out_count").pointee = h.offsets.count - 1
    }
}

@c @implementation
public func swiftlet_sparse_result_row(_ result: OpaquePointer?, _ index: Int,
                                       _ outIndices: UnsafeMutablePointer<UnsafePointer<UInt32>?>?,
                                       _ outValues: UnsafeMutablePointer<UnsafePointer<Float>?>?,
                                       _ outCount: UnsafeMutablePointer<Int>?) -> swiftlet_status {
    abiCall("swiftlet_sparse_result_row") {
        let h = try HandleRegistry.shared.resolve(result, .sparseResult, as: SparseResultHandle.self)
        let oi = try Arguments.output(outIndices, "out_indices")
        let ov = try Arguments.output(outValues, "out_values")
        let oc = try Arguments.output(outCount, "out_count")
        guard index >= 0, index < h.offsets.count - 1 else {
            throw ABIError.argument("index \(UInt(bitPattern: index)) is out of range: the result has \(h.offsets.count - 1) rows")
        }
        let start = h.offsets[index]
        oi.pointee = UnsafePointer(h.indices.baseAddress! + start)
        ov.pointee = UnsafePointer(h.values.baseAddress! + start)
        oc.pointee = h.offsets[index + 1] - start
    }
}

@c @implementation
public func swiftlet_sparse_result_free(_ result: OpaquePointer?) -> swiftlet_status {
    abiCall("swiftlet_sparse_result_free") {
        if let result { try HandleRegistry.shared.close(result, .sparseResult) }
    }
}
