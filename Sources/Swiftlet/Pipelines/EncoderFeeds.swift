import SwiftletTokenizers

/// The graph inputs of one batch of encodings: `input_ids`, `attention_mask` and
/// `token_type_ids` as [batch, longest] int64 tensors, right-padded with the tokenizer's pad id
/// (mask 0, type 0). Only the inputs the graph declares are fed (an export without
/// token_type_ids gets none). Shared by the dense, sparse and reranking pipelines.
struct EncoderFeeds {
    let feeds: [String: Tensor]
    /// The attention mask, row-major [batch, seq], for pooling after the graph.
    let mask: [Int64]
    let batch: Int
    let seq: Int

    init(_ encs: [Encoding], padId: Int32, inputs: Set<String>) throws {
        let b = encs.count, s = max(1, encs.map(\.ids.count).max() ?? 1)
        var ids = [Int64](repeating: Int64(padId), count: b * s)
        var mask = [Int64](repeating: 0, count: b * s)
        var types = [Int64](repeating: 0, count: b * s)
        for (r, e) in encs.enumerated() {
            for (j, id) in e.ids.enumerated() {
                ids[r * s + j] = Int64(id)
                mask[r * s + j] = Int64(e.attentionMask[j])
                types[r * s + j] = Int64(e.typeIds[j])
            }
        }
        var feeds: [String: Tensor] = ["input_ids": try Tensor(int64s: ids, shape: [b, s])]
        if inputs.contains("attention_mask") { feeds["attention_mask"] = try Tensor(int64s: mask, shape: [b, s]) }
        if inputs.contains("token_type_ids") { feeds["token_type_ids"] = try Tensor(int64s: types, shape: [b, s]) }
        self.feeds = feeds
        self.mask = mask
        self.batch = b
        self.seq = s
    }

    /// Runs `order`'s encodings through `run` in BatchPlan's cuts (longest first, so each run
    /// pads to a length close to all its members) and puts each result back at its input index.
    static func inBatches<R>(_ encodings: [Encoding], plan: BatchPlan, empty: R,
                             _ run: ([Encoding]) throws -> [R]) rethrows -> [R] {
        let order = encodings.indices.sorted {
            encodings[$0].ids.count > encodings[$1].ids.count || (encodings[$0].ids.count == encodings[$1].ids.count && $0 < $1)
        }
        var result = [R](repeating: empty, count: encodings.count)
        for cut in plan.split(order.map { encodings[$0].ids.count }) {
            let batch = Array(order[cut])
            let out = try run(batch.map { encodings[$0] })
            for (k, i) in batch.enumerated() { result[i] = out[k] }
        }
        return result
    }
}
