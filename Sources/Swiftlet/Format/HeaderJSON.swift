#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SwiftletTokenizers

/// Numbers of the `.swl` header as parsed (Int when written without a fraction or
/// exponent, Double otherwise), read as the attribute types ask.
enum HeaderJSON {
    static func parse(_ data: [UInt8]) throws -> Any { try JSONDocument.parse(data) }

    static func int(_ v: Any) -> Int? {
        if let i = v as? Int { return i }
        if let d = v as? Double, d.rounded() == d, abs(d) < 9.2e18 { return Int(d) }
        return nil
    }

    static func float(_ v: Any) -> Float? {
        if let d = v as? Double { return Float(d) }
        if let i = v as? Int { return Float(i) }
        return nil
    }
}
