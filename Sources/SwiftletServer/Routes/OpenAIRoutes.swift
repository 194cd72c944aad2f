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

/// OpenAI-compatible embeddings (`POST /v1/embeddings`, `GET /v1/models`): what the
/// official SDKs send, including their default `encoding_format: "base64"`.
enum OpenAIRoutes {
    typealias EmbeddingsRequest = OpenAIRequests.EmbeddingsRequest

    static func register(_ router: Router<ServeContext>, _ s: Serving) {
        router.post("/v1/embeddings") { request, context in try await embeddings(request, context, s) }
        router.get("/v1/models") { _, _ in models(s) }
    }

    static func embeddings(_ request: Request, _ context: ServeContext, _ s: Serving) async throws -> Response {
        let meta = try request.meta(context)
        let r = try await request.json(EmbeddingsRequest.self, limit: s.options.maxBody)
        let texts = try r.texts()
        let format = try r.format()
        let model = try s.registry.embedder(r.model)
        try OpenAIRequests.checkDimensions(r.dimensions, model: model.name, dim: model.dim)
        let out = try await s.embed(model, texts, meta: meta)
        let data = out.vectors.enumerated().map { i, v in
            let embedding = format == "base64" ? JSONOut.string(Data(float32Bytes([v])).base64EncodedString()) : JSONOut.floats(v)
            return JSONBuild.object([("object", "\"embedding\""), ("index", "\(i)"), ("embedding", embedding)])
        }
        let usage = JSONBuild.object([("prompt_tokens", "\(out.tokens)"), ("total_tokens", "\(out.tokens)")])
        return .json(JSONBuild.object([("object", "\"list\""), ("data", JSONBuild.array(data)),
                                       ("model", JSONOut.string(model.name)), ("usage", usage)]))
    }

    static func models(_ s: Serving) -> Response {
        let data = s.registry.names.map { name in
            JSONBuild.object([("id", JSONOut.string(name)), ("object", "\"model\""), ("created", "0"), ("owned_by", "\"swiftlet\"")])
        }
        return .json(JSONBuild.object([("object", "\"list\""), ("data", JSONBuild.array(data))]))
    }
}
