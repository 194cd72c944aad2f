import ArgumentParser
import Swiftlet

/// `swiftlet inspect`: a model file's header, ops, weight storage and the kernels this CPU
/// gets. Text for people, one `key: value` per line (scripts grep `sha256:`, `gemm:`).
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Describe a model file: inputs, outputs, ops, weight storage, and the CPU's kernels.",
        discussion: """
            Examples:
              swiftlet inspect all-MiniLM-L6-v2
              swiftlet inspect models/all-MiniLM-L6-v2-int8.swl --tensors
            """)

    @Argument(help: ArgumentHelp(ModelPath.help),
              completion: .file(extensions: ["swl"]))
    var model: String

    @Flag(help: "Also list every weight: storage type, shape, bytes.")
    var tensors = false

    func run() throws {
        let m = try ModelFile(path: ModelPath.resolve(model))
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
        if !m.pipeline.isEmpty { print("pipeline: \(AnyJSON.text(m.pipeline))") }
        if !m.provenance.isEmpty { print("provenance: \(AnyJSON.text(m.provenance))") }
        if !m.metadata.isEmpty { print("metadata keys: \(m.metadata.keys.sorted())") }
        if tensors {
            // One line per constant: how it is stored, its logical shape, its bytes in the file.
            print("tensors:")
            for t in m.tensorSummaries {
                print("    \(t.name): \(t.storage) [\(t.shape.map(String.init).joined(separator: ", "))] \(t.bytes) bytes")
            }
        }
    }
}
