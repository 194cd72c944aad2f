/// Greedy CTC decoding as RapidOCR's CTCLabelDecode: per time step the arg-max class (first
/// on ties) and its probability; blanks (class 0) and repeats of the previous step's class
/// are dropped; the text joins the kept classes' characters and the score is the mean of
/// their probabilities (0 when nothing is kept).
public struct CTCDecoder: Sendable {
    /// Class index → character: "blank", the dictionary, then " " (RapidOCR appends a space).
    public let characters: [String]

    /// A decoder over the recognition model's dictionary (one entry per class after blank).
    public init(dictionary: [String]) {
        characters = ["blank"] + dictionary + [" "]
    }

    /// RapidOCR reads the dictionary from the model's `character` metadata with Python's
    /// str.splitlines().
    public init(metadataCharacters text: String) {
        self.init(dictionary: pythonSplitLines(text))
    }

    /// PaddleOCR dictionary files, read as PaddleOCR does: lines split on "\n" only, each
    /// stripped of its line ending ("\r\n" in some packages); no trailing empty entry.
    public init(dictionaryFile text: String) {
        // Unicode scalars, not Characters: "\r\n" is one Character and would not split on "\n".
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var l = String.UnicodeScalarView(line)
            if l.last == "\r" { l.removeLast() }
            return String(l)
        }
        if lines.last == "" { lines.removeLast() }
        self.init(dictionary: lines)
    }

    /// `logits`: [N, T, C] probabilities; one (text, score) per batch row.
    public func decode(_ probs: UnsafeBufferPointer<Float>, batch n: Int, steps t: Int, classes c: Int) throws -> [(text: String, score: Float)] {
        guard c == characters.count else {
            throw SwiftletError.shapeMismatch("recognition model has \(c) classes but the dictionary gives \(characters.count) (blank + \(characters.count - 2) characters + space)")
        }
        guard probs.count >= n * t * c else { throw SwiftletError.shapeMismatch("recognition output holds \(probs.count) values, [\(n), \(t), \(c)] needs \(n * t * c)") }
        var out: [(String, Float)] = []
        for b in 0..<n {
            var text = ""
            var sum = 0.0
            var kept = 0
            var prev = -1
            for s in 0..<t {
                let row = (b * t + s) * c
                var best = 0
                var bestP = probs[row]
                for k in 1..<c where probs[row + k] > bestP { best = k; bestP = probs[row + k] }
                if best != 0 && best != prev {
                    text += characters[best]
                    sum += Double(bestP)
                    kept += 1
                }
                prev = best
            }
            out.append((text, kept == 0 ? 0 : Float(sum / Double(kept))))
        }
        return out
    }
}

/// Python's str.splitlines(): splits on \n, \r, \r\n, \v, \f, \x1c–\x1e, \x85, U+2028, U+2029.
func pythonSplitLines(_ s: String) -> [String] {
    let breaks: Set<Unicode.Scalar> = ["\n", "\r", "\u{0B}", "\u{0C}", "\u{1C}", "\u{1D}", "\u{1E}", "\u{85}", "\u{2028}", "\u{2029}"]
    var lines: [String] = []
    var cur = String.UnicodeScalarView()
    var it = s.unicodeScalars.makeIterator()
    var pending: Unicode.Scalar? = nil
    while let u = pending ?? it.next() {
        pending = nil
        if breaks.contains(u) {
            lines.append(String(cur))
            cur = String.UnicodeScalarView()
            if u == "\r", let nx = it.next() { if nx != "\n" { pending = nx } }
        } else {
            cur.append(u)
        }
    }
    if !cur.isEmpty { lines.append(String(cur)) }
    return lines
}
