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
        default:
            throw TokenizerError.unsupportedComponent(kind: "decoder", type: type)
        }
    }
}

/// HF's behaviour without a decoder: tokens joined by spaces.
struct SpaceJoiningDecoder: Decoder {
    func decode(_ tokens: [String]) -> String { tokens.joined(separator: " ") }
}
