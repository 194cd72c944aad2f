/// A JSON array of strings or a single string (OpenAI `input`, Ollama `input`, TEI
/// `inputs`). Token-id arrays decode as `.tokenIds` so each API can refuse them in its
/// own words instead of embedding numbers as text.
public enum TextInput: Decodable, Sendable, Equatable {
    case one(String)
    case many([String])
    case tokenIds

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { self = .one(s); return }
        if let a = try? c.decode([String].self) { self = .many(a); return }
        if (try? c.decode([Int].self)) != nil || (try? c.decode([[Int]].self)) != nil { self = .tokenIds; return }
        throw DecodingError.typeMismatch(String.self, .init(codingPath: c.codingPath, debugDescription: "expected a string or an array of strings"))
    }

    public var texts: [String]? {
        switch self {
        case .one(let s): return [s]
        case .many(let a): return a
        case .tokenIds: return nil
        }
    }
}
