/// The small regular-expression subset found in tokenizer.json `Replace` and
/// `Split` patterns: a sequence of atoms — literal characters, escapes
/// (`\uXXXX`, `\x{…}`, `\t`, `\s`, `\d`, `\w`, `\p{…}`, `\P{…}`), `.` and
/// character classes — each with an optional greedy quantifier (`?`, `*`, `+`,
/// `{n}`, `{n,}`, `{n,m}`) — plus top-level alternation `a|b`. Anything else
/// (groups, anchors, lazy quantifiers, look-around) is rejected at load time
/// with the pattern named, rather than matched differently from HF.
struct SimpleRegex: Sendable {
    private let alternatives: [[Atom]]

    struct Atom: Sendable {
        var set: ScalarSet
        var min: Int
        var max: Int  // Int.max = unbounded
    }

    init(_ pattern: String, path: String) throws {
        var parser = RegexParser(Array(pattern.unicodeScalars.map(\.value)), pattern: pattern, path: path)
        alternatives = try parser.parse()
        // A match can only start where some alternative's first atom matches,
        // unless one can match empty there: then every position is a candidate.
        if alternatives.allSatisfy({ ($0.first?.min ?? 0) >= 1 }) {
            let sets = alternatives.map { $0[0].set }
            firstAtoms = sets
            var bits: (UInt64, UInt64) = (0, 0)
            for c in 0..<UInt32(128) where sets.contains(where: { $0.contains(c) }) {
                if c < 64 { bits.0 |= 1 << UInt64(c) } else { bits.1 |= 1 << UInt64(c - 64) }
            }
            firstASCII = bits
            // Sets made only of plain ranges bound every scalar that can start a match.
            var bound: UInt32 = 0
            for set in sets {
                guard !set.negated else { bound = .max; break }
                for item in set.items {
                    guard case .range(_, let hi) = item else { bound = .max; break }
                    bound = max(bound, hi)
                }
            }
            firstBound = bound
        } else {
            firstAtoms = nil
            firstASCII = (~0, ~0)
            firstBound = .max
        }
    }

    /// First-atom sets used to skip hopeless start positions (nil: none can be skipped).
    private let firstAtoms: [ScalarSet]?
    /// The ASCII part of `firstAtoms` as a bitmap: most text is skipped by a bit
    /// test instead of a walk over set items (all bits set when nothing can be skipped).
    private let firstASCII: (UInt64, UInt64)
    /// No scalar above this can start a match.
    private let firstBound: UInt32

    /// Leftmost match starting at or after `from` (first alternative that
    /// matches wins, as in backtracking engines); empty matches allowed.
    func firstMatch(in s: UnsafeBufferPointer<UInt32>, from: Int) -> Range<Int>? {
        if let atom = singleAtom { return firstRun(of: atom, in: s, from: from) }
        var start = from
        while start <= s.count {
            if let firstAtoms {
                guard start < s.count else { return nil }
                let c = s[start]
                if c < 128 {
                    let word = c < 64 ? firstASCII.0 : firstASCII.1
                    if word & (1 << UInt64(c & 63)) == 0 {
                        start += 1
                        continue
                    }
                } else if c > firstBound || !firstAtoms.contains(where: { $0.contains(c) }) {
                    start += 1
                    continue
                }
            }
            for atoms in alternatives {
                if let end = match(atoms, 0, s, start) { return start..<end }
            }
            start += 1
        }
        return nil
    }

    /// A pattern that is one quantified atom (e.g. `" {2,}"`), matched as a scan
    /// for runs: a greedy run of at least `min` members, cut at `max`.
    private var singleAtom: Atom? {
        guard alternatives.count == 1, alternatives[0].count == 1, alternatives[0][0].min >= 1 else { return nil }
        return alternatives[0][0]
    }

