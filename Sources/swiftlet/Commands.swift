import Foundation
import Swiftlet

/// Model names resolve against $SWIFTLET_MODELS (default ./models): `--model all-MiniLM-L6-v2`
/// finds models/all-MiniLM-L6-v2.swl; anything with a slash or .swl is taken as a path.
func resolveModel(_ name: String?) -> String {
    let n = name ?? "all-MiniLM-L6-v2"
    if n.contains("/") || n.hasSuffix(".swl") { return n }
    let dir = ProcessInfo.processInfo.environment["SWIFTLET_MODELS"] ?? "models"
    return "\(dir)/\(n).swl"
}

func emit(_ line: String) {
    FileHandle.standardOutput.write((line + "\n").data(using: .utf8)!)
}

enum Commands {
    static func tokenize(_ a: Args) throws {
        try a.rejectUnknown(["model", "jsonl", "threads"])
        let embedder = try Embedder(path: resolveModel(a.value("model")), options: .init(threads: 1))
        for t in try TextInput.load(a) {
            let e = embedder.tokenize(t)
            emit("{\"ids\":\(JSONOut.ints(e.ids)),\"tokens\":\(JSONOut.strings(e.tokens))}")
        }
    }

    static func embed(_ a: Args) throws {
        try a.rejectUnknown(["model", "jsonl", "threads", "batch", "prefix", "no-fusions"])
        let opts = Embedder.Options(threads: try a.int("threads", default: ProcessInfo.processInfo.activeProcessorCount),
                                    batchSize: try a.int("batch", default: 32), fusions: !a.flag("no-fusions"))
        let embedder = try Embedder(path: resolveModel(a.value("model")), options: opts)
        let prefix: Embedder.Prefix
        switch a.value("prefix") {
        case nil: prefix = .none
        case "query"?: prefix = .query
        case "passage"?: prefix = .passage
        case let s?: prefix = .custom(s)
        }
        let texts = try TextInput.load(a)
        for v in try embedder.embed(texts, prefix: prefix) { emit("{\"embedding\":\(JSONOut.floats(v))}") }
    }

    static func run(_ a: Args) throws {
        try a.rejectUnknown(["model", "input", "output-dir", "threads", "no-fusions"])
        guard let outDir = a.value("output-dir") else { throw CLIError("run needs --output-dir DIR") }
        let session = try Session(path: resolveModel(a.value("model")),
                                  options: SessionOptions(threads: try a.int("threads", default: ProcessInfo.processInfo.activeProcessorCount),
                                                          fusions: !a.flag("no-fusions")))
        var feeds: [String: Tensor] = [:]
        for spec in a.all("input") {
            guard let eq = spec.firstIndex(of: "=") else { throw CLIError("--input takes NAME=FILE.npy, got '\(spec)'") }
            feeds[String(spec[..<eq])] = try NPY.read(String(spec[spec.index(after: eq)...]))
        }
        let outs = try session.run(feeds)
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        for (name, t) in outs.sorted(by: { $0.key < $1.key }) {
            let safe = name.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." ? $0 : "_" }
            let path = "\(outDir)/\(String(safe)).npy"
            try NPY.write(t, to: path)
            emit("{\"output\":\(JSONOut.string(name)),\"path\":\(JSONOut.string(path)),\"shape\":\(JSONOut.ints(t.shape)),\"dtype\":\(JSONOut.string(t.dtype.rawValue))}")
        }
    }

    static func inspect(_ a: Args) throws {
        try a.rejectUnknown(["tensors"])
        guard a.positionals.count == 1 else { throw CLIError("inspect takes one model path") }
        let m = try ModelFile(path: resolveModel(a.positionals[0]))
        func dims(_ v: [ValueInfo]) -> String {
            v.map { "    \($0.name): \($0.dtype.rawValue) [\($0.dims.map(\.description).joined(separator: ", "))]" }.joined(separator: "\n")
        }
        print("file: \(m.path)")
        print("format version: \(m.version)")
        print("sha256: \(m.sha256())")
        print("inputs:\n\(dims(m.inputs))")
        print("outputs:\n\(dims(m.outputs))")
        print("nodes: \(m.nodeCount)  tensors: \(m.tensorCount)  weights: \(m.weightBytes) bytes")
        // Storage per type (float32, float16, int8 with its scales, q8_0, q4_0, …).
        let storage = m.weightBytesByStorage.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }
        print("weight storage: \(storage.joined(separator: ", ")) bytes")
        print("ops: " + m.opCounts.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " "))
        if let s = try? Session(model: m) {
            print("compiled: \(s.nodeCount) nodes after fusion and folding; ops: " + s.opCounts.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " "))
        }
        print("blobs: \(m.blobNames)")
        print("cpu: \(KernelPaths.cpu) (\(KernelPaths.isa))")
        print("gemm: \(KernelPaths.gemm)")
        print("int8 gemm: \(KernelPaths.int8Gemm)")
        if let d = try? JSONSerialization.data(withJSONObject: m.pipeline, options: [.sortedKeys]), let s = String(data: d, encoding: .utf8) {
            print("pipeline: \(s)")
        }
        if let d = try? JSONSerialization.data(withJSONObject: m.provenance, options: [.sortedKeys]), let s = String(data: d, encoding: .utf8) {
            print("provenance: \(s)")
        }
        if !m.metadata.isEmpty { print("metadata keys: \(m.metadata.keys.sorted())") }
        if a.flag("tensors") {
            // One line per constant: how it is stored, its logical shape, its bytes in the file.
            print("tensors:")
            for t in m.tensorSummaries {
                print("    \(t.name): \(t.storage) [\(t.shape.map(String.init).joined(separator: ", "))] \(t.bytes) bytes")
            }
        }
    }
}
