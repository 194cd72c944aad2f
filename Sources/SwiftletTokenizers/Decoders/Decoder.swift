/// Turns tokens back into text.
protocol Decoder: Sendable {
    func decode(_ tokens: [String]) -> String
}

enum DecoderFactory {
    static func make(_ json: JSONObject) throws -> Decoder {
        let type = try json.type()
        switch type {
        case "WordPiece":
            return WordPieceDecoder(
                prefix: try json.string("prefix") ?? "##",
                cleanup: try json.bool("cleanup") ?? true)
        case "Sequence":
            guard let items = try json.objects("decoders") else {
                throw TokenizerError.missingField(json.fieldPath("decoders"))
            }
            return SequenceDecoder(steps: try items.map { item in
                let d = try make(item)
                return (d as? ChainDecoder) ?? WholeDecoder(inner: d)
            })
        case "Metaspace":
            let r = try json.string("replacement") ?? "\u{2581}"
            guard r.unicodeScalars.count == 1, let c = r.unicodeScalars.first else {
                throw TokenizerError.invalidField(json.fieldPath("replacement"), "expected a single character")
            }
            let scheme = try json.string("prepend_scheme") ?? ((try json.bool("add_prefix_space") ?? true) ? "always" : "never")
            return MetaspaceDecoder(replacement: c, dropsLeadingSpace: scheme != "never")
        case "ByteLevel":
            return ByteLevelDecoder()
        case "ByteFallback":
            return ByteFallbackDecoder()
        case "Fuse":
            return FuseDecoder()
        case "Strip":
            let content = try json.requiredString("content")
            guard content.unicodeScalars.count == 1, let c = content.unicodeScalars.first else {
                throw TokenizerError.invalidField(json.fieldPath("content"), "expected a single character")
            }
            return StripDecoder(content: c, start: try json.int("start") ?? 0, stop: try json.int("stop") ?? 0)
        case "Replace":
            return ReplaceDecoder(pattern: try ReplacePattern(json, key: "pattern"),
                                  content: try json.requiredString("content").unicodeScalars.map(\.value))
        default:
            throw TokenizerError.unsupportedComponent(kind: "decoder", type: type)
        }
    }
}

/// HF's behaviour without a decoder: tokens joined by spaces.
struct SpaceJoiningDecoder: Decoder {
    func decode(_ tokens: [String]) -> String { tokens.joined(separator: " ") }
}
