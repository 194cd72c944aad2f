/// Splits normalized text into words. Words are ranges into `text`; a
/// pre-tokenizer that rewrites text (e.g. Metaspace) may append rewritten scalars
/// to `text` and return ranges pointing at them, which is why `text` is inout.
protocol PreTokenizer: Sendable {
    func split(_ text: inout NormalizedText, words: [Range<Int>]) -> [Range<Int>]
}

enum PreTokenizerFactory {
    static func make(_ json: JSONObject) throws -> PreTokenizer {
        let type = try json.type()
        switch type {
        case "BertPreTokenizer":
            return BertPreTokenizer()
        case "Whitespace":
            return WhitespacePreTokenizer()
        case "WhitespaceSplit":
            return WhitespaceSplitPreTokenizer()
        case "Metaspace":
            return try MetaspacePreTokenizer(json)
        case "ByteLevel":
            return try ByteLevelPreTokenizer(json)
        case "Split":
            return try SplitPreTokenizer(split: json)
        case "Punctuation":
            return SplitPreTokenizer(
                pattern: .scalar { HFCharacterClasses.isBertPunctuation($0) },
                behavior: try SplitPreTokenizer.behavior(json, default: .isolated))
        case "Digits":
            let individual = try json.bool("individual_digits") ?? false
            return SplitPreTokenizer(
                pattern: .scalar { HFCharacterClasses.isNumeric($0) },
                behavior: individual ? .isolated : .contiguous)
        case "Sequence":
            guard let items = try json.objects("pretokenizers") else {
                throw TokenizerError.missingField(json.fieldPath("pretokenizers"))
            }
            return SequencePreTokenizer(steps: try items.map(make))
        default:
            throw TokenizerError.unsupportedComponent(kind: "pre-tokenizer", type: type)
        }
    }
}

/// Applies pre-tokenizers in order, each refining the previous one's words.
struct SequencePreTokenizer: PreTokenizer {
    let steps: [PreTokenizer]

    func split(_ text: inout NormalizedText, words: [Range<Int>]) -> [Range<Int>] {
        var current = words
        for step in steps { current = step.split(&text, words: current) }
        return current
    }
}
