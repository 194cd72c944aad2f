#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import HTTPTypes
import Hummingbird
import Swiftlet

/// OpenAI-compatible embeddings (`POST /v1/embeddings`, `GET /v1/models`): what the
/// official SDKs send, including their default `encoding_format: "base64"`.
enum OpenAIRoutes {
    struct EmbeddingsRequest: Decodable {
        var input: TextInput
        var model: String?
        var encoding_format: String?
        var dimensions: Int?
        var user: String?
    }

    static func register(_ router: Router<ServeContext>, _ s: Serving) {
        router.post("/v1/embeddings") { request, context in try await embeddings(request, context, s) }
        router.get("/v1/models") { _, _ in models(s) }
    }

    static func embeddings(_ request: Request, _ context: ServeContext, _ s: Serving) async throws -> Response {
        let meta = try request.meta(context)
        let r = try await request.json(EmbeddingsRequest.self, limit: s.options.maxBody)
        guard let texts = r.input.texts else {
            throw APIError.badRequest("token-id input is not supported; send text strings", param: "input")
        }
        let format = r.encoding_format ?? "float"
        guard format == "float" || format == "base64" else {
            throw APIError.badRequest("encoding_format must be \"float\" or \"base64\", got \"\(format)\"", param: "encoding_format")
        }
        let model = try s.registry.embedder(r.model)
        if let d = r.dimensions, d != model.dim {
            throw APIError.badRequest("model '\(model.name)' returns \(model.dim) dimensions and cannot shorten them (dimensions=\(d))", param: "dimensions")
        }
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
