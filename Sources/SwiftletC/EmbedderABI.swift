#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import CSwiftlet
import Swiftlet

/// What an embedder handle holds: the model and its dimension, computed once at open.
final class EmbedderHandle {
    let embedder: Embedder
    let dimension: Int

    init(_ embedder: Embedder) throws {
        self.embedder = embedder
        dimension = embedder.dimension
        guard dimension > 0 else { throw ABIError(SWIFTLET_ERR_INVALID_MODEL, "the model produces empty embeddings") }
    }
}

@c @implementation
public func swiftlet_embedder_open(_ path: UnsafePointer<CChar>?, _ options: UnsafePointer<swiftlet_embedder_options>?,
                                   _ outEmbedder: UnsafeMutablePointer<OpaquePointer?>?) -> swiftlet_status {
    abiCall("swiftlet_embedder_open") {
        let out = try Arguments.output(outEmbedder, "out_embedder")
        let path = try Arguments.cString(path, "path")
        let (threads, batchSize) = try Arguments.embedderOptions(options, defaultBatch: 32)
        let embedder = try Embedder(path: path, options: .init(threads: threads, batchSize: batchSize))
        out.pointee = try HandleRegistry.shared.register(try EmbedderHandle(embedder), kind: .embedder)
    }
}

@c @implementation
public func swiftlet_embedder_close(_ embedder: OpaquePointer?) -> swiftlet_status {
    abiCall("swiftlet_embedder_close") {
        if let embedder { try HandleRegistry.shared.close(embedder, .embedder) }
    }
}

@c @implementation
public func swiftlet_embedder_dimension(_ embedder: OpaquePointer?, _ outDimension: UnsafeMutablePointer<Int>?) -> swiftlet_status {
    abiCall("swiftlet_embedder_dimension") {
        let h = try HandleRegistry.shared.resolve(embedder, .embedder, as: EmbedderHandle.self)
        try Arguments.output(outDimension, "out_dimension").pointee = h.dimension
    }
}

@c @implementation
public func swiftlet_embedder_embed(_ embedder: OpaquePointer?,
                                    _ texts: UnsafePointer<UnsafePointer<CChar>?>?, _ lengths: UnsafePointer<Int>?, _ count: Int,
                                    _ prefix: swiftlet_prefix,
                                    _ out: UnsafeMutablePointer<Float>?, _ outCapacity: Int) -> swiftlet_status {
    abiCall("swiftlet_embedder_embed") {
        let h = try HandleRegistry.shared.resolve(embedder, .embedder, as: EmbedderHandle.self)
        let mode: Embedder.Prefix
        switch Int(prefix) {
        case SWIFTLET_PREFIX_NONE: mode = .none
        case SWIFTLET_PREFIX_QUERY: mode = .query
        case SWIFTLET_PREFIX_PASSAGE: mode = .passage
        default: throw ABIError.argument("prefix is \(prefix); use SWIFTLET_PREFIX_NONE, _QUERY or _PASSAGE")
        }
        try embed(h, texts, lengths, count, mode, out, outCapacity)
    }
}

@c @implementation
public func swiftlet_embedder_embed_with_prefix(_ embedder: OpaquePointer?,
                                                _ texts: UnsafePointer<UnsafePointer<CChar>?>?, _ lengths: UnsafePointer<Int>?, _ count: Int,
                                                _ prefix: UnsafePointer<CChar>?, _ prefixLength: Int,
                                                _ out: UnsafeMutablePointer<Float>?, _ outCapacity: Int) -> swiftlet_status {
    abiCall("swiftlet_embedder_embed_with_prefix") {
        let h = try HandleRegistry.shared.resolve(embedder, .embedder, as: EmbedderHandle.self)
        let prefix = try Arguments.text(UnsafeRawPointer(prefix), prefixLength, "prefix")
        try embed(h, texts, lengths, count, prefix.isEmpty ? .none : .custom(prefix), out, outCapacity)
    }
}

/// The checks and copying both embed entry points share, once the prefix is known.
private func embed(_ h: EmbedderHandle, _ texts: UnsafePointer<UnsafePointer<CChar>?>?, _ lengths: UnsafePointer<Int>?, _ count: Int,
                   _ mode: Embedder.Prefix, _ out: UnsafeMutablePointer<Float>?, _ outCapacity: Int) throws {
    let n = try Arguments.count(count, "count", max: Int(SWIFTLET_MAX_TEXTS))
    if n == 0 { return }
    let texts = try Arguments.pointer(texts, "texts")
    let out = try Arguments.pointer(out, "out")
    // n <= 2^24 and the dimension is a real model's, so this cannot overflow.
    let needed = n * h.dimension
    let capacity = try Arguments.capacity(outCapacity, "out_capacity")
    guard capacity >= needed else {
        throw ABIError.tooSmall("out holds \(capacity) floats; \(n) texts × dimension \(h.dimension) need \(needed)")
    }
    let strings = try TextArrays.read(texts, lengths, n)
    let vectors = try h.embedder.embed(strings, prefix: mode)
    guard vectors.count == n, vectors.allSatisfy({ $0.count == h.dimension }) else {
        throw ABIError(SWIFTLET_ERR_INTERNAL, "the embedder returned \(vectors.count) vectors of sizes \(Set(vectors.map(\.count))) for \(n) texts of dimension \(h.dimension)")
    }
    for (i, v) in vectors.enumerated() {
        v.withUnsafeBufferPointer { (out + i * h.dimension).update(from: $0.baseAddress!, count: h.dimension) }
    }
}