    private func firstRun(of atom: Atom, in s: UnsafeBufferPointer<UInt32>, from: Int) -> Range<Int>? {
        var i = from
        while i < s.count {
            let c = s[i]
            let member: Bool
            if c < 128 {
                member = (c < 64 ? firstASCII.0 : firstASCII.1) & (1 << UInt64(c & 63)) != 0
            } else {
                member = c <= firstBound && atom.set.contains(c)
            }
            guard member else {
                i += 1
                continue
            }
            var j = i + 1
            while j < s.count && j - i < atom.max && atom.set.contains(s[j]) { j += 1 }
            if j - i >= atom.min { return i..<j }
            // Too short: no later start inside this run can be longer.
            i = j
        }
        return nil
    }

    /// All non-overlapping matches, left to right (an empty match advances by one).
    func matches(in s: UnsafeBufferPointer<UInt32>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var from = 0
        while from <= s.count, let m = firstMatch(in: s, from: from) {
            out.append(m)
            from = m.isEmpty ? m.upperBound + 1 : m.upperBound
        }
        return out
    }

    private func match(_ atoms: [Atom], _ k: Int, _ s: UnsafeBufferPointer<UInt32>, _ i: Int) -> Int? {
        if k == atoms.count { return i }
        let atom = atoms[k]
        var count = 0
        var j = i
        while count < atom.max && j < s.count && atom.set.contains(s[j]) {
            count += 1
            j += 1
        }
        // Greedy: try the longest run first, then give back one at a time.
        while count >= atom.min {
            if let end = match(atoms, k + 1, s, i + count) { return end }
            if count == 0 { break }
            count -= 1
        }
        return nil
    }
}

/// A set of scalars: explicit ranges and Unicode classes, possibly negated.
struct ScalarSet: Sendable {
    enum Item: Sendable {
        case range(UInt32, UInt32)
        case category(Set<Unicode.GeneralCategory>, negated: Bool)
        case whitespace(negated: Bool)
        case digit(negated: Bool)
        case word(negated: Bool)
        case any  // '.' : everything except newline
    }

    let items: [Item]
    let negated: Bool
    /// Membership of U+0000…U+FFFF as bits, precomputed when the set needs
    /// Unicode property lookups (each costs far more than a bit test).
    private let bmp: [UInt64]?

    init(items: [Item], negated: Bool) {
        self.items = items
        self.negated = negated
        let needsProperties = items.contains {
            switch $0 {
            case .category, .digit, .word: return true
            default: return false
            }
        }
        if needsProperties {
            var bits = [UInt64](repeating: 0, count: 0x10000 / 64)
            let probe = ScalarSet(uncached: items, negated: negated)
            for c in 0..<UInt32(0x10000) where probe.contains(c) { bits[Int(c >> 6)] |= 1 << UInt64(c & 63) }
            bmp = bits
        } else {
            bmp = nil
        }
    }

    private init(uncached items: [Item], negated: Bool) {
        self.items = items
        self.negated = negated
        bmp = nil
    }

    @inline(__always)
    func contains(_ c: UInt32) -> Bool {
        if let bmp, c < 0x10000 { return bmp[Int(c >> 6)] & (1 << UInt64(c & 63)) != 0 }
        return containsUncached(c)
    }

    private func containsUncached(_ c: UInt32) -> Bool {
        var hit = false
        for item in items {
            if Self.matches(item, c) {
                hit = true
                break
            }
        }
        return hit != negated
    }

    private static func matches(_ item: Item, _ c: UInt32) -> Bool {
        switch item {
        case .range(let lo, let hi):
            return c >= lo && c <= hi
        case .category(let cats, let negated):
            guard let s = Unicode.Scalar(c) else { return negated }
            return cats.contains(s.properties.generalCategory) != negated
        case .whitespace(let negated):
            return HFCharacterClasses.isWhitespace(c) != negated
        case .digit(let negated):
            guard let s = Unicode.Scalar(c) else { return negated }
            return (s.properties.generalCategory == .decimalNumber) != negated
        case .word(let negated):
            return HFCharacterClasses.isWordCharacter(c) != negated
        case .any:
            return c != 0x0A
        }
    }
}

private struct RegexParser {
    let s: [UInt32]
    let pattern: String
    let path: String
    var i = 0

