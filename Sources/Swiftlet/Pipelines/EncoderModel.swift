import SwiftletTokenizers

/// What the tokenizing pipelines over one encoder graph (``Reranker``, ``SparseEmbedder``) hold
/// and do the same way: the file's pipeline config of the kind they serve, its tokenizer, one
/// session, the output the pipeline names, and a batch run that pads encodings into the feeds
/// and checks the output is one float32 row per sequence.
struct EncoderModel {
    let session: Session
    let tokenizer: Tokenizer
    let config: PipelineConfig
    let output: String
    private let inputs: Set<String>

    /// - Throws: ``SwiftletError/invalidModel(_:)`` when the file is another kind of model,
    ///   lacks its tokenizer, or its graph lacks the inputs and output the pipeline names.
    init(model: ModelFile, kind: PipelineConfig.Kind, threads: Int) throws {
        config = try PipelineConfig(model: model)
        guard config.kind == kind else {
            throw SwiftletError.invalidModel("'\(model.path)' is a '\(config.kind.rawValue)' model, not a \(kind.rawValue)")
        }
        tokenizer = try PipelineTokenizer.load(model)
        session = try Session(model: model, options: SessionOptions(threads: threads))
        output = try PipelineTokenizer.output(session, config, model)
        inputs = Set(session.inputs.map(\.name))
        Embedder.returnFreedHeap()
    }

    /// Runs one batch and gives the output as `[batch, width]` float32 rows; `width` nil
    /// accepts any row length. `role` names the pipeline in the error.
    func runRows<T>(_ encs: [Encoding], width: Int?, role: String, _ read: (UnsafePointer<Float>, _ rowLength: Int) -> [T]) throws -> [T] {
        let f = try EncoderFeeds(encs, padId: tokenizer.padId, inputs: inputs)
        guard let out = try session.run(f.feeds, outputs: [output])[output] else {
            throw SwiftletError.runtime("graph did not produce '\(output)'")
        }
        guard out.dtype == .float32, out.rank == 2, out.shape[0] == f.batch, width.map({ out.shape[1] == $0 }) ?? true else {
            throw SwiftletError.invalidModel("\(role) output '\(output)' is \(out.dtype.rawValue) \(out.shape), expected float32 [\(f.batch), \(width.map(String.init) ?? "n")]")
        }
        return read(UnsafePointer(out.f32), out.shape[1])
    }
}

/// The byte limit on one text, worded the same by every pipeline.
enum TextLimit {
    /// Throws for the first of `texts` whose UTF-8 length plus `extraBytes` (a prefix the
    /// pipeline adds) is over `limit`; `what` names the texts ("text", "document"), `option`
    /// the setting that raises the limit.
    static func check(_ texts: [String], limit: Int, extraBytes: Int = 0, what: String = "text", option: String) throws {
        if let i = texts.firstIndex(where: { extraBytes + $0.utf8.count > limit }) {
            throw SwiftletError.invalidInput("\(what) #\(i) is \(extraBytes + texts[i].utf8.count) bytes, over the limit of "
                                             + "\(limit) bytes (\(option))")
        }
    }
}
