/// Full lowercase mapping per scalar, like Rust's `char::to_lowercase`.
/// Deliberately not `String.lowercased()`: that one is context sensitive
/// (final sigma), and HF is not.
struct LowercaseNormalizer: Normalizer {
    func normalize(_ text: inout NormalizedText) {
        var out = NormalizedText(reservingCapacity: text.count)
        for i in 0..<text.count {
            Self.appendLowercased(text.scalars[i], start: text.starts[i], end: text.ends[i], to: &out)
        }
        text = out
    }

    @inline(__always)
    static func appendLowercased(_ c: UInt32, start: Int32, end: Int32, to out: inout NormalizedText) {
        if c < 0x80 {
            out.append(c >= 0x41 && c <= 0x5A ? c + 0x20 : c, start: start, end: end)
            return
        }
        guard let s = Unicode.Scalar(c), s.properties.changesWhenLowercased else {
            out.append(c, start: start, end: end)
            return
        }
        for l in s.properties.lowercaseMapping.unicodeScalars {
            out.append(l.value, start: start, end: end)
        }
    }
}
