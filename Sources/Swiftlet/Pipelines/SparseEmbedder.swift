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

    private let core: EncoderModel
    /// The graph: encoder, MLM head, SPLADE pooling.
    public var session: Session { core.session }
    /// The model's own tokenizer, from its `tokenizer.json` blob.
    public var tokenizer: Tokenizer { core.tokenizer }
    /// The model's pipeline settings (maximum length, output name).
    public var config: PipelineConfig { core.config }
    /// The options the embedder was loaded with.
    public let options: Options

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
        core = try EncoderModel(model: model, kind: .sparseEmbedder, threads: options.threads)
        self.options = options
    }

    /// Length of the dense vector the sparse one indexes into (the vocabulary size).
    public var dimension: Int {
        if let o = session.outputs.first(where: { $0.name == core.output }), case .fixed(let d)? = o.dims.last { return d }
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
        try TextLimit.check(texts, limit: options.maxTextBytes, option: "SparseEmbedder.Options.maxTextBytes")
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
        try core.runRows(encs, width: nil, role: "sparse-embedder") { rows, v in
            (0..<encs.count).map { r in
                let row = rows + r * v
                var indices: [Int] = [], values: [Float] = []
                for k in 0..<v where row[k] != 0 {
                    indices.append(k)
                    values.append(row[k])
                }
                return SparseVector(indices: indices, values: values)
            }
        }
    }
}
