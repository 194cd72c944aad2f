#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// A dimension of a graph input or output: fixed, or a name shared by every place
/// that must agree on it (batch, sequence, height…).
public enum Dim: Sendable, Equatable, CustomStringConvertible {
    case fixed(Int)
    case symbol(String)

    /// The size, or the symbol's name.
    public var description: String {
        switch self {
        case .fixed(let n): return "\(n)"
        case .symbol(let s): return s
        }
    }
}

/// A graph input or output as the model declares it.
public struct ValueInfo: Sendable {
    /// The name used as a key in `Session.run`'s feeds and results.
    public let name: String
    /// The element type the graph expects or produces.
    public let dtype: DType
    /// One entry per dimension: a fixed size or a named symbol.
    public let dims: [Dim]
}
