#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import Swiftlet

/// One embedding model as the server serves it.
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

/// The OCR set (det + rec + optional cls).
struct OCRModel: Sendable {
    let name: String
    let ocr: OCR
    let digest: String
    let paths: [String]
    let loadSeconds: Double
}

/// The models the server was started with, loaded and warmed up before it reports ready;
/// names, aliases and the default resolved here so every API surface agrees.
struct ModelRegistry: Sendable {
    let embedders: [String: EmbedModel]
    /// Serving order (as given on the command line).
    let names: [String]
    let aliases: [String: String]
    let defaultModel: String?
    let ocr: OCRModel?

    static func load(_ o: ServerOptions, log: (String) -> Void) throws -> ModelRegistry {
        var embedders: [String: EmbedModel] = [:]
        var names: [String] = []
        for (name, path) in o.models {
            guard embedders[name] == nil else { throw SwiftletError.invalidInput("model name '\(name)' given twice") }
            let t0 = Date()
            let file = try ModelFile(path: path)
            let embedder = try Embedder(model: file, options: .init(threads: o.threads, batchSize: o.maxBatch, maxBatchTokens: o.maxBatchTokens))
            // Warm-up: first run sizes the buffer pools and touches every weight page.
            _ = try embedder.embed(["warm up"])
            let digest = file.sha256()
            var st = stat()
            let size = stat(path, &st) == 0 ? Int(st.st_size) : 0
            let m = EmbedModel(name: name, path: path, digest: digest, embedder: embedder, dim: embedder.dimension,
                               fileSize: size, loadSeconds: Date().timeIntervalSince(t0))
            log("loaded \(name) (\(path), dim \(m.dim), sha256 \(digest.prefix(12))…) in \(Decimals.fixed(m.loadSeconds, 2)) s")
            embedders[name] = m
            names.append(name)
        }
        for (alias, target) in o.aliases where embedders[target] == nil {
            throw SwiftletError.invalidInput("alias '\(alias)' points at '\(target)', which is not a loaded model (\(names.joined(separator: ", ")))")
        }
        if let d = o.defaultModel, embedders[d] == nil && o.aliases[d] == nil {
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
        return ModelRegistry(embedders: embedders, names: names, aliases: o.aliases,
                             defaultModel: o.defaultModel ?? names.first, ocr: ocr)
    }

    /// The model a request names: nil → the default; "name:latest" (Ollama's tag syntax) → name.
    func embedder(_ requested: String?) throws -> EmbedModel {
        // An absent or empty name means the default model.
        guard let name = requested.flatMap({ $0.isEmpty ? nil : $0 }) ?? defaultModel else {
            throw APIError.badRequest("no embedding model is loaded", param: "model")
        }
        if let m = lookup(name) { return m }
        if name.hasSuffix(":latest"), let m = lookup(String(name.dropLast(7))) { return m }
        throw APIError.modelNotFound(name)
    }

    private func lookup(_ name: String) -> EmbedModel? {
        embedders[name] ?? aliases[name].flatMap { embedders[$0] }
    }
}
