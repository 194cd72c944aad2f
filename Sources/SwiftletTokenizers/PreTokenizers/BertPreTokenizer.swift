/// Splits on whitespace (dropping it) and isolates every punctuation character,
/// as HF's BertPreTokenizer does.
struct BertPreTokenizer: PreTokenizer {
    func split(_ text: inout NormalizedText, words: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        out.reserveCapacity(text.count / 4 + 1)
        text.scalars.withUnsafeBufferPointer { s in
            for word in words {
                var start = -1
                for i in word {
                    let c = s[i]
                    if HFCharacterClasses.isWhitespace(c) {
                        if start >= 0 { out.append(start..<i); start = -1 }
                    } else if HFCharacterClasses.isBertPunctuation(c) {
                        if start >= 0 { out.append(start..<i); start = -1 }
                        out.append(i..<(i + 1))
                    } else if start < 0 {
                        start = i
                    }
                }
                if start >= 0 { out.append(start..<word.upperBound) }
            }
        }
        return out
    }
}
