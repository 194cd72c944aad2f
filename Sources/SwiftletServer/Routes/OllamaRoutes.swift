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

/// Ollama-compatible endpoints, as Ollama documents them: `/api/embed` (current),
/// `/api/embeddings` (legacy, one prompt), `/api/tags`, `/api/show`, `/api/version`, `/`.
/// Durations are nanoseconds; models are also found as "NAME:latest".
enum OllamaRoutes {
    typealias EmbedRequest = OllamaRequests.EmbedRequest
    typealias LegacyRequest = OllamaRequests.LegacyRequest
    typealias ShowRequest = OllamaRequests.ShowRequest

    static func register(_ router: Router<ServeContext>, _ s: Serving) {
        router.post("/api/embed") { request, context in try await embed(request, context, s) }
        router.post("/api/embeddings") { request, context in try await legacy(request, context, s) }
        router.get("/api/tags") { _, _ in tags(s) }
        router.post("/api/show") { request, _ in try await show(request, s) }
        router.get("/api/version") { _, _ in Response.json(JSONBuild.object([("version", JSONOut.string(s.version))])) }
        router.get("/") { _, _ in Response.text("Ollama is running") }
    }

    static func embed(_ request: Request, _ context: ServeContext, _ s: Serving) async throws -> Response {
        let t0 = ContinuousClock.now
        let meta = try request.meta(context)
        let r = try await request.json(EmbedRequest.self, limit: s.options.maxBody)
        let texts = try r.texts()
        let model = try s.registry.embedder(r.model)
        let out = try await s.embed(model, texts, truncate: r.truncate ?? true, meta: meta)
        return .json(JSONBuild.object([
            ("model", JSONOut.string(r.model ?? model.name)),
            ("embeddings", JSONBuild.array(out.vectors.map(JSONOut.floats))),
            ("total_duration", "\(nanoseconds(ContinuousClock.now - t0))"),
            ("load_duration", "0"),
            ("prompt_eval_count", "\(out.tokens)"),
        ]))
    }

    static func legacy(_ request: Request, _ context: ServeContext, _ s: Serving) async throws -> Response {
        let meta = try request.meta(context)
        let r = try await request.json(LegacyRequest.self, limit: s.options.maxBody)
        let model = try s.registry.embedder(r.model)
        let out = try await s.embed(model, [r.prompt], meta: meta)
        return .json(JSONBuild.object([("embedding", JSONOut.floats(out.vectors[0]))]))
    }

    static func tags(_ s: Serving) -> Response {
        let models = s.registry.names.compactMap { s.registry.embedders[$0] }.map { m in
            JSONBuild.object([
                ("name", JSONOut.string(m.name)), ("model", JSONOut.string(m.name)),
                ("modified_at", JSONOut.string(modified(m.path))), ("size", "\(m.fileSize)"),
                ("digest", JSONOut.string(m.digest)), ("details", details(m)),
            ])
        }
        return .json(JSONBuild.object([("models", JSONBuild.array(models))]))
    }

    static func show(_ request: Request, _ s: Serving) async throws -> Response {
        let r = try await request.json(ShowRequest.self, limit: s.options.maxBody)
        let m = try s.registry.embedder(try r.modelName())
        let info = JSONBuild.object([
            ("general.architecture", JSONOut.string(m.embedder.session == nil ? "static" : "bert")),
            ("embedding_length", "\(m.dim)"),
            ("context_length", m.embedder.config.maxLength.map { "\($0)" } ?? "null"),
        ])
        return .json(JSONBuild.object([
            ("modelfile", "\"\""), ("parameters", "\"\""), ("template", "\"\""),
            ("details", details(m)), ("model_info", info), ("capabilities", "[\"embedding\"]"),
            ("modified_at", JSONOut.string(modified(m.path))),
        ]))
    }

    private static func details(_ m: EmbedModel) -> String {
        JSONBuild.object([("format", "\"swl\""), ("family", JSONOut.string(m.embedder.session == nil ? "static" : "bert")),
                          ("families", "null"), ("parameter_size", "\"\""), ("quantization_level", "\"F32\"")])
    }

    private static func modified(_ path: String) -> String {
        let date = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date(timeIntervalSince1970: 0)
        return date.ISO8601Format()
    }

    private static func nanoseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
    }
}
