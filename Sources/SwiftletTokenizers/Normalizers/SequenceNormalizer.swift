/// Applies normalizers one after another.
struct SequenceNormalizer: Normalizer {
    let steps: [Normalizer]

    func normalize(_ text: inout NormalizedText) {
        let origin = text.originStart
        for step in steps {
            step.normalize(&text)
            text.originStart = origin
        }
    }
}
