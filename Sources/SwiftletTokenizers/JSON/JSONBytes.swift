/// The bytes of a tokenizer.json, NUL-terminated so that scanners (and strtod)
/// always stop inside the buffer. Shared by the parsed tree and by lazily
/// decoded values, hence a class.
final class JSONBytes: @unchecked Sendable {
    let storage: UnsafeMutableBufferPointer<UInt8>
    /// Length without the terminator.
    let count: Int

    init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        count = bytes.count
        storage = .allocate(capacity: count + 1)
        _ = storage.initialize(from: bytes)
        storage[count] = 0
    }

    deinit { storage.deallocate() }

    var base: UnsafePointer<UInt8> { UnsafePointer(storage.baseAddress!) }
}

/// A JSON value left unparsed (e.g. a 250k-entry vocabulary), decoded later by
/// a purpose-built reader that skips building a generic tree.
struct LazyJSON: @unchecked Sendable {
    let bytes: JSONBytes
    let range: Range<Int>
    /// Dotted path in tokenizer.json, for error messages.
    let path: String

    /// Builds the generic tree for callers that do not have a fast reader.
    func materialize() throws -> Any {
        var parser = JSONParser(bytes, position: range.lowerBound, lazyKeys: [])
        return try parser.parseValue(path: path)
    }
}
