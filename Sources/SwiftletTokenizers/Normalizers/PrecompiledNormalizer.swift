/// HF's `Precompiled` normalizer (SentencePiece charsmap), reproduced with its
/// quirks: text is walked grapheme by grapheme; a grapheme shorter than 6 UTF-8
/// bytes is first looked up whole — and the replacement of its shortest
/// matching prefix replaces the WHOLE grapheme — otherwise each scalar is looked
/// up alone. Alignments follow HF's `transform` bookkeeping of (char, change)
/// records exactly, so offsets match HF's too.
struct PrecompiledNormalizer: Normalizer {
    let charsmap: PrecompiledCharsmap
    /// BMP scalars the charsmap leaves alone, as bits: a one-scalar grapheme among
    /// them needs no trie lookup (most of any text, in any script). Built once at
    /// load (a few ms for 64k lookups) instead of twice per character.
    private let kept: [UInt64]

    init(charsmap: PrecompiledCharsmap) {
        self.charsmap = charsmap
        var bits = [UInt64](repeating: 0, count: 0x10000 / 64)
        var utf8: [UInt8] = []
        utf8.reserveCapacity(4)
        for c in UInt32(0)..<0x10000 where !(0xD800..<0xE000).contains(c) {
            utf8.removeAll(keepingCapacity: true)
            Self.appendUTF8(c, to: &utf8)
            if utf8.withUnsafeBufferPointer({ charsmap.transform($0) }) == nil { bits[Int(c >> 6)] |= 1 << UInt64(c & 63) }
        }
        kept = bits
        let plain = Graphemes.plainBMP
        keptAlone = (0..<bits.count).map { w in w < 0x300 / 64 ? bits[w] : bits[w] & plain[w] }
    }

    /// `kept` scalars that also always form a grapheme on their own (see
    /// `Graphemes.plainBMP`; U+0000–U+02FF all do): a text made only of these,
    /// without CR LF, comes out unchanged, which one scan can tell.
    private let keptAlone: [UInt64]

    func normalize(_ text: inout NormalizedText) {
        let s = text.scalars
        let n = s.count
        guard n > 0 else { return }
        // Most texts: every character is its own grapheme and maps to itself.
        var unchanged = true
        for i in 0..<n {
            let c = s[i]
            if c >= 0x10000 || keptAlone[Int(c >> 6)] & (1 << UInt64(c & 63)) == 0 || (c == 0x0D && i + 1 < n && s[i + 1] == 0x0A) {
                unchanged = false
                break
            }
        }
        if unchanged { return }
        // Records start only at the first change: the kept prefix before it is
        // written then in one go, and a text the charsmap leaves alone (most of
        // them) costs no records and no allocation at all.
        var changes: [NormalizedText.Change] = []
        var modified = false
        var utf8: [UInt8] = []
        var replacement: [UInt32] = []

        func startRecording(at position: Int) {
            guard !modified else { return }
            modified = true
            changes.reserveCapacity(n + n / 8)
            for k in 0..<position { changes.append(.init(scalar: s[k], change: 0)) }
        }

        /// Appends HF's (char, change) records for `old` scalars becoming
        /// `replacement`: every new character replaces one old one (change 0),
        /// except that when the text grows the last `diff` are insertions
        /// (change 1), and when it shrinks the last one also removes `-diff` more.
        func record(oldCount: Int) {
            let newCount = replacement.count
            let diff = newCount - oldCount
            for (k, c) in replacement.enumerated() {
                var change = 0
                if diff > 0 && k >= newCount - diff { change = 1 }
                if diff < 0 && k == newCount - 1 { change = diff }
                changes.append(.init(scalar: c, change: change))
            }
            // A deletion charges the removal to whatever record came last, as HF does.
            if newCount == 0 && diff < 0 && !changes.isEmpty { changes[changes.count - 1].change += diff }
        }

        func lookup(_ range: Range<Int>) -> Bool {
            utf8.removeAll(keepingCapacity: true)
            for k in range { Self.appendUTF8(s[k], to: &utf8) }
            guard let r = utf8.withUnsafeBufferPointer({ charsmap.transform($0) }) else { return false }
            replacement.removeAll(keepingCapacity: true)
            Self.decodeUTF8(r, into: &replacement)
            return true
        }

        func grapheme(_ range: Range<Int>) {
            if range.count == 1 {
                let c = s[range.lowerBound]
                if c < 0x10000 && kept[Int(c >> 6)] & (1 << UInt64(c & 63)) != 0 {
                    if modified { changes.append(.init(scalar: c, change: 0)) }
                    return
                }
            }
            var bytes = 0
            for k in range { bytes += Self.utf8Length(s[k]) }
            if bytes < 6 && lookup(range) {
                startRecording(at: range.lowerBound)
                record(oldCount: range.count)
                return
            }
            for k in range {
                if lookup(k..<(k + 1)) {
                    startRecording(at: k)
                    record(oldCount: 1)
                } else if modified {
                    changes.append(.init(scalar: s[k], change: 0))
                }
            }
        }

        Graphemes.forEach(s, grapheme)
        if modified { text.applyChanges(changes) }
    }

    @inline(__always)
    static func utf8Length(_ c: UInt32) -> Int {
        c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4
    }

    @inline(__always)
    static func appendUTF8(_ c: UInt32, to out: inout [UInt8]) {
        if c < 0x80 {
            out.append(UInt8(c))
        } else if c < 0x800 {
            out.append(UInt8(0xC0 | c >> 6)); out.append(UInt8(0x80 | c & 0x3F))
        } else if c < 0x10000 {
            out.append(UInt8(0xE0 | c >> 12)); out.append(UInt8(0x80 | (c >> 6) & 0x3F)); out.append(UInt8(0x80 | c & 0x3F))
        } else {
            out.append(UInt8(0xF0 | c >> 18)); out.append(UInt8(0x80 | (c >> 12) & 0x3F))
            out.append(UInt8(0x80 | (c >> 6) & 0x3F)); out.append(UInt8(0x80 | c & 0x3F))
        }
    }

    /// The blob was validated as UTF-8 at load time.
    static func decodeUTF8(_ bytes: ArraySlice<UInt8>, into out: inout [UInt32]) {
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars { out.append(scalar.value) }
    }
}
