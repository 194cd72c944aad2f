/// Decoders that HF composes in a `Sequence`: each maps the token list to a new
/// token list (`decode_chain`); the final list is concatenated.
protocol ChainDecoder: Decoder {
    func decodeChain(_ tokens: [String]) -> [String]
}

extension ChainDecoder {
    func decode(_ tokens: [String]) -> String { decodeChain(tokens).joined() }
}

struct SequenceDecoder: ChainDecoder {
    let steps: [ChainDecoder]

    func decodeChain(_ tokens: [String]) -> [String] {
        steps.reduce(tokens) { $1.decodeChain($0) }
    }
}

/// Metaspace: the replacement becomes a space, except in the first token when a
/// prefix space was added at encoding time.
struct MetaspaceDecoder: ChainDecoder {
    let replacement: Unicode.Scalar
    let dropsLeadingSpace: Bool

    func decodeChain(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { i, token in
            var out = String.UnicodeScalarView()
            for c in token.unicodeScalars {
                if c == replacement {
                    if !(i == 0 && dropsLeadingSpace) { out.append(" ") }
                } else {
                    out.append(c)
                }
            }
            return String(out)
        }
    }
}

/// `<0xXX>` tokens become raw bytes; each run is decoded as UTF-8, or replaced
/// by one U+FFFD per byte when invalid.
struct ByteFallbackDecoder: ChainDecoder {
    func decodeChain(_ tokens: [String]) -> [String] {
        var out: [String] = []
        var bytes: [UInt8] = []
        func flush() {
            guard !bytes.isEmpty else { return }
            if let s = String(validating: bytes, as: UTF8.self) {
                out.append(s)
            } else {
                out.append(contentsOf: repeatElement("\u{FFFD}", count: bytes.count))
            }
            bytes.removeAll()
        }
        for token in tokens {
            let u = Array(token.utf8)
            if u.count == 6, u[0] == UInt8(ascii: "<"), u[1] == UInt8(ascii: "0"), u[2] == UInt8(ascii: "x"),
                u[5] == UInt8(ascii: ">"), let b = UInt8(String(decoding: u[3..<5], as: UTF8.self), radix: 16)
            {
                bytes.append(b)
            } else {
                flush()
                out.append(token)
            }
        }
        flush()
        return out
    }
}

struct FuseDecoder: ChainDecoder {
    func decodeChain(_ tokens: [String]) -> [String] { [tokens.joined()] }
}

/// Removes up to `start` leading and `stop` trailing `content` characters per
/// token, by Unicode scalar as HF counts chars (a space followed by a combining
/// mark is two chars, not one Character).
struct StripDecoder: ChainDecoder {
    let content: Unicode.Scalar
    let start: Int
    let stop: Int

    func decodeChain(_ tokens: [String]) -> [String] {
        tokens.map { token in
            let chars = Array(token.unicodeScalars)
            var lo = 0
            while lo < start && lo < chars.count && chars[lo] == content { lo += 1 }
            var hi = chars.count
            var removed = 0
            while removed < stop && hi > lo && chars[hi - 1] == content {
                hi -= 1
                removed += 1
            }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: chars[lo..<hi])
            return String(view)
        }
    }
}

struct ReplaceDecoder: ChainDecoder {
    let pattern: ReplacePattern
    let content: [UInt32]

    func decodeChain(_ tokens: [String]) -> [String] {
        tokens.map { token in
            let s = token.unicodeScalars.map(\.value)
            let found = s.withUnsafeBufferPointer { pattern.matches(in: $0) }
            guard !found.isEmpty else { return token }
            var out: [UInt32] = []
            var last = 0
            for m in found {
                out += s[last..<m.lowerBound]
                out += content
                last = m.upperBound
            }
            out += s[last...]
            return String(decodingScalars: out)
        }
    }
}

/// Wraps a whole-list decoder (WordPiece) for use inside a Sequence.
struct WholeDecoder: ChainDecoder {
    let inner: Decoder
    func decodeChain(_ tokens: [String]) -> [String] { [inner.decode(tokens)] }
}
