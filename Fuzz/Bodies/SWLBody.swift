import Foundation
import Swiftlet

/// A `.swl` file from arbitrary bytes: the loader (preamble, header JSON, tensor table,
/// blobs, graph wiring), then what a user does next — an `Embedder` for embedder files,
/// otherwise a `Session` (IR, fusions, constant folding, planning) and one run on small
/// inputs made from the declared shapes.
public enum SWLBody {
    /// Bigger files add nothing the mutator can reach quickly and slow every run.
    static let maxFileBytes = 1 << 20
    /// Symbolic dimensions (batch, sequence, …) are fed this size.
    static let symbolicDim = 2
    /// Inputs with more elements are not run: the run would measure the kernels, not the checks.
    static let maxInputElements = 4096
    /// Below libFuzzer's RSS limit (tools/fuzz.sh: 2 GB): a graph asking for more must get
    /// the session's out-of-memory error, which is what this target checks.
    static let memoryLimit = 512 << 20

    public static func run(_ data: UnsafeRawBufferPointer) {
        guard data.count <= maxFileBytes else { return }
        _ = ScratchFile.with(data, suffix: ".swl") { path in
            guard let model = try? ModelFile(path: path) else { return }
            // Everything `swiftlet inspect` reads.
            _ = (model.metadata, model.inputs, model.outputs, model.nodeCount, model.tensorCount,
                 model.weightBytes, model.tensorSummaries, model.opCounts)
            for name in model.blobNames { _ = model.blob(name) }
            let kind = (try? PipelineConfig(model: model))?.kind
            if kind == .embedder || kind == .staticEmbedder {
                embed(model)
            } else {
                runSession(model)
            }
        }
    }

    private static func embed(_ model: ModelFile) {
        guard let embedder = try? Embedder(model: model, options: Embedder.Options(threads: 1, batchSize: 2, memoryLimit: memoryLimit)) else { return }
        _ = embedder.dimension
        _ = try? embedder.embed(["hello world", "", "ﬁne café ①, 東京"])
        _ = try? embedder.embed(["query text"], prefix: .query)
    }

    private static func runSession(_ model: ModelFile) {
        guard let session = try? Session(model: model, options: SessionOptions(threads: 1, memoryLimit: memoryLimit)) else { return }
        guard let feeds = feeds(session.inputs) else { return }
        _ = try? session.run(feeds)
    }

    /// Deterministic small values for every input (ids stay small so Gather tables of
    /// a few rows are hit in range and out of it), or nil when the shapes are too big.
    static func feeds(_ inputs: [ValueInfo]) -> [String: Tensor]? {
        var feeds: [String: Tensor] = [:]
        for v in inputs {
            var shape: [Int] = []
            for d in v.dims {
                switch d {
                case .fixed(let n): shape.append(n)
                case .symbol: shape.append(symbolicDim)
                }
            }
            guard shape.allSatisfy({ (0...maxInputElements).contains($0) }) else { return nil }
            var count = 1
            for n in shape {
                count *= n
                guard count <= maxInputElements else { return nil }
            }
            let t: Tensor?
            switch v.dtype {
            case .float32: t = try? Tensor(floats: (0..<count).map { Float($0 % 7) * 0.25 - 0.75 }, shape: shape)
            case .int64: t = try? Tensor(int64s: (0..<count).map { Int64($0 % 5) }, shape: shape)
            default:
                let bytes = [UInt8]((0..<(count * v.dtype.byteSize)).map { UInt8($0 % 2) })
                t = bytes.withUnsafeBytes { try? Tensor(dtype: v.dtype, shape: shape, bytes: $0) }
            }
            guard let t else { return nil }
            feeds[v.name] = t
        }
        return feeds
    }
}
