import CSwiftlet
import Swiftlet
import SwiftletTokenizers

/// A failure to report across the C boundary: a status code plus the message
/// swiftlet_last_error() will return.
struct ABIError: Error {
    let status: swiftlet_status
    let message: String

    init(_ status: Int, _ message: String) {
        self.status = swiftlet_status(status)
        self.message = message
    }

    static func argument(_ m: String) -> ABIError { ABIError(SWIFTLET_ERR_INVALID_ARGUMENT, m) }
    static func handle(_ m: String) -> ABIError { ABIError(SWIFTLET_ERR_INVALID_HANDLE, m) }
    static func utf8(_ m: String) -> ABIError { ABIError(SWIFTLET_ERR_INVALID_UTF8, m) }
    static func tooSmall(_ m: String) -> ABIError { ABIError(SWIFTLET_ERR_BUFFER_TOO_SMALL, m) }

    /// Maps whatever the Swift side threw to a status; anything unforeseen is INTERNAL
    /// rather than being lost.
    static func from(_ error: Error) -> ABIError {
        switch error {
        case let e as ABIError:
            return e
        case let e as SwiftletError:
            switch e {
            case .io: return ABIError(SWIFTLET_ERR_IO, e.description)
            case .invalidModel: return ABIError(SWIFTLET_ERR_INVALID_MODEL, e.description)
            case .unsupportedOp: return ABIError(SWIFTLET_ERR_UNSUPPORTED, e.description)
            case .invalidInput, .shapeMismatch: return ABIError(SWIFTLET_ERR_INVALID_INPUT, e.description)
            case .runtime: return ABIError(SWIFTLET_ERR_RUNTIME, e.description)
            }
        case let e as TokenizerError:
            return ABIError(SWIFTLET_ERR_INVALID_MODEL, "tokenizer: \(e.description)")
        default:
            return ABIError(SWIFTLET_ERR_INTERNAL, "unexpected error: \(error)")
        }
    }
}

/// Runs one exported call: clears the thread's last error, then turns any thrown error
/// into a status code and message. Every `swiftlet_*` function that returns a status
/// goes through here, so no Swift error can cross the C boundary.
@inline(__always)
func abiCall(_ function: StaticString, _ body: () throws -> Void) -> swiftlet_status {
    swl_clear_last_error()
    do {
        try body()
        return swiftlet_status(SWIFTLET_OK)
    } catch {
        let e = ABIError.from(error)
        var text = "\(function): \(e.message)"
        text.withUTF8 { swl_set_last_error(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), $0.count) }
        return e.status
    }
}
