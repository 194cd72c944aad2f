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

    public var description: String {
        switch self {
        case .fixed(let n): return "\(n)"
        case .symbol(let s): return s
        }
    }
}

public struct ValueInfo: Sendable {
    public let name: String
    public let dtype: DType
    public let dims: [Dim]
}
