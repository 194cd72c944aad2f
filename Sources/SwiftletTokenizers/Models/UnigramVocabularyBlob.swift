#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// The Unigram vocabulary precomputed at convert time (tools/tokenizer_blob.py,
/// layout in docs/FORMAT.md): scores, piece texts and the ready-built trie, so a
/// 250k-piece model loads by copying arrays instead of parsing and sorting.
///
/// tokenizer.json stays the source of truth: the blob records the length and
/// FNV-1a hash of the exact tokenizer.json it was made from and is ignored
/// (the vocabulary is rebuilt from JSON) when they do not match. A blob that
/// matches but is structurally broken is an error, never a crash.
struct UnigramVocabularyBlob {
    static let name = "tokenizer.unigram"
    static let magic: [UInt8] = Array("SWLUNI01".utf8)
    static let headerSize = 40

    let scores: [Double]
    let pieces: PiecePool
    let trie: ScalarTrie

    /// FNV-1a 64 over the source bytes taken as little-endian u64 words (the
    /// tail zero-padded), mixed with the length: cheap enough to run on every load.
    static func fingerprint(_ source: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        let words = source.count / 8
        for w in 0..<words {
            h = (h ^ source.loadUnaligned(fromByteOffset: w * 8, as: UInt64.self).littleEndian) &* 0x0000_0100_0000_01B3
        }
        var tail: UInt64 = 0
        for (k, i) in ((words * 8)..<source.count).enumerated() { tail |= UInt64(source[i]) << (8 * UInt64(k)) }
        h = (h ^ tail) &* 0x0000_0100_0000_01B3
        return (h ^ UInt64(source.count)) &* 0x0000_0100_0000_01B3
    }

    /// nil when the blob belongs to another tokenizer.json (stale).
    static func read(_ blob: [UInt8], source: [UInt8]) throws -> UnigramVocabularyBlob? {
        try blob.withUnsafeBytes { raw -> UnigramVocabularyBlob? in
            func bad(_ why: String) -> TokenizerError { .invalidVocabularyBlob(why) }
            guard raw.count >= headerSize, Array(raw[0..<8]) == magic else { throw bad("not a \(name) blob (bad magic)") }
            func u32(_ at: Int) -> Int { Int(raw.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian) }
            let sourceLength = Int(raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian)
            let sourceHash = raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self).littleEndian
            let ok = source.withUnsafeBytes { sourceLength == $0.count && sourceHash == fingerprint($0) }
            guard ok else { return nil }
            let pieceCount = u32(24), nodeCount = u32(28), utf8Count = u32(32)
            guard pieceCount > 0, nodeCount > 0 else { throw bad("empty vocabulary or trie") }
            let need = headerSize + 8 * pieceCount + 4 * nodeCount + 4 * (nodeCount + 1) + 4 * nodeCount + 4 * pieceCount + utf8Count
            guard raw.count == need else { throw bad("\(raw.count) bytes, the header implies \(need)") }
            var at = headerSize
            func array<T>(_ n: Int, _ type: T.Type) -> [T] {
                let out = [T](unsafeUninitializedCapacity: n) { buffer, initialized in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[at..<(at + n * MemoryLayout<T>.stride)]))
                    initialized = n
                }
                at += n * MemoryLayout<T>.stride
                return out
            }
            // Little-endian host assumed (x86-64/arm64); the writer emits little-endian.
            let scores = array(pieceCount, Double.self)
            let values = array(nodeCount, Int32.self)
            let childStart = array(nodeCount + 1, Int32.self)
            let labels = array(nodeCount, UInt32.self)
            let ends = array(pieceCount, Int32.self)
            let utf8 = array(utf8Count, UInt8.self)
            // The trie must be breadth-first with sorted children: every lookup
            // relies on it, so check it all (a few ms for 1.6M nodes).
            guard childStart[0] == 1, Int(childStart[nodeCount]) == nodeCount else { throw bad("child table does not cover the nodes") }
            for v in 0..<nodeCount {
                let lo = Int(childStart[v]), hi = Int(childStart[v + 1])
                guard lo <= hi, lo > v else { throw bad("child range of node \(v) is not breadth-first") }
                if lo < hi {
                    for c in (lo + 1)..<hi where labels[c - 1] >= labels[c] { throw bad("children of node \(v) are not sorted") }
                }
                guard values[v] >= -1, Int(values[v]) < pieceCount else { throw bad("node \(v) maps to id \(values[v])") }
            }
            for l in labels where l > 0x10FFFF || (l >= 0xD800 && l < 0xE000) { throw bad("edge scalar \(l) is not a Unicode scalar") }
            var previous: Int32 = 0
            for e in ends {
                guard e >= previous else { throw bad("piece text offsets decrease") }
                previous = e
            }
            guard Int(previous) == utf8Count else { throw bad("piece texts do not fill the text pool") }
            for s in scores where !s.isFinite { throw bad("a score is not finite") }
            return UnigramVocabularyBlob(
                scores: scores, pieces: PiecePool(utf8: utf8, ends: ends),
                trie: ScalarTrie(labels: labels, childStart: childStart, values: values))
        }
    }
}
