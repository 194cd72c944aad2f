#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// The `pipeline` section of a `.swl` header, typed.
public struct PipelineConfig: Sendable {
    /// What the file is for; a file without a kind is a plain graph.
    public enum Kind: String, Sendable {
        case graph, embedder
        case staticEmbedder = "static-embedder"
        /// SPLADE: the graph gives one vocabulary-sized vector per text, mostly zeros.
        case sparseEmbedder = "sparse-embedder"
        /// Cross-encoder: the graph gives one relevance logit per (query, document) pair.
        case reranker
        case ocrDet = "ocr-det", ocrRec = "ocr-rec", ocrCls = "ocr-cls"
        case ocrOrientation = "ocr-orientation"
    }
    /// How token vectors become one text vector: their mean (masked), the first token's, or the
    /// element-wise maximum; `none` when the graph pools itself and its output is already one
    /// vector per text (an ONNX export with sentence-transformers' pooling inside).
    public enum Pooling: String, Sendable { case mean, cls, max, none }
    /// What the file is for.
    public var kind: Kind
    /// Embedders: how token vectors are pooled.
    public var pooling: Pooling
    /// Embedders: vectors are L2-normalized unless asked otherwise.
    public var normalize: Bool
    /// Embedders: most tokens per text, special tokens included; nil keeps the tokenizer's rule.
    public var maxLength: Int?
    /// Embedders: the graph output holding token vectors; nil means the first output.
    public var output: String?
    /// Embedders: text put before queries (e5's "query: "), if any.
    public var queryPrefix: String?
    /// Embedders: text put before documents (e5's "passage: "), if any.
    public var passagePrefix: String?
    /// static-embedder: cut texts to this many Unicode scalars before tokenizing (model2vec).
    public var maxChars: Int?
    /// static-embedder: token ids dropped before the lookup (model2vec drops its unk id).
    public var skipIds: [Int]
    /// reranker: scores are the sigmoid of the logit (sentence-transformers' CrossEncoder
    /// default for one label) rather than the raw logit.
    public var sigmoid: Bool

    /// Reads the pipeline section of `model`.
    ///
    /// - Throws: ``SwiftletError/invalidModel(_:)`` for an unknown kind or pooling, or a limit
    ///   out of range.
    public init(model: ModelFile) throws {
        try self.init(model.pipeline, path: model.path)
    }

    init(_ d: [String: Any], path: String) throws {
        let k = d["kind"] as? String ?? "graph"
        guard let kind = Kind(rawValue: k) else {
            throw SwiftletError.invalidModel("'\(path)': unknown pipeline kind '\(k)'")
        }
        self.kind = kind
        let p = d["pooling"] as? String ?? "mean"
        guard let pooling = Pooling(rawValue: p) else {
            throw SwiftletError.invalidModel("'\(path)': unknown pooling '\(p)' (mean, cls, max or none)")
        }
        self.pooling = pooling
        normalize = d["normalize"] as? Bool ?? true
        maxLength = d["max_length"] as? Int
        if let m = maxLength, m < 2 { throw SwiftletError.invalidModel("'\(path)': max_length \(m) is too small") }
        output = d["output"] as? String
        queryPrefix = d["query_prefix"] as? String
        passagePrefix = d["passage_prefix"] as? String
        maxChars = d["max_chars"] as? Int
        if let m = maxChars, m < 1 { throw SwiftletError.invalidModel("'\(path)': max_chars \(m) must be positive") }
        skipIds = d["skip_ids"] as? [Int] ?? []
        sigmoid = d["sigmoid"] as? Bool ?? false
    }
}
