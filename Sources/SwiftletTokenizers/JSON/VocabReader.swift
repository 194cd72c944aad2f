/// Readers for the big vocabulary shapes of tokenizer.json, working on the raw
/// bytes of a `LazyJSON` so that no per-entry Swift objects are created.
extension LazyJSON {
    /// `{"token": id, ...}` (WordPiece, BPE). `body` gets the token's scalars.
    func forEachTokenId(_ body: (UnsafeBufferPointer<UInt32>, Int) throws -> Void) throws {
        var parser = JSONParser(bytes, position: range.lowerBound, lazyKeys: [])
        var key: [UInt32] = []
        key.reserveCapacity(64)
        do {
            try parser.expect(UInt8(ascii: "{"))
            if parser.consume(UInt8(ascii: "}")) { return }
            repeat {
                try parser.expect(UInt8(ascii: "\""))
                key.removeAll(keepingCapacity: true)
                try parser.readStringScalars { key.append($0) }
                try parser.expect(UInt8(ascii: ":"))
                parser.skipWhitespace()
                guard let id = try parser.parseNumber() as? Int else {
                    throw TokenizerError.invalidField(path, "id of entry \(String(decodingScalars: key).debugDescription) is not an integer")
                }
                try key.withUnsafeBufferPointer { try body($0, id) }
            } while parser.consume(UInt8(ascii: ","))
            try parser.expect(UInt8(ascii: "}"))
        } catch let error as TokenizerError {
            throw Self.located(error, path)
        }
    }

    /// `[["piece", score], ...]` (Unigram).
    func forEachScoredPiece(_ body: (UnsafeBufferPointer<UInt32>, Double) throws -> Void) throws {
        var parser = JSONParser(bytes, position: range.lowerBound, lazyKeys: [])
        var key: [UInt32] = []
        key.reserveCapacity(64)
        do {
            try parser.expect(UInt8(ascii: "["))
            if parser.consume(UInt8(ascii: "]")) { return }
            repeat {
                try parser.expect(UInt8(ascii: "["))
                try parser.expect(UInt8(ascii: "\""))
                key.removeAll(keepingCapacity: true)
                try parser.readStringScalars { key.append($0) }
                try parser.expect(UInt8(ascii: ","))
                parser.skipWhitespace()
                let score: Double
                switch try parser.parseNumber() {
                case let d as Double: score = d
                case let n as Int: score = Double(n)
                default: throw TokenizerError.invalidField(path, "score is not a number")
                }
                try parser.expect(UInt8(ascii: "]"))
                try key.withUnsafeBufferPointer { try body($0, score) }
            } while parser.consume(UInt8(ascii: ","))
            try parser.expect(UInt8(ascii: "]"))
        } catch let error as TokenizerError {
            throw Self.located(error, path)
        }
    }

    /// BPE merges: `["a b", ...]` (older files) or `[["a", "b"], ...]`.
    func forEachMerge(_ body: ([UInt32], [UInt32]) throws -> Void) throws {
        var parser = JSONParser(bytes, position: range.lowerBound, lazyKeys: [])
        var left: [UInt32] = []
        var right: [UInt32] = []
        do {
            try parser.expect(UInt8(ascii: "["))
            if parser.consume(UInt8(ascii: "]")) { return }
            var index = 0
            repeat {
                left.removeAll(keepingCapacity: true)
                right.removeAll(keepingCapacity: true)
                if parser.consume(UInt8(ascii: "[")) {
                    try parser.expect(UInt8(ascii: "\""))
                    try parser.readStringScalars { left.append($0) }
                    try parser.expect(UInt8(ascii: ","))
                    try parser.expect(UInt8(ascii: "\""))
                    try parser.readStringScalars { right.append($0) }
                    try parser.expect(UInt8(ascii: "]"))
                } else {
                    try parser.expect(UInt8(ascii: "\""))
                    var all: [UInt32] = []
                    try parser.readStringScalars { all.append($0) }
                    // HF splits "a b" at the first space.
                    guard let space = all.firstIndex(of: 0x20) else {
                        throw TokenizerError.invalidField("\(path)[\(index)]", "merge \"\(String(decodingScalars: all))\" has no space")
                    }
                    left = Array(all[..<space])
                    right = Array(all[(space + 1)...])
                }
                try body(left, right)
                index += 1
            } while parser.consume(UInt8(ascii: ","))
            try parser.expect(UInt8(ascii: "]"))
        } catch let error as TokenizerError {
            throw Self.located(error, path)
        }
    }

    private static func located(_ error: TokenizerError, _ path: String) -> TokenizerError {
        if case .invalidJSON(let why) = error { return .invalidField(path, why) }
        return error
    }
}

extension String {
    init<S: Sequence>(decodingScalars scalars: S) where S.Element == UInt32 {
        var view = String.UnicodeScalarView()
        for v in scalars { view.append(Unicode.Scalar(v) ?? "\u{FFFD}") }
        self = String(view)
    }
}

extension String {
    /// Scalar values to a String in one exactly sized UTF-8 write (invalid values
    /// become U+FFFD): no per-scalar appends, and no heap for short tokens.
    init(scalarValues s: UnsafeBufferPointer<UInt32>) {
        @inline(__always) func valid(_ v: UInt32) -> UInt32 { v > 0x10FFFF || (v >= 0xD800 && v < 0xE000) ? 0xFFFD : v }
        var length = 0
        for v in s {
            let c = valid(v)
            length += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4
        }
        self.init(unsafeUninitializedCapacity: length) { out in
            var k = 0
            for v in s {
                let c = valid(v)
                if c < 0x80 {
                    out[k] = UInt8(c); k += 1
                } else if c < 0x800 {
                    out[k] = UInt8(0xC0 | c >> 6); out[k + 1] = UInt8(0x80 | c & 0x3F); k += 2
                } else if c < 0x10000 {
                    out[k] = UInt8(0xE0 | c >> 12); out[k + 1] = UInt8(0x80 | (c >> 6) & 0x3F); out[k + 2] = UInt8(0x80 | c & 0x3F); k += 3
                } else {
                    out[k] = UInt8(0xF0 | c >> 18); out[k + 1] = UInt8(0x80 | (c >> 12) & 0x3F)
                    out[k + 2] = UInt8(0x80 | (c >> 6) & 0x3F); out[k + 3] = UInt8(0x80 | c & 0x3F); k += 4
                }
            }
            return k
        }
    }
}
