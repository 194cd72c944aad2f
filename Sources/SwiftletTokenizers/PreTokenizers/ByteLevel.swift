/// GPT-2's byte-level scheme: every UTF-8 byte is shown as a printable
/// character (printable Latin-1 bytes as themselves, the rest as U+0100 + n),
/// so a BPE vocabulary over these characters covers any text.
enum ByteLevelAlphabet {
    /// Character for each byte.
    static let charForByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            if (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b) {
                table[b] = UInt32(b)
            } else {
                table[b] = next
                next += 1
            }
        }
        return table
    }()

    /// Byte for each character of the alphabet (-1 elsewhere), indexed below U+0144.
    static let byteForChar: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (b, c) in charForByte.enumerated() { table[Int(c)] = Int16(b) }
        return table
    }()
}

/// HF's `ByteLevel` pre-tokenizer: optionally a space before each word, the
/// GPT-2 split (contractions, letter runs, number runs, other runs — each with
/// one optional leading space — and whitespace runs), then every piece rewritten
/// as byte characters, each aligned to the character it came from.
struct ByteLevelPreTokenizer: PreTokenizer {
    let addPrefixSpace: Bool
    let useRegex: Bool

    init(_ json: JSONObject) throws {
        addPrefixSpace = try json.bool("add_prefix_space") ?? true
        useRegex = try json.bool("use_regex") ?? true
    }

    func split(_ text: inout NormalizedText, words: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var s: [UInt32] = []
        var starts: [Int32] = []
        var ends: [Int32] = []
        for word in words where !word.isEmpty {
            s.removeAll(keepingCapacity: true)
            starts.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            let first = word.lowerBound
            if addPrefixSpace && text.scalars[first] != 0x20 {
                // HF's prepend: the space takes the first character's alignment.
                s.append(0x20)
                starts.append(text.starts[first])
                ends.append(text.ends[first])
            }
            for k in word {
                s.append(text.scalars[k])
                starts.append(text.starts[k])
                ends.append(text.ends[k])
            }
            let pieces = useRegex ? Self.gpt2Pieces(s) : [0..<s.count]
            for piece in pieces where !piece.isEmpty {
                let base = text.count
                for k in piece {
                    var buffer: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
                    let count = withUnsafeMutableBytes(of: &buffer) { bytes -> Int in
                        var n = 0
                        UTF8.encode(Unicode.Scalar(s[k]) ?? "\u{FFFD}") { bytes[n] = $0; n += 1 }
                        return n
                    }
                    withUnsafeBytes(of: buffer) { bytes in
                        for b in 0..<count {
                            text.append(ByteLevelAlphabet.charForByte[Int(bytes[b])], start: starts[k], end: ends[k])
                        }
                    }
                }
                out.append(base..<text.count)
            }
        }
        return out
    }

    private enum Kind { case letter, number, space, other }

    private static func kind(_ c: UInt32) -> Kind {
        if HFCharacterClasses.isWhitespace(c) { return .space }
        if c < 0x80 {
            if (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) { return .letter }
            if c >= 0x30 && c <= 0x39 { return .number }
            return .other
        }
        guard let scalar = Unicode.Scalar(c) else { return .other }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        default: return .other
        }
    }

    /// Matches of `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`,
    /// tried in that order at each position (what HF's Oniguruma regex does).
    static func gpt2Pieces(_ s: [UInt32]) -> [Range<Int>] {
        let n = s.count
        let kinds = s.map(kind)
        var out: [Range<Int>] = []
        var i = 0
        while i < n {
            if s[i] == 0x27 && i + 1 < n {
                let a = s[i + 1]
                if a == 0x73 || a == 0x74 || a == 0x6D || a == 0x64 {  // s t m d
                    out.append(i..<(i + 2)); i += 2; continue
                }
                if i + 2 < n {
                    let b = s[i + 2]
                    if (a == 0x72 && b == 0x65) || (a == 0x76 && b == 0x65) || (a == 0x6C && b == 0x6C) {  // re ve ll
                        out.append(i..<(i + 3)); i += 3; continue
                    }
                }
            }
            // ` ?X+` for X in letters, numbers, others.
            let lead = s[i] == 0x20 && i + 1 < n && kinds[i + 1] != .space ? 1 : 0
            let k = kinds[i + lead]
            if k != .space {
                var j = i + lead
                while j < n && kinds[j] == k { j += 1 }
                out.append(i..<j)
                i = j
                continue
            }
            // Whitespace: leave the last one for a following word (`\s+(?!\S)`).
            var j = i
            while j < n && kinds[j] == .space { j += 1 }
            if j < n && j - i > 1 { j -= 1 }
            out.append(i..<j)
            i = j
        }
        return out
    }
}