    init(_ s: [UInt32], pattern: String, path: String) {
        self.s = s
        self.pattern = pattern
        self.path = path
    }

    func unsupported(_ why: String) -> TokenizerError {
        .invalidField(path, "regex \(pattern.debugDescription): \(why) is not supported")
    }

    mutating func parse() throws -> [[Atom]] {
        var alternatives: [[SimpleRegex.Atom]] = [[]]
        while i < s.count {
            let c = s[i]
            switch c {
            case 0x7C:  // |
                i += 1
                alternatives.append([])
                continue
            case 0x28, 0x29:
                throw unsupported("a group")
            case 0x5E, 0x24:
                throw unsupported("an anchor")
            case 0x2A, 0x2B, 0x3F, 0x7B:
                throw unsupported("a quantifier without an atom")
            default:
                break
            }
            let set = try parseAtom()
            var atom = SimpleRegex.Atom(set: set, min: 1, max: 1)
            try parseQuantifier(&atom)
            alternatives[alternatives.count - 1].append(atom)
        }
        return alternatives
    }

    typealias Atom = SimpleRegex.Atom

    mutating func parseAtom() throws -> ScalarSet {
        let c = s[i]
        i += 1
        switch c {
        case 0x2E:
            return ScalarSet(items: [.any], negated: false)
        case 0x5B:
            return try parseClass()
        case 0x5C:
            return ScalarSet(items: [try parseEscape()], negated: false)
        default:
            return ScalarSet(items: [.range(c, c)], negated: false)
        }
    }

    mutating func parseQuantifier(_ atom: inout Atom) throws {
        guard i < s.count else { return }
        switch s[i] {
        case 0x3F: atom.min = 0; atom.max = 1; i += 1
        case 0x2A: atom.min = 0; atom.max = .max; i += 1
        case 0x2B: atom.min = 1; atom.max = .max; i += 1
        case 0x7B:
            i += 1
            let lo = try number()
            var hi = lo
            if i < s.count && s[i] == 0x2C {
                i += 1
                hi = (i < s.count && s[i] == 0x7D) ? .max : try number()
            }
            guard i < s.count && s[i] == 0x7D else { throw unsupported("this repetition") }
            i += 1
            atom.min = lo
            atom.max = hi
        default:
            return
        }
        if i < s.count && (s[i] == 0x3F || s[i] == 0x2B) { throw unsupported("a lazy or possessive quantifier") }
    }

    mutating func number() throws -> Int {
        var v = 0
        let start = i
        while i < s.count && s[i] >= 0x30 && s[i] <= 0x39 {
            v = v * 10 + Int(s[i] - 0x30)
            i += 1
        }
        guard i > start else { throw unsupported("this repetition") }
        return v
    }

    mutating func parseClass() throws -> ScalarSet {
        var items: [ScalarSet.Item] = []
        var negated = false
        if i < s.count && s[i] == 0x5E {
            negated = true
            i += 1
        }
        var first = true
        while i < s.count {
            let c = s[i]
            if c == 0x5D && !first {
                i += 1
                return ScalarSet(items: items, negated: negated)
            }
            first = false
            if c == 0x5B { throw unsupported("a nested class") }
            i += 1
            var lo: UInt32
            if c == 0x5C {
                let item = try parseEscape()
                guard case .range(let a, let b) = item, a == b else {
                    items.append(item)
                    continue
                }
                lo = a
            } else {
                lo = c
            }
            if i + 1 < s.count && s[i] == 0x2D && s[i + 1] != 0x5D {
                i += 1
                var hi = s[i]
                i += 1
                if hi == 0x5C {
                    guard case .range(let a, let b) = try parseEscape(), a == b else { throw unsupported("this class range") }
                    hi = a
                }
                guard lo <= hi else { throw unsupported("a reversed class range") }
                items.append(.range(lo, hi))
            } else {
                items.append(.range(lo, lo))
            }
        }
        throw unsupported("an unterminated class")
    }

