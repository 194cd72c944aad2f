/// Character classes exactly as Hugging Face `tokenizers` (v0.23) sees them.
///
/// HF classifies categories with the `unicode_categories` crate, whose tables are
/// years older than the Unicode data in Swift's standard library. Using Swift's
/// current properties alone would split or strip characters that HF leaves intact,
/// so the differences below were measured by probing HF on every code point and
/// are applied as exceptions on top of Swift's properties.
enum HFCharacterClasses {
    // MARK: clean_text

    /// Code points BertNormalizer's clean_text removes (U+0000, U+FFFD and what HF
    /// counts as control: Cc, Cf and Co in its tables, minus tab/newline/return).
    /// Measured directly, so no Swift property is involved.
    static let cleanTextRemoved: [ClosedRange<UInt32>] = [
        0x0...0x8, 0xB...0xC, 0xE...0x1F, 0x7F...0x9F, 0xAD...0xAD, 0x600...0x605,
        0x61C...0x61C, 0x6DD...0x6DD, 0x70F...0x70F, 0x180E...0x180E, 0x200B...0x200F,
        0x202A...0x202E, 0x2060...0x2064, 0x2066...0x206F, 0xE000...0xF8FF, 0xFEFF...0xFEFF,
        0xFFF9...0xFFFB, 0xFFFD...0xFFFD, 0x110BD...0x110BD, 0x1BCA0...0x1BCA3,
        0x1D173...0x1D17A, 0xE0001...0xE0001, 0xE0020...0xE007F, 0xF0000...0xFFFFD,
        0x100000...0x10FFFD,
    ]

    @inline(__always)
    static func isCleanTextRemoved(_ c: UInt32) -> Bool {
        if c < 0x80 { return (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) || c == 0x7F }
        if c < 0xA0 { return true }
        if c < 0x600 { return c == 0xAD }
        return contains(cleanTextRemoved, c)
    }

    // MARK: whitespace

    /// Rust's `char::is_whitespace` (White_Space); identical to Swift's property.
    @inline(__always)
    static func isWhitespace(_ c: UInt32) -> Bool {
        if c < 0x80 { return c == 0x20 || (c >= 0x09 && c <= 0x0D) }
        // The Unicode White_Space property (Rust's char::is_whitespace), spelled
        // out: the stdlib property lookup dominated pre-tokenizing non-ASCII text.
        if c < 0x1680 { return c == 0x85 || c == 0xA0 }
        if c < 0x2000 { return c == 0x1680 }
        if c <= 0x200A { return true }
        return c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000
    }

    // MARK: CJK

    /// The "Chinese character" blocks BertNormalizer pads with spaces. HF's set
    /// differs from Google's original BERT in the extension-D/E boundary.
    @inline(__always)
    static func isChineseChar(_ c: UInt32) -> Bool {
        switch c {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
            0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    // MARK: punctuation

    /// Punctuation (P*) in current Unicode that HF does not treat as punctuation.
    static let punctuationNotInHF: [ClosedRange<UInt32>] = [
        0x61D...0x61D, 0x9FD...0x9FD, 0xA76...0xA76, 0xC77...0xC77, 0xC84...0xC84,
        0x1B4E...0x1B4F, 0x1B7D...0x1B7F, 0x2E43...0x2E4F, 0x2E52...0x2E5D, 0x10D6E...0x10D6E,
        0x10EAD...0x10EAD, 0x10ED0...0x10ED0, 0x10F55...0x10F59, 0x10F86...0x10F89,
        0x113D4...0x113D5, 0x113D7...0x113D8, 0x1144B...0x1144F, 0x1145A...0x1145B,
        0x1145D...0x1145D, 0x11660...0x1166C, 0x116B9...0x116B9, 0x1183B...0x1183B,
        0x11944...0x11946, 0x119E2...0x119E2, 0x11A3F...0x11A46, 0x11A9A...0x11A9C,
        0x11A9E...0x11AA2, 0x11B00...0x11B09, 0x11BE1...0x11BE1, 0x11C41...0x11C45,
        0x11C70...0x11C71, 0x11EF7...0x11EF8, 0x11F43...0x11F4F, 0x11FFF...0x11FFF,
        0x12FF1...0x12FF2, 0x16D6D...0x16D6F, 0x16E97...0x16E9A, 0x16FE2...0x16FE2,
        0x1E5FF...0x1E5FF, 0x1E95E...0x1E95F,
    ]
    /// Characters HF's older tables still list as punctuation.
    static let punctuationOnlyInHF: Set<UInt32> = [0x166D, 0x111C9]

    /// BertPreTokenizer's `is_bert_punc`: ASCII punctuation (which includes symbols
    /// such as `$+<=>^|~`) or Unicode punctuation categories.
    @inline(__always)
    static func isBertPunctuation(_ c: UInt32) -> Bool {
        if c < 0x80 {
            return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40)
                || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E)
        }
        return isUnicodePunctuation(c)
    }

