#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Joins WordPiece tokens: continuation pieces lose their prefix and attach to the
/// previous token; other tokens are preceded by a space. `cleanup` undoes the
/// spaces tokenization put before punctuation and English contractions.
struct WordPieceDecoder: Decoder {
    let prefix: String
    let cleanup: Bool

    func decode(_ tokens: [String]) -> String {
        var out = ""
        for (i, token) in tokens.enumerated() {
            var piece: String
            if i == 0 {
                piece = token
            } else if !prefix.isEmpty && token.unicodeScalars.starts(with: prefix.unicodeScalars) {
                // Scalar-wise: "##" followed by a combining mark is not a Character prefix.
                piece = String(String.UnicodeScalarView(token.unicodeScalars.dropFirst(prefix.unicodeScalars.count)))
            } else {
                piece = " " + token
            }
            if cleanup { piece = Self.cleanUp(piece) }
            out += piece
        }
        return out
    }

    /// HF cleans each token separately, so replacements never span two tokens.
    static func cleanUp(_ s: String) -> String {
        guard s.contains(" ") else { return s }
        var r = s
        for (from, to) in [
            (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
            (" 'm", "'m"), (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
        ] {
            r = replacingAll(from, with: to, in: r)
        }
        return r
    }

    /// What `r.replacing(from, with: to)` gives (leftmost, non-overlapping, Character by
    /// Character), without that _StringProcessing generic: the C ABI library links neither
    /// _StringProcessing nor _RegexParser (1.2 MB; tools/build-lib.sh).
    private static func replacingAll(_ from: String, with to: String, in s: String) -> String {
        let chars = Array(s), pattern = Array(from)
        guard !pattern.isEmpty, chars.count >= pattern.count else { return s }
        var out = ""
        var i = 0
        while i < chars.count {
            if i + pattern.count <= chars.count && chars[i..<(i + pattern.count)].elementsEqual(pattern) {
                out += to
                i += pattern.count
            } else {
                out.append(chars[i])
                i += 1
            }
        }
        return out
    }
}
