/// A character span in the original input, counted in Unicode scalars
/// (the unit Hugging Face's Python API reports for `str` inputs).
public struct TokenOffset: Sendable, Equatable, Hashable {
    /// Index of the first scalar.
    public var start: Int
    /// Index one past the last scalar.
    public var end: Int

    /// A span from `start` up to (not including) `end`.
    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
}

/// The result of tokenizing one input (or one pair of inputs).
public struct Encoding: Sendable, Equatable {
    /// Token ids, the model's `input_ids`.
    public var ids: [Int32]
    /// Token strings, one per id.
    public var tokens: [String]
    /// Segment ids (0 for the first text, 1 for the pair), the model's `token_type_ids`.
    public var typeIds: [Int32]
    /// 1 for real tokens, 0 for padding.
    public var attentionMask: [Int32]
    /// 1 for tokens the post-processor added ([CLS], [SEP], …), else 0.
    public var specialTokensMask: [Int32]
    /// Each token's span in the input text ((0, 0) for added special tokens).
    public var offsets: [TokenOffset]

    /// An encoding from its parallel arrays (all the same length).
    public init(
        ids: [Int32] = [], tokens: [String] = [], typeIds: [Int32] = [],
        attentionMask: [Int32] = [], specialTokensMask: [Int32] = [], offsets: [TokenOffset] = []
    ) {
        self.ids = ids
        self.tokens = tokens
        self.typeIds = typeIds
        self.attentionMask = attentionMask
        self.specialTokensMask = specialTokensMask
        self.offsets = offsets
    }

    /// Number of tokens.
    public var count: Int { ids.count }

    mutating func append(id: Int32, token: String, typeId: Int32, special: Bool, offset: TokenOffset) {
        ids.append(id)
        tokens.append(token)
        typeIds.append(typeId)
        attentionMask.append(1)
        specialTokensMask.append(special ? 1 : 0)
        offsets.append(offset)
    }

    mutating func append(contentsOf other: Encoding) {
        ids += other.ids
        tokens += other.tokens
        typeIds += other.typeIds
        attentionMask += other.attentionMask
        specialTokensMask += other.specialTokensMask
        offsets += other.offsets
    }

    /// Appends `other` with every type id replaced by `typeId`.
    mutating func append(contentsOf other: Encoding, typeId: Int32) {
        ids += other.ids
        tokens += other.tokens
        typeIds.append(contentsOf: repeatElement(typeId, count: other.count))
        attentionMask += other.attentionMask
        specialTokensMask += other.specialTokensMask
        offsets += other.offsets
    }

    mutating func reserveCapacity(_ n: Int) {
        ids.reserveCapacity(n)
        tokens.reserveCapacity(n)
        typeIds.reserveCapacity(n)
        attentionMask.reserveCapacity(n)
        specialTokensMask.reserveCapacity(n)
        offsets.reserveCapacity(n)
    }

    mutating func setTypeIds(_ typeId: Int32) {
        typeIds = [Int32](repeating: typeId, count: ids.count)
    }

    /// Keeps `length` tokens, dropping from the end (`fromLeft == false`) or the start.
    mutating func truncate(to length: Int, fromLeft: Bool) {
        guard ids.count > length else { return }
        let keep = max(0, length)
        func cut<T>(_ a: inout [T]) {
            if fromLeft { a.removeFirst(a.count - keep) } else { a.removeLast(a.count - keep) }
        }
        cut(&ids); cut(&tokens); cut(&typeIds); cut(&attentionMask); cut(&specialTokensMask); cut(&offsets)
    }
}
