#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import Swiftlet
import SwiftletServeAPI

/// One dense embedding model as the server serves it.
struct EmbedModel: Sendable {
    let name: String
    let path: String
    /// sha256 of the .swl file (what `swiftlet inspect` prints).
    let digest: String
    let embedder: Embedder
    let dim: Int
    let fileSize: Int
    let loadSeconds: Double
}

/// One SPLADE model (TEI's `/embed_sparse`).
struct SparseModel: Sendable {
    let name: String
    let digest: String
    let embedder: SparseEmbedder
}

/// One cross-encoder (TEI's `/rerank`).
struct RerankModel: Sendable {
    let name: String
    let digest: String
    let reranker: Reranker
}

/// One CLIP model: images (`POST /v1/embed` with an image body) and texts in one space.
struct ImageModel: Sendable {
    let name: String
    let digest: String
    let embedder: ImageEmbedder
}

/// The OCR set (det + rec + optional cls).
struct OCRModel: Sendable {
    let name: String
    let ocr: OCR
    let digest: String
    let paths: [String]
    let loadSeconds: Double
}

/// What a named model is for: each route serves one kind and refuses the others by name.
enum ModelKind: String, Sendable {
    case embedder
    case sparseEmbedder = "sparse-embedder"
    case reranker
    case clip
}

/// The models the server was started with, loaded and warmed up before it reports ready;
/// names, aliases and the default resolved here so every API surface agrees.
struct ModelRegistry: Sendable {
    let embedders: [String: EmbedModel]
    let sparse: [String: SparseModel]
    let rerankers: [String: RerankModel]
    let clips: [String: ImageModel]
    /// Every named model's kind.
    let kinds: [String: ModelKind]
    /// Serving order (as given on the command line), all kinds.
    let names: [String]
    let aliases: [String: String]
    /// --default-model, else the first model; a route whose kind it is not falls back to
    /// the first model of its own kind.
    let defaultModel: String?
    let ocr: OCRModel?
    /// Load time and digest per named model (metrics, health).
    let loadSeconds: [String: Double]
    let digests: [String: String]

    static func load(_ o: ServerOptions, log: (String) -> Void) throws -> ModelRegistry {
        var embedders: [String: EmbedModel] = [:], sparse: [String: SparseModel] = [:], rerankers: [String: RerankModel] = [:]
        var clips: [String: ImageModel] = [:]
        var kinds: [String: ModelKind] = [:], loadSeconds: [String: Double] = [:], digests: [String: String] = [:]
        var names: [String] = []
        for (name, path) in o.models {
            guard kinds[name] == nil else { throw SwiftletError.invalidInput("model name '\(name)' given twice") }
            let t0 = Date()
            let file = try ModelFile(path: path)
            let digest = file.sha256()
            let detail: String
            // CLIP files carry their own pipeline section (not a PipelineConfig kind).
            let kind: PipelineConfig.Kind = ImageEmbedder.isCLIP(file) ? .graph : try PipelineConfig(model: file).kind
            // Warm-ups: the first run sizes the buffer pools and touches every weight page.
            switch kind {
            case _ where ImageEmbedder.isCLIP(file):
                let embedder = try ImageEmbedder(model: file, options: .init(threads: o.threads))
                _ = try embedder.embed(texts: ["warm up"])
                _ = try embedder.embed(images: [RGBImage(width: 32, height: 32, pixels: [UInt8](repeating: 128, count: 32 * 32 * 3))])
                clips[name] = ImageModel(name: name, digest: digest, embedder: embedder)
                kinds[name] = .clip
                detail = "clip, dim \(embedder.dimension)"
            case .embedder, .staticEmbedder:
                let embedder = try Embedder(model: file, options: .init(threads: o.threads, batchSize: o.maxBatch, maxBatchTokens: o.maxBatchTokens))
                _ = try embedder.embed(["warm up"])
                var st = stat()
                let size = stat(path, &st) == 0 ? Int(st.st_size) : 0
                embedders[name] = EmbedModel(name: name, path: path, digest: digest, embedder: embedder, dim: embedder.dimension,
                                             fileSize: size, loadSeconds: Date().timeIntervalSince(t0))
                kinds[name] = .embedder
                detail = "dim \(embedder.dimension)"
            case .sparseEmbedder:
                let embedder = try SparseEmbedder(model: file, options: .init(threads: o.threads, batchSize: o.maxBatch))
                _ = try embedder.embed(["warm up"])
                sparse[name] = SparseModel(name: name, digest: digest, embedder: embedder)
                kinds[name] = .sparseEmbedder
                detail = "sparse, dim \(embedder.dimension)"
            case .reranker:
                let reranker = try Reranker(model: file, options: .init(threads: o.threads, batchSize: o.maxBatch))
                _ = try reranker.score(query: "warm up", documents: ["warm up"])
                rerankers[name] = RerankModel(name: name, digest: digest, reranker: reranker)
                kinds[name] = .reranker
                detail = "reranker"
            default:
                throw SwiftletError.invalidInput("--model \(name)=\(path): a '\(kind.rawValue)' model is not served by name "
                                                 + "(serve embedder, static-embedder, sparse-embedder, reranker and clip models; OCR models via --ocr)")
            }
            let seconds = Date().timeIntervalSince(t0)
            loadSeconds[name] = seconds
            digests[name] = digest
            log("loaded \(name) (\(path), \(detail), sha256 \(digest.prefix(12))…) in \(Decimals.fixed(seconds, 2)) s")
            names.append(name)
        }
        for (alias, target) in o.aliases where kinds[target] == nil {
            throw SwiftletError.invalidInput("alias '\(alias)' points at '\(target)', which is not a loaded model (\(names.joined(separator: ", ")))")
        }
        if let d = o.defaultModel, kinds[d] == nil && o.aliases[d] == nil {
            throw SwiftletError.invalidInput("--default-model '\(d)' is not a loaded model (\(names.joined(separator: ", ")))")
        }
        var ocr: OCRModel?
        if let spec = o.ocr {
            let t0 = Date()
            let engine = try OCR(detModel: spec.det, recModel: spec.rec, clsModel: spec.cls, options: OCROptions(threads: o.threads))
            // Warm-up on a small white image with one dark bar, so detection finds a box and
            // recognition runs too.
            var px = [UInt8](repeating: 255, count: 160 * 48 * 3)
            for y in 18..<30 { for x in 20..<140 { for c in 0..<3 { px[(y * 160 + x) * 3 + c] = 0 } } }
            _ = try engine.recognize(RGBImage(width: 160, height: 48, pixels: px))
            let paths = [spec.det, spec.rec] + (spec.cls.map { [$0] } ?? [])
            let digests = try paths.map { try ModelFile(path: $0).sha256() }
            // One digest for the set: the hash of its files' digests in det, rec, cls order.
            let digest = SHA256.hex(Array(digests.joined(separator: "\n").utf8))
            ocr = OCRModel(name: "ocr", ocr: engine, digest: digest, paths: paths, loadSeconds: Date().timeIntervalSince(t0))
            log("loaded OCR (\(paths.joined(separator: ", "))) in \(Decimals.fixed(Date().timeIntervalSince(t0), 2)) s")
        }
        let defaultModel = o.defaultModel.map { o.aliases[$0] ?? $0 } ?? names.first
        return ModelRegistry(embedders: embedders, sparse: sparse, rerankers: rerankers, clips: clips, kinds: kinds, names: names,
                             aliases: o.aliases, defaultModel: defaultModel, ocr: ocr, loadSeconds: loadSeconds, digests: digests)
    }

