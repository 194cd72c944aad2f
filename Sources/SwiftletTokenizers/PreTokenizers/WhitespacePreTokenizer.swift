/// HF's `Whitespace`: the regex `\w+|[^\w\s]+`, i.e. runs of word characters and
/// runs of other non-space characters, with whitespace dropped.
struct WhitespacePreTokenizer: PreTokenizer {
    func split(_ text: inout NormalizedText, words: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for word in words {
            var start = -1
            var startIsWord = false
            for i in word {
                let c = text.scalars[i]
                if HFCharacterClasses.isWhitespace(c) {
                    if start >= 0 { out.append(start..<i); start = -1 }
                    continue
                }
                let isWord = HFCharacterClasses.isWordCharacter(c)
                if start >= 0 && isWord != startIsWord {
                    out.append(start..<i)
                    start = -1
                }
                if start < 0 {
                    start = i
                    startIsWord = isWord
                }
            }
            if start >= 0 { out.append(start..<word.upperBound) }
        }
        return out
    }
}

/// HF's `WhitespaceSplit`: split on whitespace only.
struct WhitespaceSplitPreTokenizer: PreTokenizer {
    func split(_ text: inout NormalizedText, words: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for word in words {
            var start = -1
            for i in word {
                if HFCharacterClasses.isWhitespace(text.scalars[i]) {
                    if start >= 0 { out.append(start..<i); start = -1 }
                } else if start < 0 {
                    start = i
                }
            }
            if start >= 0 { out.append(start..<word.upperBound) }
        }
        return out
    }
}
