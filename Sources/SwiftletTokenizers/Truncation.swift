/// tokenizer.json's `truncation` block.
public struct TruncationConfig: Sendable, Equatable {
    /// Which input of a pair loses tokens first.
    public enum Strategy: String, Sendable { case longestFirst = "LongestFirst", onlyFirst = "OnlyFirst", onlySecond = "OnlySecond" }
    /// Which end tokens are cut from.
    public enum Direction: String, Sendable { case right = "Right", left = "Left" }

    /// Most tokens, special tokens included.
    public var maxLength: Int
    /// How the cut is shared between a pair's inputs.
    public var strategy: Strategy
    /// Which end is cut.
    public var direction: Direction
    /// tokenizer.json's overlap between overflow windows (kept as read).
    public var stride: Int

    /// A rule cutting to `maxLength` tokens.
    public init(maxLength: Int, strategy: Strategy = .longestFirst, direction: Direction = .right, stride: Int = 0) {
        self.maxLength = maxLength
        self.strategy = strategy
        self.direction = direction
        self.stride = stride
    }

    init(_ json: JSONObject) throws {
        let strategyName = try json.string("strategy") ?? "LongestFirst"
        guard let strategy = Strategy(rawValue: strategyName) else {
            throw TokenizerError.invalidField(json.fieldPath("strategy"), "unknown strategy \"\(strategyName)\"")
        }
        let directionName = try json.string("direction") ?? "Right"
        guard let direction = Direction(rawValue: directionName) else {
            throw TokenizerError.invalidField(json.fieldPath("direction"), "unknown direction \"\(directionName)\"")
        }
        self.init(maxLength: try json.requiredInt("max_length"), strategy: strategy, direction: direction,
                  stride: try json.int("stride") ?? 0)
    }

    /// Cuts content tokens so that together they fit `limit`, exactly as HF's
    /// `truncate_encodings` (overflowing tokens are discarded, not returned).
    func truncate(_ first: inout Encoding, _ second: inout Encoding?, limit: Int) {
        let fromLeft = direction == .left
        let total = first.count + (second?.count ?? 0)
        guard total > limit else { return }
        switch strategy {
        case .longestFirst:
            guard var pair = second else {
                first.truncate(to: limit, fromLeft: fromLeft)
                return
            }
            var n1 = first.count
            var n2 = pair.count
            let swapped = n1 > n2
            if swapped { swap(&n1, &n2) }
            n2 = n1 > limit ? n1 : max(n1, limit - n1)
            if n1 + n2 > limit {
                n1 = limit / 2
                n2 = n1 + limit % 2
            }
            if swapped { swap(&n1, &n2) }
            first.truncate(to: n1, fromLeft: fromLeft)
            pair.truncate(to: n2, fromLeft: fromLeft)
            second = pair
        case .onlyFirst, .onlySecond:
            let excess = total - limit
            if strategy == .onlyFirst || second == nil {
                // HF errors when the target cannot absorb the cut; we cut what we can.
                first.truncate(to: max(0, first.count - excess), fromLeft: fromLeft)
            } else if var pair = second {
                pair.truncate(to: max(0, pair.count - excess), fromLeft: fromLeft)
                second = pair
            }
        }
    }
}
