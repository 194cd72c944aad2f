import CSwiftlet
import Swiftlet

@c @implementation
public func swiftlet_reranker_open(_ path: UnsafePointer<CChar>?, _ options: UnsafePointer<swiftlet_embedder_options>?,
                                   _ outReranker: UnsafeMutablePointer<OpaquePointer?>?) -> swiftlet_status {
    abiCall("swiftlet_reranker_open") {
        let out = try Arguments.output(outReranker, "out_reranker")
        let path = try Arguments.cString(path, "path")
        let (threads, batchSize) = try Arguments.embedderOptions(options, defaultBatch: 32)
        let r = try Reranker(path: path, options: .init(threads: threads, batchSize: batchSize))
        out.pointee = try HandleRegistry.shared.register(r, kind: .reranker)
    }
}

@c @implementation
public func swiftlet_reranker_close(_ reranker: OpaquePointer?) -> swiftlet_status {
    abiCall("swiftlet_reranker_close") {
        if let reranker { try HandleRegistry.shared.close(reranker, .reranker) }
    }
}

@c @implementation
public func swiftlet_reranker_score(_ reranker: OpaquePointer?, _ query: UnsafePointer<CChar>?, _ queryLength: Int,
                                    _ documents: UnsafePointer<UnsafePointer<CChar>?>?, _ lengths: UnsafePointer<Int>?, _ count: Int,
                                    _ raw: Int32, _ out: UnsafeMutablePointer<Float>?, _ outCapacity: Int) -> swiftlet_status {
    abiCall("swiftlet_reranker_score") {
        let r = try HandleRegistry.shared.resolve(reranker, .reranker, as: Reranker.self)
        let q = try Arguments.text(UnsafeRawPointer(query), queryLength, "query")
        let n = try Arguments.count(count, "count", max: Int(SWIFTLET_MAX_TEXTS))
        guard raw == 0 || raw == 1 else { throw ABIError.argument("raw is \(raw); use 0 (the model's scores) or 1 (logits)") }
        if n == 0 { return }
        let docs = try TextArrays.read(try Arguments.pointer(documents, "documents"), lengths, n, name: "documents")
        let out = try Arguments.pointer(out, "out")
        let capacity = try Arguments.capacity(outCapacity, "out_capacity")
        guard capacity >= n else { throw ABIError.tooSmall("out holds \(capacity) floats; \(n) documents need \(n)") }
        let scores = try r.score(query: q, documents: docs, raw: raw == 1)
        guard scores.count == n else {
            throw ABIError(SWIFTLET_ERR_INTERNAL, "the reranker returned \(scores.count) scores for \(n) documents")
        }
        scores.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: n) }
    }
}
