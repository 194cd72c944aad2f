/// Removes combining marks. Like HF, it does not decompose first: pair it with NFD.
struct StripAccentsNormalizer: Normalizer {
    func normalize(_ text: inout NormalizedText) {
        var out = NormalizedText(reservingCapacity: text.count)
        for i in 0..<text.count where !HFCharacterClasses.isCombiningMark(text.scalars[i]) {
            out.append(text.scalars[i], start: text.starts[i], end: text.ends[i])
        }
        text = out
    }
}
