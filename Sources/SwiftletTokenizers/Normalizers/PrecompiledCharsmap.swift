#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// SentencePiece's `precompiled_charsmap`: a little-endian u32 byte length, a
/// Darts double-array trie over UTF-8 bytes (u32 units), then a blob of
/// NUL-terminated replacement strings that trie values point into.
struct PrecompiledCharsmap: Sendable {
    private let units: [UInt32]
    private let replacements: [UInt8]

    init(base64: String, path: String) throws {
        guard let bytes = base64Decode(base64) else {
            throw TokenizerError.invalidField(path, "precompiled_charsmap is not valid base64")
        }
        guard bytes.count >= 4 else { throw TokenizerError.invalidField(path, "precompiled_charsmap is truncated") }
        let trieBytes = Int(UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24)
        guard trieBytes % 4 == 0, 4 + trieBytes <= bytes.count, trieBytes >= 4 else {
            throw TokenizerError.invalidField(path, "precompiled_charsmap trie size \(trieBytes) does not fit")
        }
        var units = [UInt32](repeating: 0, count: trieBytes / 4)
        for k in 0..<units.count {
            let o = 4 + 4 * k
            units[k] = UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
        }
        let blob = Array(bytes[(4 + trieBytes)...])
        guard String(validating: blob, as: UTF8.self) != nil else {
            throw TokenizerError.invalidField(path, "precompiled_charsmap replacements are not valid UTF-8")
        }
        self.units = units
        self.replacements = blob
    }

    // Darts unit fields.
    @inline(__always) private static func hasLeaf(_ u: UInt32) -> Bool { (u >> 8) & 1 == 1 }
    @inline(__always) private static func value(_ u: UInt32) -> Int { Int(u & 0x7FFF_FFFF) }
    @inline(__always) private static func label(_ u: UInt32) -> UInt32 { u & (0x8000_0000 | 0xFF) }
    @inline(__always) private static func offset(_ u: UInt32) -> Int { Int((u >> 10) << ((u & (1 << 9)) >> 6)) }

    /// The replacement for the SHORTEST prefix of `key` in the trie, as HF's
    /// `transform` takes the first common-prefix result; nil when none matches.
    func transform(_ key: UnsafeBufferPointer<UInt8>) -> ArraySlice<UInt8>? {
        units.withUnsafeBufferPointer { a in
            var pos = 0
            pos ^= Self.offset(a[pos])
            for c in key {
                if c == 0 { return nil }
                pos ^= Int(c)
                guard pos < a.count else { return nil }
                let unit = a[pos]
                if Self.label(unit) != UInt32(c) { return nil }
                pos ^= Self.offset(unit)
                guard pos < a.count else { return nil }
                if Self.hasLeaf(unit) { return replacement(at: Self.value(a[pos])) }
            }
            return nil
        }
    }

    private func replacement(at index: Int) -> ArraySlice<UInt8>? {
        guard index <= replacements.count else { return nil }
        var stop = index
        while stop < replacements.count && replacements[stop] != 0 { stop += 1 }
        return replacements[index..<stop]
    }
}
