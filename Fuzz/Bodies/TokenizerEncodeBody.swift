import Foundation
import CSwiftlet
import SwiftletTokenizers

/// Arbitrary text through each committed tokenizer (Fuzz/Fixtures/tokenizers: WordPiece,
/// Unigram behind a Precompiled charsmap, BPE, byte-level BPE, Metaspace BPE with byte
/// fallback). The raw bytes go in twice: through the C ABI, which must reject invalid UTF-8
/// with an error, and as a Swift String (invalid sequences repaired to U+FFFD). Decoding
/// takes ids made from the same bytes, including ids no token has.
///
/// Input: byte 0 picks the tokenizer, byte 1 the options, the rest is the text (a 0xFF byte
/// splits off a pair text).
public enum TokenizerEncodeBody {
    static let maxTextBytes = 4096

    private struct Loaded: @unchecked Sendable {
        let tokenizer: Tokenizer
        /// Opened once per process and never closed: every run uses it.
        let handle: OpaquePointer?
    }

    private static let loaded: [Loaded] = FuzzFixtures.tokenizerNames.map { name in
        let tokenizer: Tokenizer
        do {
            tokenizer = try Tokenizer(json: FuzzFixtures.contents("tokenizers/\(name).json"))
        } catch {
            fatalError("fuzz fixture tokenizers/\(name).json does not load: \(error)")
        }
        var handle: OpaquePointer?
        let status = swiftlet_tokenizer_open(FuzzFixtures.path("models/tokenizer-\(name).swl"), &handle)
        guard status == swiftlet_status(SWIFTLET_OK) else { fatalError("fuzz fixture models/tokenizer-\(name).swl: \(String(cString: swiftlet_last_error()))") }
        return Loaded(tokenizer: tokenizer, handle: handle)
    }

    public static func run(_ data: UnsafeRawBufferPointer) {
        var input = ByteReader(data)
        let t = loaded[input.pick(loaded.count)]
        let options = input.byte()
        var raw = input.rest()
        guard raw.count <= maxTextBytes else { return }
        let addSpecial = options & 1 == 0
        let maxLength: Int? = [nil, 1, 8, 512][Int(options >> 1) & 3]
        var pairBytes: [UInt8]? = nil
        if options & 8 != 0, let cut = raw.firstIndex(of: 0xFF) {
            pairBytes = Array(raw[(cut + 1)...])
            raw = Array(raw[..<cut])
        }

        // C ABI: raw bytes, validated there.
        let capacity = 1024
        var ids = [Int32](repeating: 0, count: capacity)
        var mask = [Int32](repeating: 0, count: capacity)
        var count = 0
        let flags: UInt32 = addSpecial ? 0 : UInt32(SWIFTLET_ENCODE_NO_SPECIAL_TOKENS)
        let status = raw.withUnsafeBufferPointer { text in
            text.withMemoryRebound(to: CChar.self) { chars in
                mask.withUnsafeMutableBufferPointer { m in
                    swiftlet_tokenizer_encode(t.handle, chars.baseAddress, chars.count, flags, maxLength ?? 0,
                                              &ids, options & 16 != 0 ? m.baseAddress : nil, capacity, &count)
                }
            }
        }
        if status == swiftlet_status(SWIFTLET_OK), count > capacity { fatalError("swiftlet_tokenizer_encode: \(count) tokens reported for \(capacity) slots") }

        // Swift API: the same bytes as a (repaired) String.
        let text = String(decoding: raw, as: UTF8.self)
        let pair = pairBytes.map { String(decoding: $0, as: UTF8.self) }
        let e = t.tokenizer.encode(text, pair: pair, addSpecialTokens: addSpecial, maxLength: maxLength)
        let ok = e.ids.count == e.tokens.count && e.ids.count == e.offsets.count && e.ids.count == e.typeIds.count
            && e.ids.count == e.attentionMask.count && e.ids.count == e.specialTokensMask.count
        if !ok { fatalError("Encoding arrays differ in length: ids \(e.ids.count), tokens \(e.tokens.count), offsets \(e.offsets.count)") }
        _ = t.tokenizer.encodeIds(text, addSpecialTokens: addSpecial, maxLength: maxLength)
        _ = t.tokenizer.decode(e.ids, skipSpecialTokens: options & 32 != 0)

        // Decoding ids taken from the bytes: in range, past the vocabulary, negative.
        var reader = ByteReader(data)
        var chosen: [Int32] = []
        while !reader.isAtEnd, chosen.count < 256 {
            chosen.append(Int32(bitPattern: reader.uint32()) % Int32(t.tokenizer.vocabSize + 8))
        }
        let decoded = t.tokenizer.decode(chosen, skipSpecialTokens: options & 64 != 0)
        let outCapacity = 4 * decoded.utf8.count + 16
        var out = [CChar](repeating: 0, count: outCapacity)
        var length = 0
        _ = swiftlet_tokenizer_decode(t.handle, chosen, chosen.count, options & 64 != 0 ? 0 : UInt32(SWIFTLET_DECODE_KEEP_SPECIAL_TOKENS),
                                      &out, outCapacity, &length)
    }
}
