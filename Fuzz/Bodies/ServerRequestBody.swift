import Foundation
import Swiftlet
import SwiftletServeAPI

/// `swiftlet serve`'s request handling up to the model (SwiftletServeAPI, the code the server
/// runs): a route's JSON body decoded into its request type with every failure mapped to an
/// APIError, then that route's checks (token-id inputs, `encoding_format`, `dimensions`,
/// modes and prompt names, truncation direction, text counts against --max-batch, empty
/// texts, byte limits); image bodies (Content-Type, empty body, PNG/JPEG decoding); the header
/// values (X-Deadline, X-Tenant, X-Request-Id, Content-Type).
///
/// Input: byte 0 picks the route, byte 1 the options (--max-batch, model kind, where the
/// Content-Type comes from), byte 2 the byte limit; the rest is the body (for the header
/// route: the header values, one per line).
///
/// Bugs: an error that is not an APIError (the server turns it into a 500), an APIError that
/// is not 400/413/415/422, an error body that is not JSON, a request accepted although it
/// breaks its route's rules, a text that does not survive the server's JSON output.
public enum ServerRequestBody {
    enum Route: CaseIterable {
        case sidecarEmbed, sidecarImage, extract, openAIEmbeddings, ollamaEmbed, ollamaLegacy, ollamaShow
        case teiEmbed, teiTokenize, teiRerank, teiEmbedSparse, headers

        var path: String {
            switch self {
            case .sidecarEmbed, .sidecarImage: return "/v1/embed"
            case .extract: return "/v1/extract"
            case .openAIEmbeddings: return "/v1/embeddings"
            case .ollamaEmbed: return "/api/embed"
            case .ollamaLegacy: return "/api/embeddings"
            case .ollamaShow: return "/api/show"
            case .teiEmbed: return "/embed"
            case .teiTokenize: return "/tokenize"
            case .teiRerank: return "/rerank"
            case .teiEmbedSparse: return "/embed_sparse"
            case .headers: return "/v1/embed"
            }
        }
    }

    /// The request's options: what the server's flags and the chosen model would be.
    struct Limits {
        var maxBatch: Int
        /// The sidecar's JSON texts go to a CLIP model (no prefixes) instead of an embedder.
        var clip: Bool
        /// Image routes: the Content-Type is the body's first line instead of a fixed one.
        var contentTypeInBody: Bool
        var fixedContentType: String?
        /// Text byte limit (the models' maxTextBytes, small so the check is reached).
        var maxTextBytes: Int
        /// The width a model returns (OpenAI `dimensions` must match it).
        static let dim = 384
        /// Keeps image routes fast; larger images must fail with the size error.
        static let maxPixels = 1 << 16
    }

    public static func run(_ data: UnsafeRawBufferPointer) {
        guard data.count <= 1 << 20 else { return }
        var reader = ByteReader(data)
        let route = Route.allCases[reader.pick(Route.allCases.count)]
        let flags = reader.byte()
        let limit = reader.byte()
        let contentTypes: [String?] = ["image/png", "image/jpeg", "Image/JPG; charset=binary", "image/gif", nil, "application/json", " image/png ;", ""]
        let limits = Limits(maxBatch: [64, 128, 1, 3][Int(flags & 3)], clip: flags & 4 != 0, contentTypeInBody: flags & 8 != 0,
                            fixedContentType: contentTypes[Int(flags >> 4) % contentTypes.count], maxTextBytes: 1 + Int(limit))
        let body = reader.rest()
        do {
            try handle(route, body, limits)
        } catch let e as APIError {
            check(e, route: route)
        } catch SwiftletError.invalidInput(let m) {
            // ErrorMiddleware answers the library's invalid-input errors with a 400.
            check(.badRequest(m), route: route)
        } catch {
            fatalError("server \(route.path): \(type(of: error)) is not an APIError, the server answers it with a 500: \(error)")
        }
    }

