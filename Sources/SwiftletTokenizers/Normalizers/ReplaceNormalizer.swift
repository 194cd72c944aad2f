/// A `Replace` pattern from tokenizer.json: `{"String": …}` or `{"Regex": …}`.
enum ReplacePattern: Sendable {
    case literal([UInt32])
    case regex(SimpleRegex)

    init(_ json: JSONObject, key: String) throws {
        let pattern = try json.requiredObject(key)
        if let s = try pattern.string("String") {
            self = .literal(s.unicodeScalars.map(\.value))
        } else if let r = try pattern.string("Regex") {
            self = .regex(try SimpleRegex(r, path: pattern.fieldPath("Regex")))
        } else {
            throw TokenizerError.invalidField(pattern.path, "expected String or Regex")
        }
    }

    /// Non-overlapping matches, left to right.
    func matches(in s: UnsafeBufferPointer<UInt32>) -> [Range<Int>] {
        switch self {
        case .regex(let r):
            return r.matches(in: s)
        case .literal(let p):
            guard !p.isEmpty, p.count <= s.count else { return [] }
            var out: [Range<Int>] = []
            var i = 0
            while i + p.count <= s.count {
                var equal = true
                for k in 0..<p.count where s[i + k] != p[k] {
                    equal = false
                    break
                }
                if equal {
                    out.append(i..<(i + p.count))
                    i += p.count
                } else {
                    i += 1
                }
            }
            return out
        }
    }
}

/// HF's `Replace` normalizer. Every replacement character is aligned like HF's
/// `replace`: to the LAST character of the match it replaces.
struct ReplaceNormalizer: Normalizer {
    let pattern: ReplacePattern
    let content: [UInt32]

    init(_ json: JSONObject) throws {
        pattern = try ReplacePattern(json, key: "pattern")
        content = try json.requiredString("content").unicodeScalars.map(\.value)
    }

    func normalize(_ text: inout NormalizedText) {
        let found = text.scalars.withUnsafeBufferPointer { pattern.matches(in: $0) }
        guard !found.isEmpty else { return }
        var out = NormalizedText(reservingCapacity: text.count)
        out.originStart = text.originStart
        var last = 0
        for m in found {
            for k in last..<m.lowerBound { out.append(text.scalars[k], start: text.starts[k], end: text.ends[k]) }
            let (start, end): (Int32, Int32) = m.upperBound >= 1
                ? (text.starts[m.upperBound - 1], text.ends[m.upperBound - 1])
                : (text.originStart, text.originStart)
            for c in content { out.append(c, start: start, end: end) }
            last = m.upperBound
        }
        for k in last..<text.count { out.append(text.scalars[k], start: text.starts[k], end: text.ends[k]) }
        text = out
    }
}

/// HF's `Prepend`: adds a prefix to non-empty text; the prefix takes the first
/// character's alignment (HF's `prepend` replaces that character by prefix+itself).
struct PrependNormalizer: Normalizer {
    let prefix: [UInt32]

    func normalize(_ text: inout NormalizedText) {
        guard !text.isEmpty, !prefix.isEmpty else { return }
        var out = NormalizedText(reservingCapacity: text.count + prefix.count)
        out.originStart = text.originStart
        for c in prefix { out.append(c, start: text.starts[0], end: text.ends[0]) }
        for k in 0..<text.count { out.append(text.scalars[k], start: text.starts[k], end: text.ends[k]) }
        text = out
    }
}