    static func isUnicodePunctuation(_ c: UInt32) -> Bool {
        guard let s = Unicode.Scalar(c) else { return false }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return c < 0x600 || !contains(punctuationNotInHF, c)
        default:
            return punctuationOnlyInHF.contains(c)
        }
    }

    // MARK: nonspacing marks

    /// Nonspacing marks (Mn) in current Unicode that HF's strip_accents keeps.
    static let nonspacingMarkNotInHF: [ClosedRange<UInt32>] = [
        0x7FD...0x7FD, 0x897...0x89F, 0x8CA...0x8E1, 0x9FE...0x9FE, 0xAFA...0xAFF,
        0xB55...0xB55, 0xC04...0xC04, 0xC3C...0xC3C, 0xD00...0xD00, 0xD3B...0xD3C,
        0xD81...0xD81, 0xEBA...0xEBA, 0xECE...0xECE, 0x180F...0x180F, 0x1885...0x1886,
        0x1ABF...0x1ADD, 0x1AE0...0x1AEB, 0x1DF6...0x1DFB, 0xA82C...0xA82C, 0xA8C5...0xA8C5,
        0xA8FF...0xA8FF, 0xA9BD...0xA9BD, 0x10D24...0x10D27, 0x10D69...0x10D6D,
        0x10EAB...0x10EAC, 0x10EFA...0x10EFF, 0x10F46...0x10F50, 0x10F82...0x10F85,
        0x11070...0x11070, 0x11073...0x11074, 0x110C2...0x110C2, 0x111C9...0x111C9,
        0x111CF...0x111CF, 0x1123E...0x1123E, 0x11241...0x11241, 0x1133B...0x1133B,
        0x113BB...0x113C0, 0x113CE...0x113CE, 0x113D0...0x113D0, 0x113D2...0x113D2,
        0x113E1...0x113E2, 0x11438...0x1143F, 0x11442...0x11444, 0x11446...0x11446,
        0x1145E...0x1145E, 0x1182F...0x11837, 0x11839...0x1183A, 0x1193B...0x1193C,
        0x1193E...0x1193E, 0x11943...0x11943, 0x119D4...0x119D7, 0x119DA...0x119DB,
        0x119E0...0x119E0, 0x11A01...0x11A0A, 0x11A33...0x11A38, 0x11A3B...0x11A3E,
        0x11A47...0x11A47, 0x11A51...0x11A56, 0x11A59...0x11A5B, 0x11A8A...0x11A96,
        0x11A98...0x11A99, 0x11B60...0x11B60, 0x11B62...0x11B64, 0x11B66...0x11B66,
        0x11C30...0x11C36, 0x11C38...0x11C3D, 0x11C3F...0x11C3F, 0x11C92...0x11CA7,
        0x11CAA...0x11CB0, 0x11CB2...0x11CB3, 0x11CB5...0x11CB6, 0x11D31...0x11D36,
        0x11D3A...0x11D3A, 0x11D3C...0x11D3D, 0x11D3F...0x11D45, 0x11D47...0x11D47,
        0x11D90...0x11D91, 0x11D95...0x11D95, 0x11D97...0x11D97, 0x11EF3...0x11EF4,
        0x11F00...0x11F01, 0x11F36...0x11F3A, 0x11F40...0x11F40, 0x11F42...0x11F42,
        0x11F5A...0x11F5A, 0x13440...0x13440, 0x13447...0x13455, 0x1611E...0x16129,
        0x1612D...0x1612F, 0x16F4F...0x16F4F, 0x16FE4...0x16FE4, 0x1CF00...0x1CF2D,
        0x1CF30...0x1CF46, 0x1E000...0x1E006, 0x1E008...0x1E018, 0x1E01B...0x1E021,
        0x1E023...0x1E024, 0x1E026...0x1E02A, 0x1E08F...0x1E08F, 0x1E130...0x1E136,
        0x1E2AE...0x1E2AE, 0x1E2EC...0x1E2EF, 0x1E4EC...0x1E4EF, 0x1E5EE...0x1E5EF,
        0x1E6E3...0x1E6E3, 0x1E6E6...0x1E6E6, 0x1E6EE...0x1E6EF, 0x1E6F5...0x1E6F5,
        0x1E944...0x1E94A,
    ]
    /// Spacing marks HF's older tables classify as nonspacing.
    static let nonspacingMarkOnlyInHF: Set<UInt32> = [0x1734, 0x1171E]

    /// `char::is_mark_nonspacing` as HF's tables define it.
    @inline(__always)
    static func isNonspacingMark(_ c: UInt32) -> Bool {
        if c < 0x300 { return false }
        guard let s = Unicode.Scalar(c) else { return false }
        if s.properties.generalCategory == .nonspacingMark {
            return c < 0x7FD || !contains(nonspacingMarkNotInHF, c)
        }
        return nonspacingMarkOnlyInHF.contains(c)
    }

    /// Any combining mark (M*), used by the StripAccents normalizer.
    static func isCombiningMark(_ c: UInt32) -> Bool {
        if c < 0x300 { return false }
        guard let s = Unicode.Scalar(c) else { return false }
        switch s.properties.generalCategory {
        case .nonspacingMark:
            return c < 0x7FD || !contains(nonspacingMarkNotInHF, c)
        case .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    // MARK: regex classes used by added-token matching

    /// Rust regex `\w` (Unicode word character).
    static func isWordCharacter(_ c: UInt32) -> Bool {
        if c < 0x80 {
            return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
        }
        guard let s = Unicode.Scalar(c) else { return false }
        let p = s.properties
        if p.isAlphabetic || p.isJoinControl { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation:
            return true
        default:
            return false
        }
    }

    // MARK: helpers

    /// Binary search in sorted, disjoint ranges.
    static func contains(_ ranges: [ClosedRange<UInt32>], _ c: UInt32) -> Bool {
        var lo = 0
        var hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            let r = ranges[mid]
            if c < r.lowerBound {
                hi = mid
            } else if c > r.upperBound {
                lo = mid + 1
            } else {
                return true
            }
        }
        return false
    }
}
