/// Every failure the library reports. Messages name the thing at fault (file, node, input)
/// because the callers are often other languages that only see the text.
public enum SwiftletError: Error, CustomStringConvertible, Equatable {
    case io(String)
    case invalidModel(String)
    case unsupportedOp(op: String, node: String)
    case invalidInput(String)
    case shapeMismatch(String)
    case runtime(String)

    /// The message, prefixed by the kind of failure.
    public var description: String {
        switch self {
        case .io(let m): return "I/O error: \(m)"
        case .invalidModel(let m): return "invalid model file: \(m)"
        case .unsupportedOp(let op, let node): return "unsupported operator '\(op)' (node '\(node)')"
        case .invalidInput(let m): return "invalid input: \(m)"
        case .shapeMismatch(let m): return "shape mismatch: \(m)"
        case .runtime(let m): return "runtime error: \(m)"
        }
    }
}
