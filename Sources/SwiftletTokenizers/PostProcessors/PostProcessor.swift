/// Adds special tokens and type ids around the (already truncated) encodings.
protocol PostProcessor: Sendable {
    /// How many tokens `process` adds, so truncation can leave room for them.
    func addedTokenCount(isPair: Bool) -> Int
    func process(_ first: Encoding, _ second: Encoding?, addSpecialTokens: Bool) -> Encoding
}

enum PostProcessorFactory {
    static func make(_ json: JSONObject) throws -> PostProcessor {
        let type = try json.type()
        switch type {
        case "TemplateProcessing":
            return try TemplateProcessing(json)
        case "BertProcessing":
            return try BertProcessing(json)
        case "RobertaProcessing":
            return try RobertaProcessing(json)
        case "ByteLevel":
            return try ByteLevelPostProcessor(json)
        case "Sequence":
            return try SequencePostProcessor(json)
        default:
            throw TokenizerError.unsupportedComponent(kind: "post-processor", type: type)
        }
    }
}

/// What HF does with no post-processor: plain concatenation.
struct ConcatenatingPostProcessor: PostProcessor {
    func addedTokenCount(isPair: Bool) -> Int { 0 }

    func process(_ first: Encoding, _ second: Encoding?, addSpecialTokens: Bool) -> Encoding {
        var out = first
        if let second { out.append(contentsOf: second) }
        return out
    }
}
