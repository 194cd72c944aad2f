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

/// Sidecar protocol v1: the contract a supervising daemon speaks over the Unix socket.
/// Vectors travel as raw little-endian float32 (no JSON parsing of floats on either side).
enum SidecarRoutes {
    static let protocolVersion = 1

    typealias EmbedRequest = SidecarRequests.EmbedRequest

    static func register(_ router: Router<ServeContext>, _ s: Serving) {
        router.get("/healthz") { _, _ in health(s) }
        router.post("/v1/embed") { request, context in try await embed(request, context, s) }
        router.post("/v1/extract") { request, context in try await extract(request, context, s) }
    }

    static func health(_ s: Serving) -> Response {
        var models = s.registry.names.map { name -> String in
            let kind = s.registry.kinds[name]!
            let dim = s.registry.embedders[name]?.dim ?? s.registry.sparse[name]?.embedder.dimension
                ?? s.registry.clips[name]?.embedder.dimension
            return JSONBuild.object([("name", JSONOut.string(name)), ("kind", JSONOut.string(kind.rawValue)),
                                     ("dim", dim.map { "\($0)" } ?? "null"), ("digest", JSONOut.string(s.registry.digests[name] ?? ""))])
        }
        if let o = s.registry.ocr {
            models.append(JSONBuild.object([("name", JSONOut.string(o.name)), ("kind", "\"ocr\""), ("dim", "null"), ("digest", JSONOut.string(o.digest))]))
        }
        let draining = s.scheduler.isDraining
        let body = JSONBuild.object([("status", draining ? "\"draining\"" : "\"ok\""), ("protocol", "\(protocolVersion)"),
                                     ("version", JSONOut.string(s.version)), ("models", JSONBuild.array(models))])
        return .json(body, status: draining ? .serviceUnavailable : .ok)
    }

    static func embed(_ request: Request, _ context: ServeContext, _ s: Serving) async throws -> Response {
        let meta = try request.meta(context)
        // An image body: one CLIP image vector; the model from `?model=` (else the first CLIP model).
        if RequestHeaders.isImage(request.headers[.contentType]) {
            let model = try s.registry.imageEmbedder(request.uri.queryParameters["model"].map(String.init))
            let body = try await request.bytes(limit: s.options.maxBody)
            let v = try await s.embedImage(model, Array(body.readableBytesView), meta: meta)
            return vectors([v], dim: v.count)
        }
        let r = try await request.json(EmbedRequest.self, limit: s.options.maxBody)
        // Texts for a CLIP model: its text tower, in the images' space.
        if s.registry.kind(of: r.model) == .clip {
            try SidecarRequests.checkClipMode(r.mode)
            let model = try s.registry.imageEmbedder(r.model)
            return vectors(try await s.embedClipTexts(model, r.texts, meta: meta), dim: model.embedder.dimension)
        }
        let prefix = try SidecarRequests.prefix(mode: r.mode)
        let model = try s.registry.embedder(r.model)
        let out = try await s.embed(model, r.texts, prefix: prefix, meta: meta)
        return vectors(out.vectors, dim: model.dim)
    }

    /// The protocol's vector body: count × dim little-endian float32 with its headers.
    static func vectors(_ v: [[Float]], dim: Int) -> Response {
        var h = HTTPFields()
        h[.contentType] = "application/octet-stream"
        h[.xEmbeddingCount] = String(v.count)
        h[.xEmbeddingDim] = String(v.first?.count ?? dim)
        return Response(status: .ok, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: float32Bytes(v))))
    }

    static func extract(_ request: Request, _ context: ServeContext, _ s: Serving) async throws -> Response {
        let meta = try request.meta(context)
        let body = try await request.bytes(limit: s.options.maxBody)
        let (image, lines) = try await s.extract(Array(body.readableBytesView), contentType: request.headers[.contentType], meta: meta)
        // The CLI's object (image name null: it came from memory) plus the decoded size.
        let cli = OCRJSON.object(image: nil, lines: lines)
        return .json("{\"width\":\(image.width),\"height\":\(image.height)," + cli.dropFirst())
    }
}
