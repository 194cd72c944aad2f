#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SwiftletTokenizers

/// A Model2Vec static embedder (pipeline kind "static-embedder", docs/FORMAT.md): a text's
/// vector is the mean of table rows looked up by token id, each scaled by a per-token weight,
/// then L2-normalized. No graph runs. The arithmetic follows model2vec's numpy code (float32
/// products and a float32 running sum in token order) so results match it to a few ulps.
struct StaticEmbedder: @unchecked Sendable {
    private enum Table {
        case int8(UnsafePointer<Int8>)
        case float32(UnsafePointer<Float>)
    }

    let dimension: Int
    let rows: Int
    /// Token ids the tables cover (the length of `mapping`/`weights`, or `rows` without them).
    let tokenCount: Int
    /// A handful at most (model2vec drops the unk id): a linear scan beats hashing.
    let skipIds: [Int32]
    let normalize: Bool
    let maxLength: Int?
    let maxChars: Int?
    private let table: Table
    private let mapping: UnsafePointer<Int64>?
    private let weights: UnsafePointer<Float>?
    /// The tensors borrow the model file's mapping; holding them keeps it alive.
    private let owners: [Tensor]

    init(model: ModelFile, config: PipelineConfig) throws {
        let path = model.path
        // A table stored as float16 (or another encoding) is read as float32.
        let constants = model.tensors.merging(model.encoded.mapValues { $0.dequantized() }) { plain, _ in plain }
        guard let emb = constants["embeddings"] else {
            throw SwiftletError.invalidModel("'\(path)': a static-embedder needs an 'embeddings' tensor")
        }
        guard emb.rank == 2, emb.shape[0] > 0, emb.shape[1] > 0 else {
            throw SwiftletError.invalidModel("'\(path)': 'embeddings' must be [rows, dim], is \(emb.shape)")
        }
        rows = emb.shape[0]
        dimension = emb.shape[1]
        switch emb.dtype {
        case .int8: table = .int8(UnsafePointer(emb.raw.assumingMemoryBound(to: Int8.self)))
        case .float32: table = .float32(UnsafePointer(emb.f32))
        default:
            throw SwiftletError.invalidModel("'\(path)': 'embeddings' must be int8 or float32, is \(emb.dtype.rawValue)")
        }
        var owners = [emb]
        var count = rows
        if let m = constants["mapping"] {
            guard m.dtype == .int64, m.rank == 1 else {
                throw SwiftletError.invalidModel("'\(path)': 'mapping' must be a 1-D int64 tensor, is \(m.dtype.rawValue) \(m.shape)")
            }
            // Checked once here so the per-token lookup can trust every entry.
            let p = m.i64
            for i in 0..<m.count where p[i] < 0 || p[i] >= Int64(rows) {
                throw SwiftletError.invalidModel("'\(path)': mapping[\(i)] = \(p[i]) is outside the \(rows) embedding rows")
            }
            mapping = UnsafePointer(p)
            count = m.count
            owners.append(m)
        } else {
            mapping = nil
        }
        if let w = constants["weights"] {
            guard w.dtype == .float32, w.rank == 1, w.count == count else {
                throw SwiftletError.invalidModel("'\(path)': 'weights' must be float32 [\(count)], is \(w.dtype.rawValue) \(w.shape)")
            }
            weights = UnsafePointer(w.f32)
            owners.append(w)
        } else {
            weights = nil
        }
        tokenCount = count
        self.owners = owners
        skipIds = Array(Set(config.skipIds.map { Int32(truncatingIfNeeded: $0) })).sorted()
        normalize = config.normalize
        maxLength = config.maxLength
        maxChars = config.maxChars
    }

    /// The ids model2vec looks up for `text`: the text cut to `maxChars` Unicode scalars
    /// (Python slicing), tokenized without special tokens, truncated to `maxLength`.
    /// Skip ids are still present; `vector(ids:)` drops them.
    func encode(_ text: String, tokenizer: Tokenizer) -> Encoding {
        var t = text
        if let m = maxChars, t.unicodeScalars.count > m {
            t = String(String.UnicodeScalarView(t.unicodeScalars.prefix(m)))
        }
        return tokenizer.encode(t, addSpecialTokens: false, maxLength: maxLength)
    }

    /// `encode(_:tokenizer:)`'s ids alone, without token strings or offsets (the embed path).
    func encodeIds(_ text: String, tokenizer: Tokenizer) -> [Int32] {
        var t = text
        // No more UTF-8 bytes than the limit means no more scalars either: skip the count.
        if let m = maxChars, t.utf8.count > m, t.unicodeScalars.count > m {
            t = String(String.UnicodeScalarView(t.unicodeScalars.prefix(m)))
        }
        return tokenizer.encodeIds(t, addSpecialTokens: false, maxLength: maxLength)
    }

    /// ids → vector. No usable token gives the zero vector (model2vec does the same).
    func vector(ids: [Int32], normalize: Bool? = nil) throws -> [Float] {
        let d = dimension
        var sum = [Float](repeating: 0, count: d)
        // model2vec averages unweighted int8 rows in float64 (numpy's mean of an integer
        // array); every other case is float32.
        var wide = [Double](repeating: 0, count: weights == nil && isInt8 ? d : 0)
        var n = 0
        try sum.withUnsafeMutableBufferPointer { sum in
        try wide.withUnsafeMutableBufferPointer { wide in
        for id in ids where !skipIds.contains(id) {
            guard id >= 0, Int(id) < tokenCount else {
                throw SwiftletError.invalidInput("token id \(id) is outside the static model's \(tokenCount) tokens")
            }
            let row = mapping.map { Int($0[Int(id)]) } ?? Int(id)
            n += 1
            switch table {
            case .int8(let p):
                let base = p + row * d
                if let w = weights?[Int(id)] {
                    for j in 0..<d { sum[j] += Float(base[j]) * w }
                } else {
                    for j in 0..<d { wide[j] += Double(base[j]) }
                }
            case .float32(let p):
                let base = p + row * d
                let w = weights?[Int(id)] ?? 1
                for j in 0..<d { sum[j] += base[j] * w }
            }
        }
        }
        }
        guard n > 0 else { return sum }
        if wide.isEmpty {
            let count = Float(n)
            for j in 0..<d { sum[j] /= count }
        } else {
            for j in 0..<d { sum[j] = Float(wide[j] / Double(n)) }
        }
        if normalize ?? self.normalize {
            var sq = 0.0
            for x in sum { sq += Double(x) * Double(x) }
            let norm = Float(sq.squareRoot())
            if norm > 0 { for j in 0..<d { sum[j] /= norm } }
        }
        return sum
    }

    private var isInt8: Bool {
        if case .int8 = table { return true }
        return false
    }
}
