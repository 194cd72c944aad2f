import Foundation
import Swiftlet
import SwiftletServer

/// `swiftlet serve`: flags → ServerOptions, then runs the server until SIGTERM/SIGINT.
enum ServeCommand {
    static let optionNames: Set<String> = [
        "socket", "listen", "model", "models-dir", "alias", "default-model", "ocr", "no-ocr", "threads", "max-batch",
        "max-batch-tokens", "max-body", "batch-window", "tenant-inflight", "max-queue", "drain-timeout",
        "exit-with-parent", "verbose",
    ]
    static let booleanFlags: Set<String> = ["exit-with-parent", "verbose", "no-ocr"]

    static func run(_ a: Args) throws {
        try a.rejectUnknown(optionNames)
        guard a.positionals.isEmpty else { throw CLIError("serve takes no positional arguments (got '\(a.positionals[0])')") }
        let o = try options(a)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: (any Error)?
        Task {
            do {
                try await SwiftletServe.run(o) { line in
                    FileHandle.standardError.write(Data("swiftlet serve: \(line)\n".utf8))
                }
            } catch {
                failure = error
            }
            done.signal()
        }
        done.wait()
        if let failure { throw failure }
    }

    static func options(_ a: Args) throws -> ServerOptions {
        var o = ServerOptions()
        o.socket = a.value("socket")
        if let l = a.value("listen") {
            // "PORT", "HOST:PORT" or "[V6]:PORT"; loopback when no host is given.
            var host = "127.0.0.1", portText = l
            if let colon = l.lastIndex(of: ":") {
                host = String(l[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                portText = String(l[l.index(after: colon)...])
                if host.isEmpty { host = "127.0.0.1" }
            }
            guard let port = Int(portText), (0...65535).contains(port) else { throw CLIError("--listen wants HOST:PORT or PORT, got '\(l)'") }
            o.listen = (host, port)
        }
        for spec in a.all("model") {
            if let eq = spec.firstIndex(of: "=") {
                let name = String(spec[..<eq]), path = String(spec[spec.index(after: eq)...])
                guard !name.isEmpty, !path.isEmpty else { throw CLIError("--model wants NAME=PATH, got '\(spec)'") }
                o.models.append((name, resolveModel(path)))
            } else {
                // A bare model name or path: named by its file stem.
                let path = resolveModel(spec)
                o.models.append((((path as NSString).lastPathComponent as NSString).deletingPathExtension, path))
            }
        }
        var ocrFromDir: (det: String, rec: String, cls: String?)?
        if let dir = a.value("models-dir") {
            let files: [String]
            do { files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".swl") }.sorted() } catch {
                throw CLIError("--models-dir '\(dir)': \(error.localizedDescription)")
            }
            for f in files {
                let path = (dir as NSString).appendingPathComponent(f)
                let stem = (f as NSString).deletingPathExtension
                guard !o.models.contains(where: { $0.name == stem }) else { continue }
                // Only embedders are served by name; OCR files form the OCR set below.
                guard let m = try? ModelFile(path: path), let kind = try? PipelineConfig(model: m).kind,
                      kind == .embedder || kind == .staticEmbedder else { continue }
                o.models.append((stem, path))
            }
            let det = (dir as NSString).appendingPathComponent("ppocrv5-det.swl")
            let rec = (dir as NSString).appendingPathComponent("ppocrv5-rec.swl")
            let cls = (dir as NSString).appendingPathComponent("ppocrv5-cls.swl")
            if FileManager.default.fileExists(atPath: det) && FileManager.default.fileExists(atPath: rec) {
                ocrFromDir = (det, rec, FileManager.default.fileExists(atPath: cls) ? cls : nil)
            }
        }
        if let spec = a.value("ocr") {
            var parts: [String: String] = [:]
            for item in spec.split(separator: ",") {
                let kv = item.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2, ["det", "rec", "cls"].contains(kv[0]) else { throw CLIError("--ocr wants det=PATH,rec=PATH[,cls=PATH], got '\(spec)'") }
                parts[kv[0]] = resolveModel(kv[1])
            }
            guard let det = parts["det"], let rec = parts["rec"] else { throw CLIError("--ocr needs det= and rec=, got '\(spec)'") }
            o.ocr = (det, rec, parts["cls"])
        } else if !a.flag("no-ocr") {
            o.ocr = ocrFromDir
        }
        for spec in a.all("alias") {
            let kv = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else { throw CLIError("--alias wants ALIAS=NAME, got '\(spec)'") }
            o.aliases[kv[0]] = kv[1]
        }
        o.defaultModel = a.value("default-model")
        o.threads = try a.int("threads", default: o.threads)
        o.maxBatch = try a.int("max-batch", default: o.maxBatch)
        o.maxBatchTokens = try a.int("max-batch-tokens", default: o.maxBatchTokens)
        o.maxBody = try a.int("max-body", default: o.maxBody)
        o.tenantInflight = try a.int("tenant-inflight", default: o.tenantInflight)
        o.maxQueue = try a.int("max-queue", default: o.maxQueue)
        if let w = a.value("batch-window") {
            guard let ms = Int(w), ms >= 0 else { throw CLIError("--batch-window wants milliseconds ≥ 0, got '\(w)'") }
            o.batchWindow = .milliseconds(ms)
        }
        if let d = a.value("drain-timeout") {
            guard let s = Double(d), s >= 0 else { throw CLIError("--drain-timeout wants seconds ≥ 0, got '\(d)'") }
            o.drainTimeout = .milliseconds(Int(s * 1000))
        }
        o.exitWithParent = a.flag("exit-with-parent")
        o.verbose = a.flag("verbose")
        return o
    }
}
