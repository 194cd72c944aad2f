import SwiftletTokenizers

/// One text's sparse vector: the vocabulary ids with a non-zero weight, ascending, and their
/// weights (SPLADE's term importances).
public struct SparseVector: Sendable, Equatable {
    public var indices: [Int]
    public var values: [Float]

    public init(indices: [Int], values: [Float]) {
        self.indices = indices
        self.values = values
    }

    /// The `k` largest weights (ties: the lower id first), still in ascending id order.
    public func top(_ k: Int) -> SparseVector {
        guard k < indices.count else { return self }
        let keep = indices.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && indices[$0] < indices[$1]) }
            .prefix(k).sorted()
        return SparseVector(indices: keep.map { indices[$0] }, values: keep.map { values[$0] })
    }
}

/// Text → SPLADE sparse vector: tokenize, run the graph (encoder, MLM head, and SPLADE's max
/// over tokens of log(1 + relu(logits)) × mask, all built in by the converter) in
/// length-sorted batches, keep the non-zero entries. Results come back in input order; a
/// text's vector does not depend on its batch-mates (padding is masked out of attention and
/// of the max).
public final class SparseEmbedder: @unchecked Sendable {
    /// How a ``SparseEmbedder`` runs its model.
    public struct Options: Sendable {
        /// Cores one `embed` call may use.
        public var threads: Int
        /// Most texts in one graph run.
        public var batchSize: Int
        /// Most padded tokens in one graph run. Every token carries a vocabulary-sized row
        /// through the head (30522 floats for BERT: 122 KB), so the default, 512, keeps a
        /// run's largest intermediates near 64 MB each. A longer text still runs, alone.
        public var maxBatchTokens: Int
        /// Longest text accepted, in UTF-8 bytes (as ``Embedder/Options/maxTextBytes``).
        public var maxTextBytes: Int

        /// Options with the given settings; counts below 1 count as 1.
        public init(threads: Int = activeProcessorCount(), batchSize: Int = 32, maxBatchTokens: Int = 512,
                    maxTextBytes: Int = Embedder.defaultMaxTextBytes) {
            self.threads = max(1, threads)
            self.batchSize = max(1, batchSize)
            self.maxBatchTokens = max(1, maxBatchTokens)
            self.maxTextBytes = max(1, maxTextBytes)
        }
    }

    /// The graph: encoder, MLM head, SPLADE pooling.
    public let session: Session
    /// The model's own tokenizer, from its `tokenizer.json` blob.
    public let tokenizer: Tokenizer
    /// The model's pipeline settings (maximum length, output name).
    public let config: PipelineConfig
    /// The options the embedder was loaded with.
    public let options: Options
    private let output: String
    private let inputs: Set<String>

    /// Loads a sparse-embedder `.swl` file.
    ///
    /// - Throws: ``SwiftletError`` when the file cannot be read or is not a sparse embedder.
    public convenience init(path: String, options: Options = Options()) throws {
        try self.init(model: ModelFile(path: path), options: options)
    }

    /// Builds a sparse embedder from an opened model.
    ///
    /// - Throws: ``SwiftletError/invalidModel(_:)`` when the model is not a "sparse-embedder",
    ///   lacks its tokenizer or the inputs and output its pipeline names.
    public init(model: ModelFile, options: Options = Options()) throws {
        config = try PipelineConfig(model: model)
        guard config.kind == .sparseEmbedder else {
            throw SwiftletError.invalidModel("'\(model.path)' is a '\(config.kind.rawValue)' model, not a sparse-embedder")
        }
        tokenizer = try PipelineTokenizer.load(model)
        self.options = options
        session = try Session(model: model, options: SessionOptions(threads: options.threads))
        output = try PipelineTokenizer.output(session, config, model)
        inputs = Set(session.inputs.map(\.name))
        Embedder.returnFreedHeap()
    }

    /// Length of the dense vector the sparse one indexes into (the vocabulary size).
    public var dimension: Int {
        if let o = session.outputs.first(where: { $0.name == output }), case .fixed(let d)? = o.dims.last { return d }
        return tokenizer.vocabSize
    }

    /// The tokens the model sees for `text`.
    public func tokenize(_ text: String) -> Encoding {
        tokenizer.encode(text, maxLength: config.maxLength)
    }

    /// One sparse vector per text; `topK` keeps each vector's k largest weights.
    ///
    /// - Throws: ``SwiftletError/invalidInput(_:)`` for a text over ``Options/maxTextBytes`` or
    ///   a `topK` below 1.
    public func embed(_ texts: [String], topK: Int? = nil) throws -> [SparseVector] {
        if let i = texts.firstIndex(where: { $0.utf8.count > options.maxTextBytes }) {
            throw SwiftletError.invalidInput("text #\(i) is \(texts[i].utf8.count) bytes, over the limit of "
                                             + "\(options.maxTextBytes) bytes (SparseEmbedder.Options.maxTextBytes)")
        }
        return try embed(encodings: texts.map(tokenize), topK: topK)
    }

    /// Sparse vectors for texts already tokenized by `tokenize`.
    public func embed(encodings: [Encoding], topK: Int? = nil) throws -> [SparseVector] {
        if let k = topK, k < 1 { throw SwiftletError.invalidInput("top-k must be at least 1, got \(k)") }
        let plan = BatchPlan(maxTexts: options.batchSize, maxTokens: options.maxBatchTokens, runCost: 8 * options.threads)
        let empty = SparseVector(indices: [], values: [])
        let vectors = try EncoderFeeds.inBatches(encodings, plan: plan, empty: empty) { try runBatch($0) }
        guard let k = topK else { return vectors }
        return vectors.map { $0.top(k) }
    }

    private func runBatch(_ encs: [Encoding]) throws -> [SparseVector] {
        let f = try EncoderFeeds(encs, padId: tokenizer.padId, inputs: inputs)
        guard let out = try session.run(f.feeds, outputs: [output])[output] else {
            throw SwiftletError.runtime("graph did not produce '\(output)'")
        }
        guard out.dtype == .float32, out.rank == 2, out.shape[0] == f.batch else {
            throw SwiftletError.invalidModel("sparse-embedder output '\(output)' is \(out.dtype.rawValue) \(out.shape), expected float32 [\(f.batch), vocabulary]")
        }
        let v = out.shape[1]
        return (0..<f.batch).map { r in
            let row = out.f32 + r * v
            var indices: [Int] = [], values: [Float] = []
            for k in 0..<v where row[k] != 0 {
                indices.append(k)
                values.append(row[k])
            }
            return SparseVector(indices: indices, values: values)
        }
    }
}
