#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SwiftletTokenizers

/// Text → vector: tokenize, run the encoder in length-sorted batches (capped in texts and
/// in padded tokens), pool, normalize.
/// Results come back in input order, and a text's vector does not depend on which other
/// texts shared its batch (padding is masked out of attention and pooling).
/// A "static-embedder" file (Model2Vec) takes the same API through a table lookup instead
/// of a graph.
public final class Embedder: @unchecked Sendable {
    /// How an ``Embedder`` runs its model.
    public struct Options: Sendable {
        /// Cores one `embed` call may use.
        public var threads: Int
        /// Most texts in one encoder run.
        public var batchSize: Int
        /// Graph rewrites on (see ``SessionOptions/fusions``).
        public var fusions: Bool
        /// Most tokens in one encoder run, padding included (texts × longest text): a batch
        /// of long texts holds fewer of them, so one long text does not make 31 short ones
        /// carry its padding, and work per run stays about level. A text longer than the
        /// budget still runs, alone. Default `batchSize` × 128 (4096 for the default 32).
        public var maxBatchTokens: Int
        /// Longest text `embed` accepts, in UTF-8 bytes (the prefix included); a longer one is
        /// an error, not a silent cut: the tokenizer reads the whole text before truncating to
        /// the model's length, and a static model's vector depends on every byte. Default
        /// ``Embedder/defaultMaxTextBytes``, the C ABI's `SWIFTLET_MAX_TEXT_BYTES`.
        public var maxTextBytes: Int
        /// Intermediate tensors one encoder run may hold (see ``SessionOptions/memoryLimit``).
        public var memoryLimit: Int?

        /// Options with the given settings; counts below 1 count as 1.
        public init(threads: Int = activeProcessorCount(), batchSize: Int = 32, fusions: Bool = true,
                    maxBatchTokens: Int? = nil, maxTextBytes: Int = Embedder.defaultMaxTextBytes, memoryLimit: Int? = nil) {
            self.maxTextBytes = max(1, maxTextBytes)
            self.memoryLimit = memoryLimit
            self.threads = max(1, threads)
            self.batchSize = max(1, batchSize)
            self.fusions = fusions
            let perText = self.batchSize.multipliedReportingOverflow(by: 128)
            self.maxBatchTokens = max(1, maxBatchTokens ?? (perText.overflow ? .max : perText.partialValue))
        }
    }

    /// The default ``Options/maxTextBytes``: 256 MiB, as the C ABI's `SWIFTLET_MAX_TEXT_BYTES`.
    public static let defaultMaxTextBytes = 1 << 28

    /// Which configured prefix to put before each text (e5-style "query: " / "passage: ").
    public enum Prefix: Sendable, Equatable {
        case none, query, passage
        case custom(String)
    }

    /// How vectors are computed: an encoder graph, or a static lookup table.
    private enum Backend {
        case graph(session: Session, output: String, inputs: Set<String>)
        case table(StaticEmbedder)
    }

    /// The encoder graph; nil for a static (lookup-table) embedder.
    public let session: Session?
    /// The model's own tokenizer, from its `tokenizer.json` blob.
    public let tokenizer: Tokenizer
    /// The model's pipeline settings: pooling, normalization, prefixes, maximum length.
    public let config: PipelineConfig
    /// The options the embedder was loaded with.
    public let options: Options
    private let backend: Backend

    /// Loads an embedder `.swl` file (encoder graph or static table).
    ///
    /// - Throws: ``SwiftletError`` when the file cannot be read or is not an embedder model.
    public convenience init(path: String, options: Options = Options()) throws {
        try self.init(model: ModelFile(path: path), options: options)
    }

    /// Builds an embedder from an opened model: its tokenizer, and a compiled ``Session`` or
    /// its lookup tables.
    ///
    /// - Throws: ``SwiftletError/invalidModel(_:)`` when the model is not an embedder, lacks
    ///   its tokenizer or does not have the inputs and outputs its pipeline names.
    public init(model: ModelFile, options: Options = Options()) throws {
        config = try PipelineConfig(model: model)
        guard config.kind == .embedder || config.kind == .staticEmbedder else {
            throw SwiftletError.invalidModel("'\(model.path)' is a '\(config.kind.rawValue)' model, not an embedder")
        }
        // The tokenizer holds its own copies (250k pieces for XLM-R: 20 MB of file released).
        tokenizer = try PipelineTokenizer.load(model)
        self.options = options
        if config.kind == .staticEmbedder {
            let table = try StaticEmbedder(model: model, config: config)
            guard tokenizer.vocabSize <= table.tokenCount else {
                throw SwiftletError.invalidModel("'\(model.path)': tokenizer has \(tokenizer.vocabSize) tokens but the tables cover \(table.tokenCount)")
            }
            session = nil
            backend = .table(table)
            return
        }
        let session = try Session(model: model, options: SessionOptions(threads: options.threads, fusions: options.fusions, memoryLimit: options.memoryLimit))
        let out = config.output ?? session.outputs[0].name
        guard session.outputs.contains(where: { $0.name == out }) else {
            throw SwiftletError.invalidModel("'\(model.path)': pipeline output '\(out)' is not a graph output")
        }
        let inputNames = Set(session.inputs.map(\.name))
        guard inputNames.contains("input_ids") else {
            throw SwiftletError.invalidModel("'\(model.path)': an embedder graph needs an 'input_ids' input, has \(session.inputs.map(\.name))")
        }
        self.session = session
        backend = .graph(session: session, output: out, inputs: inputNames)
        Self.returnFreedHeap()
    }

