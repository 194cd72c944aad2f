/// An entry of tokenizer.json's `added_tokens`: text matched verbatim in the input
/// before the model sees it (special tokens such as `[CLS]`, `[MASK]`, `<mask>`).
struct AddedToken: Sendable {
    let id: Int32
    let content: String
    let special: Bool
    let singleWord: Bool
    let lstrip: Bool
    let rstrip: Bool
    let normalized: Bool

    init(_ json: JSONObject) throws {
        id = try json.requiredInt32("id")
        content = try json.requiredString("content")
        special = try json.bool("special") ?? false
        singleWord = try json.bool("single_word") ?? false
        lstrip = try json.bool("lstrip") ?? false
        rstrip = try json.bool("rstrip") ?? false
        normalized = try json.bool("normalized") ?? !special
    }
}

/// A piece of input: either a matched added token or text left for the model.
struct TextSegment {
    var range: Range<Int>
    var addedTokenId: Int32?
}

/// Finds added tokens the way HF's AddedVocabulary does: leftmost-longest,
/// non-overlapping matches, honouring single_word, lstrip and rstrip.
struct AddedTokenMatcher: Sendable {
    private struct Pattern: Sendable {
        let scalars: [UInt32]
        let token: AddedToken
    }

    private let patternsByFirstScalar: [UInt32: [Pattern]]
    /// Bit (c & 1023) set when some pattern starts with a scalar c: most input
    /// scalars are rejected without hashing.
    private let firstScalarBits: [UInt64]

    var isEmpty: Bool { patternsByFirstScalar.isEmpty }

    /// `normalize` maps a token's content to the form it is matched in.
    init(_ tokens: [AddedToken], normalize: (String) -> [UInt32]) {
        var byFirst: [UInt32: [Pattern]] = [:]
        for token in tokens {
            let scalars = normalize(token.content)
            guard let first = scalars.first else { continue }
            byFirst[first, default: []].append(Pattern(scalars: scalars, token: token))
        }
        patternsByFirstScalar = byFirst
        var bits = [UInt64](repeating: 0, count: 16)
        for c in byFirst.keys { bits[Int(c & 1023) >> 6] |= 1 << UInt64(c & 63) }
        firstScalarBits = bits
    }

    func split(_ s: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> [TextSegment] {
        if isEmpty || range.isEmpty { return [TextSegment(range: range, addedTokenId: nil)] }
        var segments: [TextSegment] = []
        var emittedUpTo = range.lowerBound
        var i = range.lowerBound
        while i < range.upperBound {
            let c = s[i]
            guard firstScalarBits[Int(c & 1023) >> 6] & (1 << UInt64(c & 63)) != 0,
                let candidates = patternsByFirstScalar[c], let match = longestMatch(candidates, s, at: i, limit: range.upperBound) else {
                i += 1
                continue
            }
            var start = i
            var stop = i + match.scalars.count
            i = stop
            let token = match.token
            if token.singleWord {
                let startsWord = start == range.lowerBound || !HFCharacterClasses.isWordCharacter(s[start - 1])
                let endsWord = stop == range.upperBound || !HFCharacterClasses.isWordCharacter(s[stop])
                if !startsWord || !endsWord { continue }
            }
            if token.lstrip {
                var j = start
                while j > range.lowerBound && HFCharacterClasses.isWhitespace(s[j - 1]) { j -= 1 }
                // Whitespace already consumed by the previous match stays there.
                start = max(j, emittedUpTo)
            }
            if token.rstrip {
                while stop < range.upperBound && HFCharacterClasses.isWhitespace(s[stop]) { stop += 1 }
            }
            if emittedUpTo < start { segments.append(TextSegment(range: emittedUpTo..<start, addedTokenId: nil)) }
            segments.append(TextSegment(range: start..<stop, addedTokenId: token.id))
            emittedUpTo = stop
            i = max(i, stop)
        }
        if emittedUpTo < range.upperBound {
            segments.append(TextSegment(range: emittedUpTo..<range.upperBound, addedTokenId: nil))
        }
        return segments
    }

    private func longestMatch(_ candidates: [Pattern], _ s: UnsafeBufferPointer<UInt32>, at i: Int, limit: Int) -> Pattern? {
        var best: Pattern?
        for p in candidates where p.scalars.count <= limit - i && p.scalars.count > (best?.scalars.count ?? 0) {
            var equal = true
            for k in 1..<p.scalars.count where s[i + k] != p.scalars[k] {
                equal = false
                break
            }
            if equal { best = p }
        }
        return best
    }
}
