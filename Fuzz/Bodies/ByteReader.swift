/// Reads a fuzz input front to back as a stream of choices. Past the end every read gives
/// zeros, so any input, however short, is a complete program.
struct ByteReader {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { position >= bytes.count }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// A choice among `count` options (count > 0).
    mutating func pick(_ count: Int) -> Int { Int(byte()) % count }

    mutating func bool() -> Bool { byte() & 1 == 1 }

    mutating func uint32() -> UInt32 {
        (0..<4).reduce(0) { acc, k in acc | UInt32(byte()) << (8 * UInt32(k)) }
    }

    /// Up to `limit` bytes, the count chosen by the next byte.
    mutating func chunk(max limit: Int) -> [UInt8] {
        let n = min(pick(limit + 1), bytes.count - min(position, bytes.count))
        return (0..<n).map { _ in byte() }
    }

    /// Everything not read yet.
    mutating func rest() -> [UInt8] {
        guard position < bytes.count else { return [] }
        defer { position = bytes.count }
        return Array(bytes[position...])
    }
}
