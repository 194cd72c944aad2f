#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SwiftletTokenizers
import CSwiftlet

/// Argument checks shared by the exported functions. Each runs before any Swift API is
/// touched, because a bad pointer or size reaching Swift code would trap (and a trap
/// takes down the caller's whole process) instead of returning an error.
enum Arguments {
    static func pointer<T>(_ p: T?, _ name: String) throws -> T {
        guard let p else { throw ABIError.argument("\(name) is NULL") }
        return p
    }

    /// A size_t that must not exceed limit; huge values are usually negative numbers cast.
    static func count(_ n: Int, _ name: String, max limit: Int) throws -> Int {
        guard n >= 0, n <= limit else {
            throw ABIError.argument("\(name) is \(UInt(bitPattern: n)), more than the limit \(limit) (a negative number cast to size_t?)")
        }
        return n
    }

    /// The size of a caller's buffer; anything with the top bit set is a negative number cast.
    static func capacity(_ n: Int, _ name: String) throws -> Int {
        try count(n, name, max: Int.max)
    }

    /// A NUL-terminated UTF-8 string such as a path or tensor name.
    static func cString(_ p: UnsafePointer<CChar>?, _ name: String) throws -> String {
        let p = try pointer(p, name)
        let limit = Int(SWIFTLET_MAX_PATH_BYTES)
        let n = strnlen(p, limit + 1)
        guard n <= limit else { throw ABIError.argument("\(name) is longer than \(limit) bytes (or not NUL-terminated)") }
        return try text(UnsafeRawPointer(p), n, name)
    }

    /// length bytes at p as a String, which must be valid UTF-8. p may be NULL only if
    /// length is 0.
    static func text(_ p: UnsafeRawPointer?, _ length: Int, _ name: String) throws -> String {
        _ = try count(length, "length of \(name)", max: Int(SWIFTLET_MAX_TEXT_BYTES))
        if length == 0 { return "" }
        guard let p else { throw ABIError.argument("\(name) is NULL but its length is \(length)") }
        let bytes = UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: length)
        if let bad = UTF8Validation.firstInvalidByte(bytes) {
            throw ABIError.utf8("\(name) is not valid UTF-8 (byte \(bad) of \(length) is 0x\(String(bytes[bad], radix: 16)))")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Threads option: 0 means every core.
    static func threads(_ t: Int32, _ name: String) throws -> Int {
        guard t >= 0, t <= SWIFTLET_MAX_THREADS else {
            throw ABIError.argument("\(name) is \(t); use 0 (all cores) to \(SWIFTLET_MAX_THREADS)")
        }
        return t == 0 ? activeProcessorCount() : Int(t)
    }

    /// The threads and batch size of a `swiftlet_embedder_options` (NULL: every default), which
    /// every text and image pipeline's open call takes; a batch size of 0 picks `defaultBatch`.
    static func embedderOptions(_ options: UnsafePointer<swiftlet_embedder_options>?, defaultBatch: Int) throws -> (threads: Int, batchSize: Int) {
        let o = options?.pointee ?? swiftlet_embedder_options()
        let threads = try Arguments.threads(o.threads, "options.threads")
        guard o.batch_size >= 0, o.batch_size <= SWIFTLET_MAX_BATCH_SIZE else {
            throw ABIError.argument("options.batch_size is \(o.batch_size); use 0 (default \(defaultBatch)) to \(SWIFTLET_MAX_BATCH_SIZE)")
        }
        return (threads, o.batch_size == 0 ? defaultBatch : Int(o.batch_size))
    }

    /// Stores a new handle in a caller's out-parameter.
    static func output<T>(_ out: UnsafeMutablePointer<T>?, _ name: String) throws -> UnsafeMutablePointer<T> {
        try pointer(out, name)
    }
}