    /// A refusal of bad input: a client error with a message, rendered as JSON in the route's shape.
    static func check(_ e: APIError, route: Route) {
        guard [400, 413, 415, 422].contains(e.status) else {
            fatalError("server \(route.path): status \(e.status) (\(e.code)) for bad input: \(e.message)")
        }
        guard !e.message.isEmpty, !e.code.isEmpty else { fatalError("server \(route.path): an error without message or code: \(e)") }
        let body = ErrorBody.json(e, style: ErrorBody.Style(path: route.path))
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], object["error"] != nil else {
            fatalError("server \(route.path): the error body is not a JSON object with \"error\": \(body)")
        }
    }

    static func handle(_ route: Route, _ body: [UInt8], _ limits: Limits) throws {
        switch route {
        case .sidecarEmbed:
            let r = try JSONBody.decode(SidecarRequests.EmbedRequest.self, from: body)
            if limits.clip {
                try SidecarRequests.checkClipMode(r.mode)
                try TextLimits.checkTexts(r.texts, field: "texts", maxBatch: limits.maxBatch)
                try TextLimits.checkBytes(r.texts, limit: limits.maxTextBytes)
                expect(r.mode == nil || r.mode == "none", route, "a clip request with mode \(r.mode ?? "")")
                expectTexts(r.texts, limits, route, emptyAllowed: true)
            } else {
                let prefix = try SidecarRequests.prefix(mode: r.mode)
                try embedChecks(r.texts, prefix: prefix, limits, route)
            }
            roundTrip(r.texts + [r.model, r.mode].compactMap { $0 }, route)
        case .sidecarImage, .extract:
            let (contentType, bytes) = splitContentType(body, limits)
            if route == .extract {
                try ImageRequest.checkContentType(contentType)
            }
            // The sidecar sends only image Content-Types to the image path (others are JSON).
            if route == .sidecarImage, !RequestHeaders.isImage(contentType) { return }
            expect(RequestHeaders.isImage(contentType), route, "an image body with Content-Type \(contentType ?? "none")")
            let image = try ImageRequest.decode(bytes, options: ImageDecodeOptions(maxPixels: Limits.maxPixels))
            expect(image.width > 0 && image.height > 0 && image.width * image.height <= Limits.maxPixels, route,
                   "a decoded image of \(image.width)×\(image.height)")
        case .openAIEmbeddings:
            let r = try JSONBody.decode(OpenAIRequests.EmbeddingsRequest.self, from: body)
            let texts = try r.texts()
            let format = try r.format()
            try OpenAIRequests.checkDimensions(r.dimensions, model: "fuzz-model", dim: Limits.dim)
            try embedChecks(texts, prefix: .none, limits, route)
            expect(format == "float" || format == "base64", route, "encoding_format \(format)")
            expect(r.dimensions == nil || r.dimensions == Limits.dim, route, "dimensions \(r.dimensions ?? 0)")
            roundTrip(texts + [r.model, r.user, r.encoding_format].compactMap { $0 }, route)
        case .ollamaEmbed:
            let r = try JSONBody.decode(OllamaRequests.EmbedRequest.self, from: body)
            let texts = try r.texts()
            try embedChecks(texts, prefix: .none, limits, route)
            roundTrip(texts, route)
        case .ollamaLegacy:
            let r = try JSONBody.decode(OllamaRequests.LegacyRequest.self, from: body)
            try embedChecks([r.prompt], prefix: .none, limits, route)
        case .ollamaShow:
            let r = try JSONBody.decode(OllamaRequests.ShowRequest.self, from: body)
            let name = try r.modelName()
            expect(name == r.model ?? r.name, route, "model name \(name)")
            roundTrip([name], route)
        case .teiEmbed:
            let r = try JSONBody.decode(TEIRequests.EmbedRequest.self, from: body)
            let texts = try TEIRequests.texts(r.inputs)
            let prefix = try TEIRequests.prefix(r.prompt_name)
            try embedChecks(texts, prefix: prefix, limits, route)
        case .teiTokenize:
            let r = try JSONBody.decode(TEIRequests.TokenizeRequest.self, from: body)
            let texts = try TEIRequests.texts(r.inputs)
            try TEIRequests.checkTokenizeCount(texts.count, maxBatch: limits.maxBatch)
            _ = try TEIRequests.prefix(r.prompt_name)
            expect(texts.count <= limits.maxBatch, route, "\(texts.count) inputs over --max-batch \(limits.maxBatch)")
            roundTrip(texts, route)
        case .teiRerank:
            let r = try JSONBody.decode(TEIRequests.RerankRequest.self, from: body)
            try TEIRequests.checkDirection(r.truncation_direction)
            try TextLimits.checkTexts(r.texts, field: "texts", maxBatch: limits.maxBatch)
            try TextLimits.checkRerankBytes(query: r.query, documents: r.texts, limit: limits.maxTextBytes)
            expect(r.truncation_direction.map { $0.lowercased() == "right" } ?? true, route, "truncation_direction \(r.truncation_direction ?? "")")
            expect(r.query.utf8.count <= limits.maxTextBytes, route, "a query over the byte limit")
            expectTexts(r.texts, limits, route, emptyAllowed: true)
            // `return_text` echoes the texts back inside the JSON answer.
            roundTrip([r.query] + r.texts, route)
        case .teiEmbedSparse:
            let r = try JSONBody.decode(TEIRequests.EmbedSparseRequest.self, from: body)
            let texts = try TEIRequests.texts(r.inputs)
            try TEIRequests.checkDirection(r.truncation_direction)
            try TEIRequests.checkSparsePromptName(r.prompt_name, model: "fuzz-splade")
            try TextLimits.checkTexts(texts, field: "inputs", maxBatch: limits.maxBatch)
            expect(r.prompt_name == nil, route, "a prompt_name for a SPLADE model")
            // No byte check here: the SPLADE route leaves the text size to the embedder.
            expectTexts(texts, limits, route, emptyAllowed: true, checkBytes: false)
        case .headers:
            try headers(body, route)
        }
    }

    /// What `Serving.embed` checks before tokenizing: the count, then each text with its prefix.
    static func embedChecks(_ texts: [String], prefix: Embedder.Prefix, _ limits: Limits, _ route: Route) throws {
        try TextLimits.checkEmbedCount(texts, maxBatch: limits.maxBatch)
        let pre: String
        switch prefix {
        case .none: pre = ""
        case .query: pre = "query: "
        case .passage: pre = "passage: "
        case .custom(let s): pre = s
        }
        for (i, t) in texts.enumerated() { try TextLimits.checkNotEmpty(pre + t, index: i) }
        expectTexts(texts.map { pre + $0 }, limits, route, emptyAllowed: false, checkBytes: false)
    }

    static func expectTexts(_ texts: [String], _ limits: Limits, _ route: Route, emptyAllowed: Bool, checkBytes: Bool = true) {
        expect(!texts.isEmpty && texts.count <= limits.maxBatch, route, "\(texts.count) texts with --max-batch \(limits.maxBatch)")
        if !emptyAllowed { expect(!texts.contains(""), route, "an empty text") }
        if checkBytes { expect(texts.allSatisfy { $0.utf8.count <= limits.maxTextBytes }, route, "a text over \(limits.maxTextBytes) bytes") }
    }

    /// Header values, one per line: X-Deadline, X-Tenant, X-Request-Id, Content-Type.
    static func headers(_ body: [UInt8], _ route: Route) throws {
        let lines = body.split(separator: 0x0A, maxSplits: 3, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        let value = { (i: Int) -> String? in i < lines.count ? lines[i] : nil }
        for i in 1...2 {
            let v = RequestHeaders.nonEmpty(value(i))
            expect(v == nil || (v == value(i) && !v!.isEmpty), route, "header value \(value(i) ?? "nil") read as \(v ?? "nil")")
        }
        if let media = RequestHeaders.mediaType(value(3)) {
            expect(!media.contains(";") && !media.contains(" ") && !media.contains("\t"), route,
                   "media type '\(media)' of '\(value(3) ?? "")'")
        }
        if let deadline = try RequestHeaders.deadline(value(0)) {
            expect(deadline.isFinite && deadline > 0, route, "X-Deadline \(value(0) ?? "") read as \(deadline)")
        }
    }

    /// Image routes: the Content-Type and the image bytes.
    static func splitContentType(_ body: [UInt8], _ limits: Limits) -> (String?, [UInt8]) {
        guard limits.contentTypeInBody else { return (limits.fixedContentType, body) }
        guard let nl = body.firstIndex(of: 0x0A) else { return (String(decoding: body, as: UTF8.self), []) }
        return (String(decoding: body[..<nl], as: UTF8.self), Array(body[(nl + 1)...]))
    }

    /// Every text the server echoes into a JSON answer must read back unchanged from
    /// `JSONOut.string` (what the server writes) through Foundation's decoder (what clients use).
    static func roundTrip(_ texts: [String], _ route: Route) {
        let json = "[" + texts.map(JSONOut.string).joined(separator: ",") + "]"
        guard let back = try? JSONDecoder().decode([String].self, from: Data(json.utf8)) else {
            fatalError("server \(route.path): JSONOut wrote JSON that does not decode: \(json)")
        }
        expect(back == texts, route, "texts changed by a JSON round trip: \(texts) → \(back)")
    }

    static func expect(_ condition: Bool, _ route: Route, _ what: @autoclosure () -> String) {
        if !condition { fatalError("server \(route.path): accepted \(what())") }
    }
}
