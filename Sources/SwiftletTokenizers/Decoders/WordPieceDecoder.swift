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
            r = r.replacing(from, with: to)
        }
        return r
    }
}
