#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SwiftletTokenizers

/// One document's place in a reranking: its index in the input and its score.
public struct RerankResult: Sendable, Equatable {
    public var index: Int
    public var score: Float

    public init(index: Int, score: Float) {
        self.index = index
        self.score = score
    }
}

/// (query, document) → relevance score with a cross-encoder (BertForSequenceClassification
/// with one logit, sentence-transformers' CrossEncoder layout): each pair is tokenized as
/// `[CLS] query [SEP] document [SEP]` with token_type_ids 0/1, truncated longest-first to the
/// pipeline's max_length as HF tokenizers does, run in length-sorted batches, and the logit
/// passed through a sigmoid when the model's config says so (`raw` skips it).
public final class Reranker: @unchecked Sendable {
    /// How a ``Reranker`` runs its model.
    public struct Options: Sendable {
        /// Cores one call may use.
        public var threads: Int
        /// Most pairs in one graph run.
        public var batchSize: Int
        /// Most padded tokens in one graph run (as ``Embedder/Options/maxBatchTokens``).
        public var maxBatchTokens: Int
        /// Longest query or document accepted, in UTF-8 bytes.
        public var maxTextBytes: Int

        /// Options with the given settings; counts below 1 count as 1.
        public init(threads: Int = activeProcessorCount(), batchSize: Int = 32, maxBatchTokens: Int? = nil,
                    maxTextBytes: Int = Embedder.defaultMaxTextBytes) {
            self.threads = max(1, threads)
            self.batchSize = max(1, batchSize)
            let perPair = self.batchSize.multipliedReportingOverflow(by: 128)
            self.maxBatchTokens = max(1, maxBatchTokens ?? (perPair.overflow ? .max : perPair.partialValue))
            self.maxTextBytes = max(1, maxTextBytes)
        }
    }

    private let core: EncoderModel
    /// The graph: encoder, pooler, classifier.
    public var session: Session { core.session }
    /// The model's own tokenizer, from its `tokenizer.json` blob.
    public var tokenizer: Tokenizer { core.tokenizer }
    /// The model's pipeline settings (maximum length, sigmoid).
    public var config: PipelineConfig { core.config }
    /// The options the reranker was loaded with.
    public let options: Options

    /// Loads a reranker `.swl` file.
    ///
    /// - Throws: ``SwiftletError`` when the file cannot be read or is not a reranker.
    public convenience init(path: String, options: Options = Options()) throws {
        try self.init(model: ModelFile(path: path), options: options)
    }

    /// Builds a reranker from an opened model.
    ///
    /// - Throws: ``SwiftletError/invalidModel(_:)`` when the model is not a "reranker", lacks its
    ///   tokenizer or the inputs and output its pipeline names.
    public init(model: ModelFile, options: Options = Options()) throws {
        core = try EncoderModel(model: model, kind: .reranker, threads: options.threads)
        self.options = options
    }

    /// The tokens the model sees for one (query, document) pair.
    public func tokenize(query: String, document: String) -> Encoding {
        tokenizer.encode(query, pair: document, maxLength: config.maxLength)
    }

    /// One score per document, in input order: the sigmoid of the logit when the model's
    /// config names it (sentence-transformers' CrossEncoder default for one label), else the
    /// logit; `raw` always gives the logit (TEI's `raw_scores`).
    ///
    /// - Throws: ``SwiftletError/invalidInput(_:)`` for a query or document over
    ///   ``Options/maxTextBytes``.
    public func score(query: String, documents: [String], raw: Bool = false) throws -> [Float] {
        guard query.utf8.count <= options.maxTextBytes else {
            throw SwiftletError.invalidInput("the query is \(query.utf8.count) bytes, over the limit of \(options.maxTextBytes) bytes (Reranker.Options.maxTextBytes)")
        }
        try TextLimit.check(documents, limit: options.maxTextBytes, what: "document", option: "Reranker.Options.maxTextBytes")
        let encodings = documents.map { tokenize(query: query, document: $0) }
        let plan = BatchPlan(maxTexts: options.batchSize, maxTokens: options.maxBatchTokens, runCost: 8 * options.threads)
        let logits = try EncoderFeeds.inBatches(encodings, plan: plan, empty: Float(0)) { try runBatch($0) }
        guard config.sigmoid && !raw else { return logits }
        return logits.map { 1 / (1 + expf(-$0)) }
    }

    /// The documents by score, highest first (ties: the lower index first).
    public func rerank(query: String, documents: [String], raw: Bool = false) throws -> [RerankResult] {
        let scores = try score(query: query, documents: documents, raw: raw)
        return scores.enumerated().map { RerankResult(index: $0.offset, score: $0.element) }
            .sorted { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
    }

    private func runBatch(_ encs: [Encoding]) throws -> [Float] {
        try core.runRows(encs, width: 1, role: "reranker") { rows, _ in Array(UnsafeBufferPointer(start: rows, count: encs.count)) }
    }
}
