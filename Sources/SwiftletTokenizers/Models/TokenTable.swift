/// Token strings by id (decoding). An array when the ids are dense, as in every real
/// vocabulary; a dictionary when a file's ids are sparse: an array indexed by an id near
/// 2³¹ would need 16 GB before the first text (found by the tokenizer-json fuzz target).
struct TokenTable: Sendable {
    private let dense: [String?]
    private let sparse: [Int32: String]

    init(_ vocab: [String: Int32]) {
        let maxId = Int(vocab.values.max() ?? -1)
        if maxId < 2 * vocab.count + 1024 {
            var byId = [String?](repeating: nil, count: maxId + 1)
            for (token, id) in vocab where id >= 0 { byId[Int(id)] = token }
            (dense, sparse) = (byId, [:])
        } else {
            var byId: [Int32: String] = [:]
            for (token, id) in vocab where id >= 0 { byId[id] = token }
            (dense, sparse) = ([], byId)
        }
    }

    subscript(id: Int32) -> String? {
        guard id >= 0 else { return nil }
        if Int(id) < dense.count { return dense[Int(id)] }
        return sparse[id]
    }
}
