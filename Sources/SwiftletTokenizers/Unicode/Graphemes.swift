/// Extended grapheme clusters over scalar values (what HF gets from
/// `unicode-segmentation`'s `graphemes(true)`).
enum Graphemes {
    /// Calls `body` with each cluster's scalar range, in order.
    ///
    /// Between two "plain" scalars there is always a boundary (except CR LF): see
    /// `isPlain`. Runs of such text are split without the standard library; only
    /// runs around other scalars (combining marks, joiners, Hangul jamo, emoji
    /// beyond the BMP, …) are handed to `Character` segmentation, each run cut at
    /// guaranteed boundaries so no rule can look across it.
    static func forEach(_ s: [UInt32], _ body: (Range<Int>) -> Void) {
        let n = s.count
        let plain = plainBMP
        @inline(__always) func isPlain(_ c: UInt32) -> Bool {
            c < 0x300 || (c < 0x10000 && plain[Int(c >> 6)] & (1 << UInt64(c & 63)) != 0)
        }
        @inline(__always) func boundary(_ a: UInt32, _ b: UInt32) -> Bool {
            isPlain(a) && isPlain(b) && !(a == 0x0D && b == 0x0A)
        }
        var i = 0
        while i < n {
            if isPlain(s[i]) && (i + 1 == n || boundary(s[i], s[i + 1])) {
                body(i..<(i + 1))
                i += 1
                continue
            }
            // A run that needs real segmentation ends at a guaranteed boundary.
            var j = i + 1
            while j < n && !boundary(s[j - 1], s[j]) { j += 1 }
            var view = String.UnicodeScalarView()
            for k in i..<j { view.append(Unicode.Scalar(s[k]) ?? "\u{FFFD}") }
            var start = i
            for character in String(view) {
                let count = character.unicodeScalars.count
                body(start..<(start + count))
                start += count
            }
            i = j
        }
    }

    /// BMP scalars whose Grapheme_Cluster_Break is Other or Control: nothing
    /// attaches to them from either side (they are not Extend, ZWJ, SpacingMark,
    /// Prepend, Regional_Indicator or Hangul jamo/syllables), so two in a row
    /// always have a boundary between them (GB999, or GB4/GB5 for controls; no
    /// GB9c or GB11 context can end between two such scalars, since it needs a
    /// linker or ZWJ there). Derived from general categories, minus the few
    /// letters Unicode classes as SpacingMark, Prepend or Extend; checked against
    /// the standard library's segmentation by GraphemeTableTests.
    static let plainBMP: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 0x10000 / 64)
        for c in UInt32(0x300)..<0x10000 {
            guard let scalar = Unicode.Scalar(c), isPlainByProperties(scalar) else { continue }
            bits[Int(c >> 6)] |= 1 << UInt64(c & 63)
        }
        return bits
    }()

    private static func isPlainByProperties(_ s: Unicode.Scalar) -> Bool {
        let c = s.value
        // Hangul jamo and syllables join one another (GB6–GB8).
        if (0x1100...0x11FF).contains(c) || (0xA960...0xA97F).contains(c) || (0xAC00...0xD7FF).contains(c) { return false }
        // Letters that are SpacingMark (Thai/Lao SARA AM), Prepend (MALAYALAM DOT
        // REPH) or Extend (halfwidth katakana sound marks).
        if [0x0E33, 0x0EB3, 0x0D4E, 0xFF9E, 0xFF9F].contains(c) { return false }
        switch s.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .format, .control, .surrogate, .privateUse, .unassigned,
             .lineSeparator, .paragraphSeparator:
            return false
        default:
            return !s.properties.isGraphemeExtend
        }
    }
}
