#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import HTTPTypes
import Hummingbird
import Swiftlet
import SwiftletServeAPI

/// text-embeddings-inference-compatible endpoints: `POST /embed`, `POST /tokenize`,
/// `GET /info`, `GET /health` (`/rerank` and `/embed_sparse`: TEIRetrievalRoutes). TEI
/// serves one model: these use the default model.
enum TEIRoutes {
    typealias EmbedRequest = TEIRequests.EmbedRequest
    typealias TokenizeRequest = TEIRequests.TokenizeRequest

    static func register(_ router: Router<ServeContext>, _ s: Serving) {
        router.post("/embed") { request, context in try await embed(request, context, s) }
        router.post("/tokenize") { request, _ in try await tokenize(request, s) }
        router.get("/info") { _, _ in try info(s) }
        TEIRetrievalRoutes.register(router, s)
        router.get("/health") { _, _ in
            s.scheduler.isDraining ? Response(status: .serviceUnavailable) : Response(status: .ok)
        }
    }

    static func embed(_ request: Request, _ context: ServeContext, _ s: Serving) async throws -> Response {
        let meta = try request.meta(context)
        let r = try await request.json(EmbedRequest.self, limit: s.options.maxBody)
        let texts = try TEIRequests.texts(r.inputs)
        let model = try s.registry.embedder(nil)
        // TEI refuses over-long inputs unless truncate is set, with its validation status.
        let out = try await s.embed(model, texts, prefix: try TEIRequests.prefix(r.prompt_name), normalize: r.normalize ?? true,
                                    truncate: r.truncate ?? false,
                                    overLengthStatus: TEIRequests.overLength, meta: meta)
        return .json(JSONBuild.array(out.vectors.map(JSONOut.floats)))
    }

    static func tokenize(_ request: Request, _ s: Serving) async throws -> Response {
        let r = try await request.json(TokenizeRequest.self, limit: s.options.maxBody)
        let texts = try TEIRequests.texts(r.inputs)
        try TEIRequests.checkTokenizeCount(texts.count, maxBatch: s.options.maxBatch)
        let model = try s.registry.embedder(nil)
        let pre = try model.embedder.prefixString(try TEIRequests.prefix(r.prompt_name))
        let special = r.add_special_tokens ?? true
        let rows = texts.map { text -> String in
            let full = pre + text
            let e = model.embedder.tokenizer.encode(full, addSpecialTokens: special, maxLength: model.embedder.config.maxLength)
            let utf8 = Array(full.utf8)
            return JSONBuild.array(e.ids.indices.map { i in
                let isSpecial = i < e.specialTokensMask.count && e.specialTokensMask[i] == 1
                var start = "null", stop = "null", text = JSONOut.string(e.tokens[i])
                if !isSpecial, i < e.offsets.count {
                    let o = e.offsets[i]
                    // Offsets are in characters of the input; TEI reports byte offsets and the covered text.
                    let (b0, b1) = byteRange(full, o.start, o.end)
                    start = "\(b0)"; stop = "\(b1)"
                    if b0 <= b1, b1 <= utf8.count { text = JSONOut.string(String(decoding: utf8[b0..<b1], as: UTF8.self)) }
                }
                return JSONBuild.object([("id", "\(e.ids[i])"), ("text", text), ("special", isSpecial ? "true" : "false"),
                                         ("start", start), ("stop", stop)])
            })
        }
        return .json(JSONBuild.array(rows))
    }

    /// Character offsets → UTF-8 byte offsets.
    private static func byteRange(_ s: String, _ start: Int, _ end: Int) -> (Int, Int) {
        var bytes = 0, chars = 0, b0 = 0, b1 = 0
        for u in s.unicodeScalars {
            if chars == start { b0 = bytes }
            if chars == end { b1 = bytes; return (b0, b1) }
            bytes += String(u).utf8.count
            chars += 1
        }
        if start >= chars { b0 = bytes }
        return (b0, bytes)
    }

    /// The default model in TEI's shape: a dense embedder when one is loaded, else the
    /// reranker or the sparse embedder (TEI's "reranker" type and "splade" pooling).
    static func info(_ s: Serving) throws -> Response {
        let name: String, digest: String, type: String, maxLength: Int?
        if s.registry.embedders.isEmpty, let r = try? s.registry.reranker(nil) {
            (name, digest, maxLength) = (r.name, r.digest, r.reranker.config.maxLength)
            let labels = JSONBuild.object([("id2label", JSONBuild.object([("0", "\"LABEL_0\"")])),
                                           ("label2id", JSONBuild.object([("LABEL_0", "0")]))])
            type = JSONBuild.object([("reranker", labels)])
        } else if s.registry.embedders.isEmpty, let m = try? s.registry.sparseEmbedder(nil) {
            (name, digest, maxLength) = (m.name, m.digest, m.embedder.config.maxLength)
            type = JSONBuild.object([("embedding", JSONBuild.object([("pooling", "\"splade\"")]))])
        } else {
            let m = try s.registry.embedder(nil)
            (name, digest, maxLength) = (m.name, m.digest, m.embedder.config.maxLength)
            type = JSONBuild.object([("embedding", JSONBuild.object([("pooling", JSONOut.string(m.embedder.config.pooling.rawValue))]))])
        }
        return .json(JSONBuild.object([
            ("model_id", JSONOut.string(name)), ("model_sha", JSONOut.string(digest)), ("model_dtype", "\"float32\""),
            ("model_type", type),
            ("max_concurrent_requests", "\(s.options.maxQueue)"),
            ("max_input_length", maxLength.map { "\($0)" } ?? "null"),
            ("max_batch_tokens", "\(s.options.maxBatchTokens)"),
            ("max_batch_requests", "null"),
            ("max_client_batch_size", "\(s.options.maxBatch)"),
            ("tokenization_workers", "1"),
            ("version", JSONOut.string(s.version)),
        ]))
    }
}
