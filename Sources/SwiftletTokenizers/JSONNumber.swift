import Foundation

/// Numbers as JSONSerialization returns them, narrowed to token ids.
protocol NSNumberLike {
    var int32: Int32 { get }
}

extension NSNumber: NSNumberLike {
    var int32: Int32 { Int32(truncatingIfNeeded: intValue) }
}
