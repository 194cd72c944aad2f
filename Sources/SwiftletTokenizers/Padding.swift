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

    init(_ json: JSONObject) throws {
        if let name = json.raw("strategy") as? String {
            guard name == "BatchLongest" else {
                throw TokenizerError.invalidField(json.fieldPath("strategy"), "unknown strategy \"\(name)\"")
            }
            strategy = .batchLongest
        } else if let fixed = try json.object("strategy"), let n = try fixed.int("Fixed") {
            strategy = .fixed(n)
        } else {
            strategy = .batchLongest
        }
        padLeft = (try json.string("direction") ?? "Right") == "Left"
        padToMultipleOf = try json.int("pad_to_multiple_of")
        padId = Int32(try json.int("pad_id") ?? 0)
        padTypeId = Int32(try json.int("pad_type_id") ?? 0)
        padToken = try json.string("pad_token") ?? "[PAD]"
    }
}
