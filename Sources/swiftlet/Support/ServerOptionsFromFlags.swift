import Swiftlet
import SwiftletServer
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ServeCommand {
    /// The flags as the server's options; `--models-dir` is read here (its files are named
    /// by stem, explicit `--model`s win).
    func serverOptions() throws -> ServerOptions {
        var o = ServerOptions()
        o.socket = socket
        o.listen = listen.map { ($0.host, $0.port) }
        o.models = model.map { ($0.name, $0.path) }
        var ocrFromDir: (det: String, rec: String, cls: String?)?
        if let dir = modelsDir {
            let files: [String]
            do { files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".swl") }.sorted() } catch {
                throw CLIError("--models-dir '\(dir)': \(error)")
            }
            for f in files {
                let path = ModelPath.join(dir, f)
                let stem = ModelPath.stem(f)
                guard !o.models.contains(where: { $0.name == stem }) else { continue }
                // Embedders, sparse embedders, rerankers and CLIP models are served by name; OCR
                // files form the OCR set below.
                guard let m = try? ModelFile(path: path) else { continue }
                guard ImageEmbedder.isCLIP(m) || (try? PipelineConfig(model: m).kind).map({
                    [.embedder, .staticEmbedder, .sparseEmbedder, .reranker].contains($0)
                }) == true else { continue }
                o.models.append((stem, path))
            }
            let det = ModelPath.join(dir, "ppocrv5-det.swl"), rec = ModelPath.join(dir, "ppocrv5-rec.swl")
            let cls = ModelPath.join(dir, "ppocrv5-cls.swl")
            if FileManager.default.fileExists(atPath: det) && FileManager.default.fileExists(atPath: rec) {
                ocrFromDir = (det, rec, FileManager.default.fileExists(atPath: cls) ? cls : nil)
            }
        }
        if let ocr {
            o.ocr = (ocr.det, ocr.rec, ocr.cls)
        } else if !noOCR {
            o.ocr = ocrFromDir
        }
        for a in alias { o.aliases[a.alias] = a.name }
        o.defaultModel = defaultModel
        o.threads = threads?.value ?? o.threads
        o.maxBatch = maxBatch.value
        o.maxBatchTokens = maxBatchTokens.value
        o.maxBody = maxBody.value
        o.tenantInflight = tenantInflight.value
        o.maxQueue = maxQueue.value
        o.batchWindow = .milliseconds(batchWindow.value)
        o.drainTimeout = .milliseconds(Int(drainTimeout * 1000))
        o.exitWithParent = exitWithParent
        o.verbose = verbose
        return o
    }
}
