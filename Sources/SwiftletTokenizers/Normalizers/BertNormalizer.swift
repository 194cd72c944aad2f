/// HF's BertNormalizer: clean_text, handle_chinese_chars, strip_accents, lowercase,
/// in that order. The four passes are fused into one walk over the scalars since
/// each is a per-character mapping; only canonical reordering spans characters.
struct BertNormalizer: Normalizer {
    let cleanText: Bool
    let handleChineseChars: Bool
    let stripAccents: Bool
    let lowercase: Bool

    init(cleanText: Bool = true, handleChineseChars: Bool = true, stripAccents: Bool? = nil, lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseChars = handleChineseChars
        // HF: an unset strip_accents follows lowercase.
        self.stripAccents = stripAccents ?? lowercase
        self.lowercase = lowercase
    }

    init(_ json: JSONObject) throws {
        self.init(
            cleanText: try json.bool("clean_text") ?? true,
            handleChineseChars: try json.bool("handle_chinese_chars") ?? true,
            stripAccents: try json.bool("strip_accents"),
            lowercase: try json.bool("lowercase") ?? true)
    }

    func normalize(_ text: inout NormalizedText) {
        let n = text.count
        var out = NormalizedText(reservingCapacity: n + n / 4)
        var decomposed: [UInt32] = []
        var needsReorder = false
        for i in 0..<n {
            let c = text.scalars[i]
            let start = text.starts[i]
            let end = text.ends[i]
            if c < 0x80 {
                if cleanText {
                    if c == 0x09 || c == 0x0A || c == 0x0D {
                        out.append(0x20, start: start, end: end)
                        continue
                    }
                    if c < 0x20 || c == 0x7F { continue }
                }
                out.append(lowercase && c >= 0x41 && c <= 0x5A ? c + 0x20 : c, start: start, end: end)
                continue
            }
            if cleanText {
                if HFCharacterClasses.isCleanTextRemoved(c) { continue }
                if HFCharacterClasses.isWhitespace(c) {
                    out.append(0x20, start: start, end: end)
                    continue
                }
            }
            let padded = handleChineseChars && HFCharacterClasses.isChineseChar(c)
            if padded { out.append(0x20, start: start, end: end) }
            if stripAccents {
                decomposed.removeAll(keepingCapacity: true)
                Decomposition.decompose(c, compatibility: false, into: &decomposed)
                for d in decomposed where !HFCharacterClasses.isNonspacingMark(d) {
                    if d >= 0x300 && Decomposition.combiningClass(d) != 0 { needsReorder = true }
                    emit(d, start: start, end: end, to: &out)
                }
            } else {
                emit(c, start: start, end: end, to: &out)
            }
            if padded { out.append(0x20, start: start, end: end) }
        }
        if needsReorder { Decomposition.reorder(&out) }
        text = out
    }

    @inline(__always)
    private func emit(_ c: UInt32, start: Int32, end: Int32, to out: inout NormalizedText) {
        if lowercase {
            LowercaseNormalizer.appendLowercased(c, start: start, end: end, to: &out)
        } else {
            out.append(c, start: start, end: end)
        }
    }
}
