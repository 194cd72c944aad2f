/// tokenizer.json's `padding` block. Parsed and exposed, but `encode` does not
/// apply it: callers pad batches themselves with `Tokenizer.pad`.
public struct PaddingConfig: Sendable, Equatable {
    public enum Strategy: Sendable, Equatable {
        case batchLongest
        case fixed(Int)
    }

    public var strategy: Strategy
    public var padLeft: Bool
    public var padToMultipleOf: Int?
    public var padId: Int32
    public var padTypeId: Int32
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
