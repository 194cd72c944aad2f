import HTTPTypes
import Hummingbird
import Swiftlet
import SwiftletServeAPI

/// text-embeddings-inference's retrieval endpoints: `POST /rerank` (cross-encoder) and
/// `POST /embed_sparse` (SPLADE). TEI serves one model; here a request may name one with
/// `model` (an extension), otherwise the default model of the route's kind answers.
enum TEIRetrievalRoutes {
    typealias RerankRequest = TEIRequests.RerankRequest
    typealias EmbedSparseRequest = TEIRequests.EmbedSparseRequest

    static func register(_ router: Router<ServeContext>, _ s: Serving) {
        router.post("/rerank") { request, context in try await rerank(request, context, s) }
        router.post("/embed_sparse") { request, context in try await embedSparse(request, context, s) }
    }

    /// TEI refuses over-long inputs unless `truncate` is set, with its validation status.
    private static let overLength = TEIRequests.overLength

    static func rerank(_ request: Request, _ context: ServeContext, _ s: Serving) async throws -> Response {
        let meta = try request.meta(context)
        let r = try await request.json(RerankRequest.self, limit: s.options.maxBody)
        try TEIRequests.checkDirection(r.truncation_direction)
        let model = try s.registry.reranker(r.model)
        let ranks = try await s.rerank(model, query: r.query, documents: r.texts, raw: r.raw_scores ?? false,
                                       truncate: r.truncate ?? false, overLengthStatus: overLength, meta: meta)
        let withText = r.return_text ?? false
        return .json(JSONBuild.array(ranks.map { k in
            var fields = [("index", "\(k.index)")]
            if withText { fields.append(("text", JSONOut.string(r.texts[k.index]))) }
            fields.append(("score", JSONOut.float(k.score)))
            return JSONBuild.object(fields)
        }))
    }

    static func embedSparse(_ request: Request, _ context: ServeContext, _ s: Serving) async throws -> Response {
        let meta = try request.meta(context)
        let r = try await request.json(EmbedSparseRequest.self, limit: s.options.maxBody)
        let texts = try TEIRequests.texts(r.inputs)
        try TEIRequests.checkDirection(r.truncation_direction)
        let model = try s.registry.sparseEmbedder(r.model)
        try TEIRequests.checkSparsePromptName(r.prompt_name, model: model.name)
        let vectors = try await s.embedSparse(model, texts, truncate: r.truncate ?? false, overLengthStatus: overLength, meta: meta)
        return .json(JSONBuild.array(vectors.map { v in
            JSONBuild.array(zip(v.indices, v.values).map { JSONBuild.object([("index", "\($0)"), ("value", JSONOut.float($1))]) })
        }))
    }
}