    /// Loading parses tokenizer.json (250k pieces for XLM-R) and packs weights through
    /// temporary buffers; glibc keeps the freed heap unless asked, which would count in the
    /// process's RSS for as long as it runs.
    /// glibc's malloc_trim is not in Swift's Glibc module; looked up at run time, it is
    /// simply absent (nothing done) on another C library.
    static func returnFreedHeap() {
        typealias Trim = @convention(c) (Int) -> Int32
        guard let sym = dlsym(nil, "malloc_trim") else { return }
        _ = unsafeBitCast(sym, to: Trim.self)(0)
    }

    /// Length of the vectors this model returns.
    public var dimension: Int {
        switch backend {
        case .table(let t): return t.dimension
        case .graph(let session, let output, _):
            if let o = session.outputs.first(where: { $0.name == output }), case .fixed(let d)? = o.dims.last { return d }
            return (try? embed([""]).first?.count) ?? 0
        }
    }

    /// The text put before each input for `p`.
    ///
    /// - Throws: ``SwiftletError/invalidInput(_:)`` when the model has no such prefix configured.
    public func prefixString(_ p: Prefix) throws -> String {
        switch p {
        case .none: return ""
        case .custom(let s): return s
        case .query:
            guard let q = config.queryPrefix else { throw SwiftletError.invalidInput("this model has no query prefix configured") }
            return q
        case .passage:
            guard let q = config.passagePrefix else { throw SwiftletError.invalidInput("this model has no passage prefix configured") }
            return q
        }
    }

    /// The tokens the model sees for `text` (for a static embedder: no special tokens, and
    /// before its skip ids are dropped).
    public func tokenize(_ text: String) -> Encoding {
        if case .table(let t) = backend { return t.encode(text, tokenizer: tokenizer) }
        return tokenizer.encode(text, maxLength: config.maxLength)
    }

    /// `normalize` overrides the model's configured L2 normalization (TEI's `normalize`).
    public func embed(_ texts: [String], prefix: Prefix = .none, normalize: Bool? = nil) throws -> [[Float]] {
        let pre = try prefixString(prefix)
        try TextLimit.check(texts, limit: options.maxTextBytes, extraBytes: pre.utf8.count, option: "Embedder.Options.maxTextBytes")
        if case .table(let t) = backend { return try embedStatic(texts.map { pre + $0 }, t, normalize: normalize) }
        return try embed(encodings: texts.map { tokenizer.encode(pre + $0, maxLength: config.maxLength) }, normalize: normalize)
    }

    /// Vectors for texts already tokenized by `tokenize` (with any prefix already in the
    /// text): a server that counts tokens before batching does not tokenize twice.
    public func embed(encodings: [Encoding], normalize: Bool? = nil) throws -> [[Float]] {
        if case .table(let t) = backend {
            // `tokenize` gave the table's own encoding (no special tokens, skip ids kept).
            return try encodings.map { try t.vector(ids: $0.ids, normalize: normalize) }
        }
        // BatchPlan picks the cut points (within `batchSize` texts and `maxBatchTokens` padded tokens).
        let plan = BatchPlan(maxTexts: options.batchSize, maxTokens: options.maxBatchTokens, runCost: 8 * options.threads)
        return try EncoderFeeds.inBatches(encodings, plan: plan, empty: []) {
            try runBatch($0, normalize: normalize ?? config.normalize)
        }
    }

    private func embedStatic(_ texts: [String], _ table: StaticEmbedder, normalize: Bool?) throws -> [[Float]] {
        var result = [[Float]](repeating: [], count: texts.count)
        var failure: Error?
        let lock = Lock()
        result.withUnsafeMutableBufferPointer { out in
            let out = out
            parallelChunks(texts.count, threads: options.threads, minChunk: 16) { range in
                for i in range {
                    do {
                        out[i] = try table.vector(ids: table.encodeIds(texts[i], tokenizer: tokenizer), normalize: normalize)
                    } catch {
                        lock.lock(); if failure == nil { failure = error }; lock.unlock()
                        return
                    }
                }
            }
        }
        if let failure { throw failure }
        return result
    }

    private func runBatch(_ encs: [Encoding], normalize: Bool) throws -> [[Float]] {
        guard case .graph(let session, let outputName, let inputNames) = backend else {
            throw SwiftletError.runtime("runBatch called on a static embedder")
        }
        let f = try EncoderFeeds(encs, padId: tokenizer.padId, inputs: inputNames)
        guard let out = try session.run(f.feeds, outputs: [outputName])[outputName] else {
            throw SwiftletError.runtime("graph did not produce '\(outputName)'")
        }
        return try Pooling.pool(out, mask: f.mask, batch: f.batch, seq: f.seq, mode: config.pooling, normalize: normalize)
    }
}