/// HF's `ByteLevel` decoder: byte characters back to bytes (a token with any
/// other character contributes its own UTF-8), decoded with replacement.
struct ByteLevelDecoder: ChainDecoder {
    func decodeChain(_ tokens: [String]) -> [String] {
        var bytes: [UInt8] = []
        for token in tokens {
            let mark = bytes.count
            var ok = true
            for s in token.unicodeScalars {
                let v = Int(s.value)
                guard v < ByteLevelAlphabet.byteForChar.count, ByteLevelAlphabet.byteForChar[v] >= 0 else {
                    ok = false
                    break
                }
                bytes.append(UInt8(ByteLevelAlphabet.byteForChar[v]))
            }
            if !ok {
                bytes.removeSubrange(mark...)
                bytes.append(contentsOf: token.utf8)
            }
        }
        return [String(decoding: bytes, as: UTF8.self)]
    }
}

/// HF's `ByteLevel` post-processor: offsets trimmed of byte-level spaces, no tokens added.
struct ByteLevelPostProcessor: PostProcessor {
    let trimOffsets: Bool
    let addPrefixSpace: Bool

    init(_ json: JSONObject) throws {
        trimOffsets = try json.bool("trim_offsets") ?? true
        addPrefixSpace = try json.bool("add_prefix_space") ?? true
    }

    func addedTokenCount(isPair: Bool) -> Int { 0 }

    func trim(_ e: inout Encoding) {
        if trimOffsets { ByteLevelOffsets.trim(&e, addPrefixSpace: addPrefixSpace) }
    }

    func process(_ first: Encoding, _ second: Encoding?, addSpecialTokens: Bool) -> Encoding {
        var out = first
        trim(&out)
        if var b = second {
            trim(&b)
            out.append(contentsOf: b)
        }
        return out
    }
}

/// HF's `Sequence` post-processor, in the shape real files use: byte-level
/// offset trimming first, then at most one processor that adds tokens.
struct SequencePostProcessor: PostProcessor {
    let trims: [ByteLevelPostProcessor]
    let last: PostProcessor?

    init(_ json: JSONObject) throws {
        guard let items = try json.objects("processors") else {
            throw TokenizerError.missingField(json.fieldPath("processors"))
        }
        var trims: [ByteLevelPostProcessor] = []
        var last: PostProcessor?
        for (i, item) in items.enumerated() {
            if try item.type() == "ByteLevel" && last == nil {
                trims.append(try ByteLevelPostProcessor(item))
            } else if last == nil && i == items.count - 1 {
                last = try PostProcessorFactory.make(item)
            } else {
                throw TokenizerError.invalidField(item.path, "only ByteLevel steps may precede the last step of a Sequence post-processor")
            }
        }
        self.trims = trims
        self.last = last
    }

    func addedTokenCount(isPair: Bool) -> Int { last?.addedTokenCount(isPair: isPair) ?? 0 }

    func process(_ first: Encoding, _ second: Encoding?, addSpecialTokens: Bool) -> Encoding {
        var a = first
        var b = second
        for t in trims {
            t.trim(&a)
            if b != nil { t.trim(&b!) }
        }
        if let last { return last.process(a, b, addSpecialTokens: addSpecialTokens) }
        if let b { a.append(contentsOf: b) }
        return a
    }
}
