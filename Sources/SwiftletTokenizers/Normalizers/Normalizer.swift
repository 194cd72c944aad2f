/// A text rewrite applied before pre-tokenization. Implementations must keep the
/// alignment arrays of `NormalizedText` in step with the scalars they emit.
protocol Normalizer: Sendable {
    func normalize(_ text: inout NormalizedText)
}

enum NormalizerFactory {
    static func make(_ json: JSONObject) throws -> Normalizer {
        let type = try json.type()
        switch type {
        case "BertNormalizer":
            return try BertNormalizer(json)
        case "Sequence":
            guard let items = try json.objects("normalizers") else {
                throw TokenizerError.missingField(json.fieldPath("normalizers"))
            }
            return SequenceNormalizer(steps: try items.map(make))
        case "Lowercase":
            return LowercaseNormalizer()
        case "StripAccents":
            return StripAccentsNormalizer()
        case "Strip":
            return StripNormalizer(
                left: try json.bool("strip_left") ?? true,
                right: try json.bool("strip_right") ?? true)
        case "NFD":
            return UnicodeFormNormalizer(form: .nfd)
        case "NFKD":
            return UnicodeFormNormalizer(form: .nfkd)
        case "NFC":
            return UnicodeFormNormalizer(form: .nfc)
        case "NFKC":
            return UnicodeFormNormalizer(form: .nfkc)
        case "Precompiled":
            let path = json.fieldPath("precompiled_charsmap")
            guard let map = try json.string("precompiled_charsmap") else { throw TokenizerError.missingField(path) }
            // HF treats an empty charsmap as "no normalization".
            if map.isEmpty { return SequenceNormalizer(steps: []) }
            return PrecompiledNormalizer(charsmap: try PrecompiledCharsmap(base64: map, path: path))
        case "Replace":
            return try ReplaceNormalizer(json)
        case "Prepend":
            return PrependNormalizer(prefix: try json.requiredString("prepend").unicodeScalars.map(\.value))
        default:
            throw TokenizerError.unsupportedComponent(kind: "normalizer", type: type)
        }
    }
}
