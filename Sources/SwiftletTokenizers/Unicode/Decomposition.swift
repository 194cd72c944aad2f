import Foundation

/// Per-scalar canonical and compatibility decompositions.
///
/// The standard library exposes no decomposition mapping, so the tables are
/// derived once from Foundation and then used without allocating. They are
/// immutable `static let`s: initialised lazily and thread-safely by the runtime.
enum Decomposition {
    private static let hangulBase: UInt32 = 0xAC00
    private static let hangulCount: UInt32 = 11172

    /// Full canonical decomposition for every scalar that has one (Hangul excluded,
    /// it is algorithmic). U+11938 is left out because HF's normalization tables
    /// predate its decomposition.
    static let canonical: [UInt32: [UInt32]] = build(compatibility: false)
    static let compatibility: [UInt32: [UInt32]] = build(compatibility: true)

    private static func build(compatibility: Bool) -> [UInt32: [UInt32]] {
        var table: [UInt32: [UInt32]] = [:]
        for v in UInt32(0xA0)...UInt32(0x2FA1F) {
            // Large blocks that never decompose are skipped to keep start-up cheap.
            if (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v)
                || (0xAC00...0xD7FF).contains(v) || (0x20000...0x2F7FF).contains(v)
            {
                continue
            }
            guard let s = Unicode.Scalar(v), s.properties.generalCategory != .unassigned else { continue }
            let single = String(Character(s))
            let mapped = compatibility
                ? single.decomposedStringWithCompatibilityMapping
                : single.decomposedStringWithCanonicalMapping
            let values = mapped.unicodeScalars.map(\.value)
            if values != [v] { table[v] = values }
        }
        table[0x11938] = nil
        return table
    }

    /// Appends the decomposition of `c` (or `c` itself) to `out`.
    @inline(__always)
    static func decompose(_ c: UInt32, compatibility: Bool, into out: inout [UInt32]) {
        if c < 0xA0 {
            out.append(c)
            return
        }
        if c >= hangulBase && c < hangulBase + hangulCount {
            let index = c - hangulBase
            out.append(0x1100 + index / 588)
            out.append(0x1161 + (index % 588) / 28)
            let t = index % 28
            if t != 0 { out.append(0x11A7 + t) }
            return
        }
        if let d = (compatibility ? Self.compatibility : canonical)[c] {
            out.append(contentsOf: d)
        } else {
            out.append(c)
        }
    }

    @inline(__always)
    static func combiningClass(_ c: UInt32) -> UInt8 {
        if c < 0x300 { return 0 }
        guard let s = Unicode.Scalar(c) else { return 0 }
        return s.properties.canonicalCombiningClass.rawValue
    }

    /// Canonical ordering: stable-sorts each run of non-starters by combining
    /// class, moving alignments with their scalars.
    static func reorder(_ text: inout NormalizedText) {
        let n = text.count
        var i = 0
        while i < n {
            if text.scalars[i] < 0x300 || combiningClass(text.scalars[i]) == 0 {
                i += 1
                continue
            }
            var j = i
            while j < n && text.scalars[j] >= 0x300 && combiningClass(text.scalars[j]) != 0 { j += 1 }
            if j - i > 1 {
                // Insertion sort keeps equal classes in order, as the algorithm requires.
                for k in (i + 1)..<j {
                    var m = k
                    while m > i && combiningClass(text.scalars[m - 1]) > combiningClass(text.scalars[m]) {
                        text.scalars.swapAt(m - 1, m)
                        text.starts.swapAt(m - 1, m)
                        text.ends.swapAt(m - 1, m)
                        m -= 1
                    }
                }
            }
            i = j
        }
    }

    /// Starters (combining class 0) that can still compose with the scalar before
    /// them: a composition segment must not be cut in front of these.
    static func composesBackward(_ c: UInt32) -> Bool {
        switch c {
        case 0x1161...0x1175, 0x11A8...0x11C2,
            0x102E, 0x11127, 0x1133E, 0x11357, 0x114B0, 0x114BA, 0x114BD, 0x115AF, 0x11930,
            0x1B35, 0x9BE, 0x9D7, 0xB3E, 0xB56, 0xB57, 0xBBE, 0xBD7, 0xCC2, 0xCD5, 0xCD6,
            0xD3E, 0xD57, 0xDCF, 0xDDF:
            return true
        default:
            return false
        }
    }
}
