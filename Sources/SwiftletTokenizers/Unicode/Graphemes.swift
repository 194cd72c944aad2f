/// Extended grapheme clusters over scalar values (what HF gets from
/// `unicode-segmentation`'s `graphemes(true)`).
enum Graphemes {
    /// Calls `body` with each cluster's scalar range, in order.
    ///
    /// Between two scalars below U+0300 there is always a boundary (except CR LF):
    /// no extending, prepending, Hangul, emoji or regional-indicator rule applies
    /// there. Such text is split without the standard library; other runs are
    /// handed to `Character` segmentation.
    static func forEach(_ s: [UInt32], _ body: (Range<Int>) -> Void) {
        let n = s.count
        var i = 0
        while i < n {
            let simpleNext = i + 1 == n || (s[i + 1] < 0x300 && !(s[i] == 0x0D && s[i + 1] == 0x0A))
            if s[i] < 0x300 && simpleNext {
                body(i..<(i + 1))
                i += 1
                continue
            }
            // A run that needs real segmentation ends at a guaranteed boundary.
            var j = i + 1
            while j < n && !(s[j - 1] < 0x300 && s[j] < 0x300 && !(s[j - 1] == 0x0D && s[j] == 0x0A)) { j += 1 }
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
}
