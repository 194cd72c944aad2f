/// Strict UTF-8 checking (no overlong forms, no surrogates, nothing above U+10FFFF),
/// done here because the tokenizer would otherwise silently repair bad bytes into U+FFFD
/// and the caller would never learn their input was damaged.
enum UTF8Validation {
    /// Offset of the first byte that does not begin a well-formed sequence, or nil.
    static func firstInvalidByte(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = bytes.count
        var i = 0
        while i < n {
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            // Allowed range of the second byte depends on the lead byte (Unicode Table 3-7).
            let trailing: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: trailing = 1
            case 0xE0: trailing = 2; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: trailing = 2
            case 0xED: trailing = 2; high = 0x9F
            case 0xF0: trailing = 3; low = 0x90
            case 0xF1...0xF3: trailing = 3
            case 0xF4: trailing = 3; high = 0x8F
            default: return i
            }
            guard i + trailing < n else { return i }
            let second = bytes[i + 1]
            guard second >= low && second <= high else { return i }
            for k in stride(from: 2, through: trailing, by: 1) where bytes[i + k] & 0xC0 != 0x80 { return i }
            i += trailing + 1
        }
        return nil
    }
}
