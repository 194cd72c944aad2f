#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import CSwiftlet

/// The `texts, lengths, count` triple every text-taking entry point reads: text i is texts[i]
/// with lengths[i] bytes, or NUL-terminated when lengths is NULL; NULL only for the empty text.
enum TextArrays {
    static func read(_ texts: UnsafePointer<UnsafePointer<CChar>?>, _ lengths: UnsafePointer<Int>?, _ n: Int,
                     name: String = "texts") throws -> [String] {
        var strings: [String] = []
        strings.reserveCapacity(n)
        for i in 0..<n {
            let p = texts[i]
            let length: Int
            if let lengths {
                length = lengths[i]
            } else {
                guard let p else { throw ABIError.argument("\(name)[\(i)] is NULL (lengths is NULL, so \(name) must be NUL-terminated)") }
                length = strnlen(p, Int(SWIFTLET_MAX_TEXT_BYTES) + 1)
            }
            strings.append(try Arguments.text(UnsafeRawPointer(p), length, "\(name)[\(i)]"))
        }
        return strings
    }
}
