/// Trims whitespace at either end.
struct StripNormalizer: Normalizer {
    let left: Bool
    let right: Bool

    func normalize(_ text: inout NormalizedText) {
        var lo = 0
        var hi = text.count
        if left { while lo < hi && HFCharacterClasses.isWhitespace(text.scalars[lo]) { lo += 1 } }
        if right { while hi > lo && HFCharacterClasses.isWhitespace(text.scalars[hi - 1]) { hi -= 1 } }
        if lo != 0 || hi != text.count { text = text.slice(lo..<hi) }
    }
}
