/// Applies normalizers one after another.
struct SequenceNormalizer: Normalizer {
    let steps: [Normalizer]

    func normalize(_ text: inout NormalizedText) {
        for step in steps { step.normalize(&text) }
    }
}
