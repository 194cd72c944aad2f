/// Everything that can go wrong while loading a tokenizer. Encoding itself never
/// fails: every problem that HF reports lazily is detected here, at load time.
public enum TokenizerError: Error, CustomStringConvertible, Equatable {
    case invalidJSON(String)
    case missingField(String)
    case invalidField(String, String)
    case unsupportedComponent(kind: String, type: String)
    case unknownToken(String, context: String)
    case fileNotReadable(String, String)
    /// A precomputed vocabulary blob (docs/FORMAT.md) that is damaged.
    case invalidVocabularyBlob(String)

    /// A one-line message naming the field, token or file at fault.
    public var description: String {
        switch self {
        case .invalidJSON(let why):
            return "tokenizer.json is not valid JSON: \(why)"
        case .missingField(let path):
            return "tokenizer.json is missing required field \(path)"
        case .invalidField(let path, let why):
            return "tokenizer.json field \(path) is invalid: \(why)"
        case .unsupportedComponent(let kind, let type):
            return "unsupported \(kind) type \"\(type)\""
        case .unknownToken(let token, let context):
            return "token \"\(token)\" used by \(context) is not in the vocabulary"
        case .fileNotReadable(let path, let why):
            return "cannot read tokenizer file \(path): \(why)"
        case .invalidVocabularyBlob(let why):
            return "precomputed vocabulary blob \(UnigramVocabularyBlob.name) is invalid: \(why)"
        }
    }
}
