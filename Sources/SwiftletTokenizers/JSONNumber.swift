/// Numbers as the JSON parser returns them (`Int`, or `Double` for fractions),
/// narrowed to token ids.
protocol NSNumberLike {
    var int32: Int32 { get }
}

extension Int: NSNumberLike {
    var int32: Int32 { Int32(truncatingIfNeeded: self) }
}

extension Double: NSNumberLike {
    var int32: Int32 { Int32(truncatingIfNeeded: Int(exactly: self.rounded()) ?? 0) }
}
