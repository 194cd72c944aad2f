/// tokenizer.json's `padding` block. Parsed and exposed, but `encode` does not
/// apply it: callers pad batches themselves with `Tokenizer.pad`.
public struct PaddingConfig: Sendable, Equatable {
    /// Pad to the longest encoding of the batch, or to a fixed length.
    public enum Strategy: Sendable, Equatable {
        case batchLongest
        case fixed(Int)
    }

    /// The length padding aims for.
    public var strategy: Strategy
    /// Padding goes before the tokens instead of after.
    public var padLeft: Bool
    /// Round the target length up to a multiple of this.
    public var padToMultipleOf: Int?
    /// Id of the padding token.
    public var padId: Int32
    /// Segment id given to padding.
    public var padTypeId: Int32
    /// String of the padding token.
    public var padToken: String

    /// Longest padded length a file may ask for: padding materialises every position, so a
    /// file asking for billions would exhaust memory on the first batch (real models: ≤ 8,192).
    static let maxLength = 1 << 20

    init(_ json: JSONObject) throws {
        if let name = json.raw("strategy") as? String {
            guard name == "BatchLongest" else {
                throw TokenizerError.invalidField(json.fieldPath("strategy"), "unknown strategy \"\(name)\"")
            }
            strategy = .batchLongest
        } else if let fixed = try json.object("strategy"), let n = try fixed.int("Fixed") {
            guard (0...Self.maxLength).contains(n) else {
                throw TokenizerError.invalidField(fixed.fieldPath("Fixed"), "\(n) is not a length in 0...\(Self.maxLength)")
            }
            strategy = .fixed(n)
        } else {
            strategy = .batchLongest
        }
        padLeft = (try json.string("direction") ?? "Right") == "Left"
        padToMultipleOf = try json.int("pad_to_multiple_of")
        if let m = padToMultipleOf, !(0...Self.maxLength).contains(m) {
            throw TokenizerError.invalidField(json.fieldPath("pad_to_multiple_of"), "\(m) is not a length in 0...\(Self.maxLength)")
        }
        padId = try json.int32("pad_id") ?? 0
        padTypeId = try json.int32("pad_type_id") ?? 0
        padToken = try json.string("pad_token") ?? "[PAD]"
    }
}