    /// The dense embedder a request names: nil → the default; "name:latest" (Ollama's tag syntax) → name.
    func embedder(_ requested: String?) throws -> EmbedModel {
        embedders[try resolve(requested, .embedder, none: "no embedding model is loaded")]!
    }

    /// The SPLADE model a request names (nil → the default, else the first sparse model).
    func sparseEmbedder(_ requested: String?) throws -> SparseModel {
        sparse[try resolve(requested, .sparseEmbedder, none: "no sparse-embedder model is loaded (serve a SPLADE .swl with --model)")]!
    }

    /// The cross-encoder a request names (nil → the default, else the first reranker).
    func reranker(_ requested: String?) throws -> RerankModel {
        rerankers[try resolve(requested, .reranker, none: "no reranker model is loaded (serve a cross-encoder .swl with --model)")]!
    }

    /// The CLIP model a request names (nil → the default, else the first CLIP model).
    func imageEmbedder(_ requested: String?) throws -> ImageModel {
        clips[try resolve(requested, .clip, none: "no clip model is loaded (serve a CLIP .swl with --model)")]!
    }

    /// The kind of the model a request names explicitly; nil when it names none or an unknown one.
    func kind(of requested: String?) -> ModelKind? {
        guard let name = requested, !name.isEmpty else { return nil }
        return (lookup(name) ?? (name.hasSuffix(":latest") ? lookup(String(name.dropLast(7))) : nil)).flatMap { kinds[$0] }
    }

    /// The loaded model's name for a request: a named model must exist (404) and be of the
    /// route's kind (400 naming both); no name picks the default if it is of that kind, else
    /// the first model of that kind.
    private func resolve(_ requested: String?, _ kind: ModelKind, none: String) throws -> String {
        // An absent or empty name means the default model.
        guard let name = requested.flatMap({ $0.isEmpty ? nil : $0 }) else {
            if let d = defaultModel, kinds[d] == kind { return d }
            if let first = names.first(where: { kinds[$0] == kind }) { return first }
            throw APIError.badRequest(none, param: "model")
        }
        guard let canonical = lookup(name) ?? (name.hasSuffix(":latest") ? lookup(String(name.dropLast(7))) : nil) else {
            throw APIError.modelNotFound(name)
        }
        let actual = kinds[canonical]!
        guard actual == kind else {
            throw APIError(status: 400, code: "wrong_model_kind",
                           message: "model '\(name)' is of kind '\(actual.rawValue)', not '\(kind.rawValue)'",
                           param: "model")
        }
        return canonical
    }

    private func lookup(_ name: String) -> String? {
        if kinds[name] != nil { return name }
        return aliases[name].flatMap { kinds[$0] != nil ? $0 : nil }
    }
}
