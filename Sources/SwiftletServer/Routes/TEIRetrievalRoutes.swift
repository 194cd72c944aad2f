import HTTPTypes
import Hummingbird
import Swiftlet

/// text-embeddings-inference's retrieval endpoints: `POST /rerank` (cross-encoder) and
/// `POST /embed_sparse` (SPLADE). TEI serves one model; here a request may name one with
/// `model` (an extension), otherwise the default model of the route's kind answers.
enum TEIRetrievalRoutes {
    struct RerankRequest: Decodable {
        var query: String
        var texts: [String]
        var raw_scores: Bool?
        var return_text: Bool?
        var truncate: Bool?
        var truncation_direction: String?
        var model: String?
    }

    struct EmbedSparseRequest: Decodable {
        var inputs: TextInput
        var truncate: Bool?
        var truncation_direction: String?
        var prompt_name: String?
        var model: String?
    }

    static func register(_ router: Router<ServeContext>, _ s: Serving) {
        router.post("/rerank") { request, context in try await rerank(request, context, s) }
        router.post("/embed_sparse") { request, context in try await embedSparse(request, context, s) }
    }

    /// TEI refuses over-long inputs unless `truncate` is set, with its validation status.
    private static let overLength = APIError(status: .contentTooLarge, code: "validation", message: "")

    /// Swiftlet's tokenizers cut the end of a text; TEI's "left" (cut the start) is refused
    /// rather than silently ignored.
    private static func checkDirection(_ d: String?) throws {
        guard let d, d.lowercased() != "right" else { return }
        throw APIError.badRequest("truncation_direction '\(d)' is not supported (only \"right\")", param: "truncation_direction")
    }

    static func rerank(_ request: Request, _ context: ServeContext, _ s: Serving) async throws -> Response {
        let meta = try request.meta(context)
        let r = try await request.json(RerankRequest.self, limit: s.options.maxBody)
        try checkDirection(r.truncation_direction)
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
        guard let texts = r.inputs.texts else { throw APIError.badRequest("token-id inputs are not supported", param: "inputs") }
        try checkDirection(r.truncation_direction)
        let model = try s.registry.sparseEmbedder(r.model)
        if let p = r.prompt_name {
            throw APIError.badRequest("prompt_name '\(p)': model '\(model.name)' has no prompts", param: "prompt_name")
        }
        let vectors = try await s.embedSparse(model, texts, truncate: r.truncate ?? false, overLengthStatus: overLength, meta: meta)
        return .json(JSONBuild.array(vectors.map { v in
            JSONBuild.array(zip(v.indices, v.values).map { JSONBuild.object([("index", "\($0)"), ("value", JSONOut.float($1))]) })
        }))
    }
}
