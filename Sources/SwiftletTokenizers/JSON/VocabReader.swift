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
