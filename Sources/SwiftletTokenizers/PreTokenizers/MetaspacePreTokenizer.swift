/// HF's `Metaspace`: spaces (U+0020 only) become the replacement character,
/// the replacement is prepended per `prepend_scheme`, and with `split` each
/// word is cut before every replacement character (merged with what follows).
struct MetaspacePreTokenizer: PreTokenizer {
    enum PrependScheme: String, Sendable { case always, first, never }

    let replacement: UInt32
    let scheme: PrependScheme
    let split: Bool

    init(_ json: JSONObject) throws {
        let r = try json.string("replacement") ?? "\u{2581}"
        guard r.unicodeScalars.count == 1, let scalar = r.unicodeScalars.first else {
            throw TokenizerError.invalidField(json.fieldPath("replacement"), "expected a single character")
        }
        replacement = scalar.value
        if let name = try json.string("prepend_scheme") {
            guard let s = PrependScheme(rawValue: name) else {
                throw TokenizerError.invalidField(json.fieldPath("prepend_scheme"), "unknown scheme \"\(name)\"")
            }
            scheme = s
        } else {
            // Files older than prepend_scheme carry add_prefix_space.
            scheme = (try json.bool("add_prefix_space") ?? true) ? .always : .never
        }
        split = try json.bool("split") ?? true
    }

    func split(_ text: inout NormalizedText, words: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        out.reserveCapacity(words.count)
        // Every word is rewritten at the end of `text`: room for all of it at once.
        text.reserveCapacity(text.count + words.reduce(0) { $0 + $1.count + 1 })
        for word in words where !word.isEmpty {
            // The rewritten word goes at the end of `text`; ranges point there.
            let first = word.lowerBound
            let prepend: Bool
            switch scheme {
            case .always: prepend = text.scalars[first] != replacement && text.scalars[first] != 0x20
            case .first: prepend = text.scalars[first] != replacement && text.scalars[first] != 0x20 && text.starts[first] == 0
            case .never: prepend = false
            }
            let base = text.count
            if prepend { text.append(replacement, start: text.starts[first], end: text.ends[first]) }
            for k in word {
                let c = text.scalars[k]
                text.append(c == 0x20 ? replacement : c, start: text.starts[k], end: text.ends[k])
            }
            let stop = text.count
            guard split else {
                out.append(base..<stop)
                continue
            }
            var start = base
            for k in (base + 1)..<max(stop, base + 1) where text.scalars[k] == replacement {
                out.append(start..<k)
                start = k
            }
            if start < stop { out.append(start..<stop) }
        }
        return out
    }
}