    /// After the backslash.
    mutating func parseEscape() throws -> ScalarSet.Item {
        guard i < s.count else { throw unsupported("a trailing backslash") }
        let c = s[i]
        i += 1
        switch c {
        case 0x74: return .range(0x09, 0x09)  // t
        case 0x6E: return .range(0x0A, 0x0A)  // n
        case 0x72: return .range(0x0D, 0x0D)  // r
        case 0x66: return .range(0x0C, 0x0C)  // f
        case 0x76: return .range(0x0B, 0x0B)  // v
        case 0x73: return .whitespace(negated: false)  // s
        case 0x53: return .whitespace(negated: true)
        case 0x64: return .digit(negated: false)  // d
        case 0x44: return .digit(negated: true)
        case 0x77: return .word(negated: false)  // w
        case 0x57: return .word(negated: true)
        case 0x75:  // uXXXX
            guard i + 4 <= s.count, let v = UInt32(String(decodingScalars: s[i..<(i + 4)]), radix: 16) else {
                throw unsupported("this \\u escape")
            }
            i += 4
            return .range(v, v)
        case 0x78:  // x{…} or xHH
            if i < s.count && s[i] == 0x7B {
                guard let close = s[i...].firstIndex(of: 0x7D),
                    let v = UInt32(String(decodingScalars: s[(i + 1)..<close]), radix: 16)
                else { throw unsupported("this \\x escape") }
                i = close + 1
                return .range(v, v)
            }
            guard i + 2 <= s.count, let v = UInt32(String(decodingScalars: s[i..<(i + 2)]), radix: 16) else {
                throw unsupported("this \\x escape")
            }
            i += 2
            return .range(v, v)
        case 0x70, 0x50:  // p{…} / P{…}
            let negated = c == 0x50
            let name: String
            if i < s.count && s[i] == 0x7B {
                guard let close = s[i...].firstIndex(of: 0x7D) else { throw unsupported("this \\p escape") }
                name = String(decodingScalars: s[(i + 1)..<close])
                i = close + 1
            } else {
                guard i < s.count else { throw unsupported("this \\p escape") }
                name = String(decodingScalars: [s[i]])
                i += 1
            }
            guard let cats = Self.categories[name] else { throw unsupported("the class \\p{\(name)}") }
            return .category(cats, negated: negated)
        default:
            let isAlnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
            if isAlnum { throw unsupported("the escape \\\(String(decodingScalars: [c]))") }
            return .range(c, c)
        }
    }

    static let categories: [String: Set<Unicode.GeneralCategory>] = {
        let groups: [String: [(String, Unicode.GeneralCategory)]] = [
            "L": [("Lu", .uppercaseLetter), ("Ll", .lowercaseLetter), ("Lt", .titlecaseLetter), ("Lm", .modifierLetter), ("Lo", .otherLetter)],
            "M": [("Mn", .nonspacingMark), ("Mc", .spacingMark), ("Me", .enclosingMark)],
            "N": [("Nd", .decimalNumber), ("Nl", .letterNumber), ("No", .otherNumber)],
            "P": [("Pc", .connectorPunctuation), ("Pd", .dashPunctuation), ("Ps", .openPunctuation), ("Pe", .closePunctuation),
                  ("Pi", .initialPunctuation), ("Pf", .finalPunctuation), ("Po", .otherPunctuation)],
            "S": [("Sm", .mathSymbol), ("Sc", .currencySymbol), ("Sk", .modifierSymbol), ("So", .otherSymbol)],
            "Z": [("Zs", .spaceSeparator), ("Zl", .lineSeparator), ("Zp", .paragraphSeparator)],
            "C": [("Cc", .control), ("Cf", .format), ("Cs", .surrogate), ("Co", .privateUse), ("Cn", .unassigned)],
        ]
        var table: [String: Set<Unicode.GeneralCategory>] = [:]
        for (group, members) in groups {
            table[group] = Set(members.map(\.1))
            for (name, cat) in members { table[name] = [cat] }
        }
        return table
    }()
}
