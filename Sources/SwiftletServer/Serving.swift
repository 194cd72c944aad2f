#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import Swiftlet
import SwiftletTokenizers
import SwiftletServeAPI

/// What every API surface calls: request validation that does not depend on the wire
/// format, then the scheduler. Routes only translate their JSON to and from these calls.
final class Serving: Sendable {
    let options: ServerOptions
    let registry: ModelRegistry
    let scheduler: Scheduler
    let metrics: ServerMetrics
    let version: String

    init(options: ServerOptions, registry: ModelRegistry, scheduler: Scheduler, metrics: ServerMetrics, version: String) {
        self.options = options
        self.registry = registry
        self.scheduler = scheduler
        self.metrics = metrics
        self.version = version
    }

    struct Embedded: Sendable {
        var vectors: [[Float]]
        /// Real tokens the model saw (prefix and special tokens included).
        var tokens: Int
    }

    /// Embeds `texts` with `model`. `truncate: false` refuses a text longer than the
    /// model's maximum instead of cutting it (Ollama's and TEI's option).
    func embed(_ model: EmbedModel, _ texts: [String], prefix: Embedder.Prefix = .none, normalize: Bool? = nil,
               truncate: Bool = true, overLengthStatus: APIError? = nil, meta: RequestMeta) async throws -> Embedded {
        try TextLimits.checkEmbedCount(texts, maxBatch: options.maxBatch)
        let pre: String
        do { pre = try model.embedder.prefixString(prefix) } catch { throw APIError.badRequest("\(error)", param: "mode") }
        let full = texts.map { pre + $0 }
        var tokens = 0
        var encodings: [Encoding] = []
        encodings.reserveCapacity(full.count)
        let maxLength = model.embedder.config.maxLength
        for (i, t) in full.enumerated() {
            try TextLimits.checkNotEmpty(t, index: i)
            if !truncate {
                try checkLength(model.embedder.tokenizer, t, maxLength: maxLength, what: "text \(i)", overLengthStatus: overLengthStatus)
            }
            let e = model.embedder.tokenize(t)
            tokens += e.ids.count
            encodings.append(e)
        }
        let lane = "embed:\(model.name):\(normalize.map { $0 ? "l2" : "raw" } ?? "model")"
        let result = try await scheduler.submit(.embed(model, encodings: encodings, normalize: normalize, tokens: tokens),
                                                lane: lane, meta: meta)
        guard case .vectors(let v) = result else { throw APIError.inference("embedder returned no vectors") }
        return Embedded(vectors: v, tokens: tokens)
    }

    /// Refuses `text` (or a query/document pair) with more tokens than `maxLength`, counted
    /// untruncated (the tokenizer file's own truncation would hide the excess).
    private func checkLength(_ tokenizer: Tokenizer, _ text: String, pair: String? = nil, maxLength: Int?, what: String,
                             overLengthStatus: APIError?) throws {
        guard let maxLength else { return }
        let n = pair.map { tokenizer.encode(text, pair: $0, maxLength: 1 << 30).ids.count } ?? tokenizer.encodeIds(text, maxLength: 1 << 30).count
        guard n > maxLength else { return }
        var e = overLengthStatus ?? APIError.badRequest("")
        e.message = "\(what) has \(n) tokens; the model takes at most \(maxLength) (truncation is off)"
        e.param = e.param ?? "input"
        throw e
    }

    /// Checks the request's text count against --max-batch (empty strings are valid texts here).
    private func checkTexts(_ texts: [String], field: String) throws {
        try TextLimits.checkTexts(texts, field: field, maxBatch: options.maxBatch)
    }

    /// SPLADE vectors for `texts` (non-zero entries, ascending vocabulary ids).
    func embedSparse(_ model: SparseModel, _ texts: [String], truncate: Bool, overLengthStatus: APIError?,
                     meta: RequestMeta) async throws -> [SparseVector] {
        try checkTexts(texts, field: "inputs")
        var tokens = 0
        var encodings: [Encoding] = []
        encodings.reserveCapacity(texts.count)
        for (i, t) in texts.enumerated() {
            if !truncate {
                try checkLength(model.embedder.tokenizer, t, maxLength: model.embedder.config.maxLength, what: "text \(i)",
                                overLengthStatus: overLengthStatus)
            }
            let e = model.embedder.tokenize(t)
            tokens += e.ids.count
            encodings.append(e)
        }
        let result = try await scheduler.submit(.sparse(model, encodings: encodings, tokens: tokens), lane: "sparse:\(model.name)", meta: meta)
        guard case .sparse(let v) = result else { throw APIError.inference("sparse embedder returned no vectors") }
        return v
    }

    /// `documents` ranked against `query` by the cross-encoder, highest score first.
    /// `truncate: false` refuses a pair longer than the model takes instead of cutting it.
    func rerank(_ model: RerankModel, query: String, documents: [String], raw: Bool, truncate: Bool,
                overLengthStatus: APIError?, meta: RequestMeta) async throws -> [RerankResult] {
        try checkTexts(documents, field: "texts")
        try TextLimits.checkRerankBytes(query: query, documents: documents, limit: model.reranker.options.maxTextBytes)
        if !truncate {
            for (i, d) in documents.enumerated() {
                try checkLength(model.reranker.tokenizer, query, pair: d, maxLength: model.reranker.config.maxLength,
                                what: "the query with text \(i)", overLengthStatus: overLengthStatus)
            }
        }
        let result = try await scheduler.submit(.rerank(model, query: query, documents: documents, raw: raw),
                                                lane: "rerank:\(model.name)", meta: meta)
        guard case .ranks(let r) = result else { throw APIError.inference("reranker returned no scores") }
        return r
    }

    /// A CLIP vector for one PNG/JPEG image, decoded as the model's reference decodes it.
    func embedImage(_ model: ImageModel, _ bytes: [UInt8], meta: RequestMeta) async throws -> [Float] {
        let image = try ImageRequest.decode(bytes, options: model.embedder.options.decode)
        let result = try await scheduler.submit(.clipImages(model, [image]), lane: "clip:\(model.name)", meta: meta)
        guard case .vectors(let v) = result, v.count == 1 else { throw APIError.inference("clip returned no vector") }
        return v[0]
    }

    /// CLIP text vectors (the text tower, cut to the model's 77 tokens as the reference does).
    func embedClipTexts(_ model: ImageModel, _ texts: [String], meta: RequestMeta) async throws -> [[Float]] {
        try checkTexts(texts, field: "texts")
        try TextLimits.checkBytes(texts, limit: model.embedder.options.maxTextBytes)
        let result = try await scheduler.submit(.clipTexts(model, texts), lane: "clip:\(model.name)", meta: meta)
        guard case .vectors(let v) = result else { throw APIError.inference("clip returned no vectors") }
        return v
    }

    /// Decodes and recognizes one PNG/JPEG image.
    func extract(_ bytes: [UInt8], contentType: String?, meta: RequestMeta) async throws -> (RGBImage, [OCRLine]) {
        guard let model = registry.ocr else { throw APIError.notFound("this server has no OCR models (start it with --ocr)") }
        try ImageRequest.checkContentType(contentType)
        let image = try ImageRequest.decode(bytes)
        let result = try await scheduler.submit(.ocr(model, image), lane: "ocr", meta: meta)
        guard case .lines(let lines) = result else { throw APIError.inference("OCR returned no lines") }
        return (image, lines)
    }
}
