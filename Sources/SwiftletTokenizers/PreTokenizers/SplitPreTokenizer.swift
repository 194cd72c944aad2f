/// HF's pattern splitting (`NormalizedString::split`), behind the `Split`,
/// `Punctuation` and `Digits` pre-tokenizers: the pattern cuts each word into
/// matches and gaps, and the behaviour decides what becomes of the matches.
struct SplitPreTokenizer: PreTokenizer {
    enum Pattern: Sendable {
        /// Every occurrence of a literal (an empty one matches nothing).
        case literal([UInt32])
        case regex(SimpleRegex)
        /// Each scalar satisfying the predicate is a match of its own.
        case scalar(@Sendable (UInt32) -> Bool)
    }

    enum Behavior: String, Sendable {
        case removed = "Removed", isolated = "Isolated", contiguous = "Contiguous"
        case mergedWithPrevious = "MergedWithPrevious", mergedWithNext = "MergedWithNext"
    }

    let pattern: Pattern
    let behavior: Behavior
    let invert: Bool

    static func behavior(_ json: JSONObject, default value: Behavior? = nil) throws -> Behavior {
        guard let name = try json.string("behavior") else {
            if let value { return value }
            throw TokenizerError.missingField(json.fieldPath("behavior"))
        }
        guard let b = Behavior(rawValue: name) else {
            throw TokenizerError.invalidField(json.fieldPath("behavior"), "unknown behavior \"\(name)\"")
        }
        return b
    }

    /// `{"type": "Split", "pattern": {"String" | "Regex": ...}, "behavior": ..., "invert": ...}`
    init(split json: JSONObject) throws {
        let p = try json.requiredObject("pattern")
        if let s = try p.string("String") {
            pattern = .literal(s.unicodeScalars.map(\.value))
        } else if let r = try p.string("Regex") {
            pattern = .regex(try SimpleRegex(r, path: p.fieldPath("Regex")))
        } else {
            throw TokenizerError.invalidField(p.path, "expected {\"String\": ...} or {\"Regex\": ...}")
        }
        behavior = try Self.behavior(json)
        invert = try json.bool("invert") ?? false
    }

    init(pattern: Pattern, behavior: Behavior, invert: Bool = false) {
        self.pattern = pattern
        self.behavior = behavior
        self.invert = invert
    }

    func split(_ text: inout NormalizedText, words: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        out.reserveCapacity(words.count)
        text.scalars.withUnsafeBufferPointer { all in
            for word in words where !word.isEmpty {
                let pieces = matches(UnsafeBufferPointer(rebasing: all[word]))
                for (range, keep) in apply(pieces) where keep && !range.isEmpty {
                    out.append((word.lowerBound + range.lowerBound)..<(word.lowerBound + range.upperBound))
                }
            }
        }
        return out
    }

    /// The word as consecutive (range, is a match) pieces covering all of it.
    private func matches(_ s: UnsafeBufferPointer<UInt32>) -> [(Range<Int>, Bool)] {
        var found: [Range<Int>] = []
        switch pattern {
        case .literal(let lit):
            guard !lit.isEmpty else { break }
            var i = 0
            while i + lit.count <= s.count {
                var equal = true
                for k in 0..<lit.count where s[i + k] != lit[k] {
                    equal = false
                    break
                }
                if equal {
                    found.append(i..<(i + lit.count))
                    i += lit.count
                } else {
                    i += 1
                }
            }
        case .regex(let regex):
            var from = 0
            while from <= s.count, let m = regex.firstMatch(in: s, from: from) {
                found.append(m)
                // After an empty match the search resumes one scalar later.
                from = m.isEmpty ? m.upperBound + 1 : m.upperBound
            }
        case .scalar(let predicate):
            for i in 0..<s.count where predicate(s[i]) { found.append(i..<(i + 1)) }
        }
        var pieces: [(Range<Int>, Bool)] = []
        var previous = 0
        for m in found {
            if previous < m.lowerBound { pieces.append((previous..<m.lowerBound, invert)) }
            pieces.append((m, !invert))
            previous = m.upperBound
        }
        if previous < s.count { pieces.append((previous..<s.count, invert)) }
        return pieces
    }

    /// (range, kept) after the behaviour, as HF folds them.
    private func apply(_ pieces: [(Range<Int>, Bool)]) -> [(Range<Int>, Bool)] {
        var out: [(Range<Int>, Bool)] = []
        var previousMatch = false
        switch behavior {
        case .removed:
            return pieces.map { ($0.0, !$0.1) }
        case .isolated:
            return pieces.map { ($0.0, true) }
        case .contiguous:
            for (range, isMatch) in pieces {
                if isMatch == previousMatch, let last = out.last {
                    out[out.count - 1].0 = last.0.lowerBound..<range.upperBound
                } else {
                    out.append((range, true))
                }
                previousMatch = isMatch
            }
        case .mergedWithPrevious:
            for (range, isMatch) in pieces {
                if isMatch && !previousMatch, let last = out.last {
                    out[out.count - 1].0 = last.0.lowerBound..<range.upperBound
                } else {
                    out.append((range, true))
                }
                previousMatch = isMatch
            }
        case .mergedWithNext:
            for (range, isMatch) in pieces.reversed() {
                if isMatch && !previousMatch, let last = out.last {
                    out[out.count - 1].0 = range.lowerBound..<last.0.upperBound
                } else {
                    out.append((range, true))
                }
                previousMatch = isMatch
            }
            out.reverse()
        }
        return out
    }
}

extension HFCharacterClasses {
    /// Rust's `char::is_numeric`: general categories Nd, Nl and No.
    static func isNumeric(_ c: UInt32) -> Bool {
        if c < 0x80 { return c >= 0x30 && c <= 0x39 }
        guard let s = Unicode.Scalar(c) else { return false }
        switch s.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }
}
