/// NFD, NFKD, NFC and NFKC with HF's alignment bookkeeping.
///
/// HF runs the forms as a stream of (char, change) records fed to its
/// positional `transform`: a decomposition's first scalar replaces its source
/// character and the rest are insertions; canonical reordering moves records;
/// a composition folds a mark into its starter, the starter's record absorbing
/// the mark's change minus one (so a composed character keeps the alignment of
/// its starter alone, and a reordered mark takes the slot of whatever source
/// character is next). Reproducing that stream makes offsets match HF's.
struct UnicodeFormNormalizer: Normalizer {
    enum Form {
        case nfd, nfkd, nfc, nfkc
    }

    let form: Form

    func normalize(_ text: inout NormalizedText) {
        // Below U+00A0 every form is the identity, and so is HF's transform.
        guard text.scalars.contains(where: { $0 >= 0xA0 }) else { return }
        let compatibility = form == .nfkd || form == .nfkc
        var scalars: [UInt32] = []
        var changes: [Int] = []
        scalars.reserveCapacity(text.count + 8)
        changes.reserveCapacity(text.count + 8)
        var buffer: [UInt32] = []
        for c in text.scalars {
            if c < 0xA0 {
                scalars.append(c)
                changes.append(0)
                continue
            }
            buffer.removeAll(keepingCapacity: true)
            Decomposition.decompose(c, compatibility: compatibility, into: &buffer)
            for (k, d) in buffer.enumerated() {
                scalars.append(d)
                changes.append(k == 0 ? 0 : 1)
            }
        }
        Self.reorder(&scalars, &changes)
        if form == .nfc || form == .nfkc { Self.compose(&scalars, &changes) }
        text.applyChanges(zip(scalars, changes).map { NormalizedText.Change(scalar: $0, change: $1) })
    }

    /// Canonical ordering: each run of non-starters stable-sorted by combining
    /// class, records moving with their scalars.
    private static func reorder(_ s: inout [UInt32], _ changes: inout [Int]) {
        let n = s.count
        var i = 0
        while i < n {
            if s[i] < 0x300 || Decomposition.combiningClass(s[i]) == 0 {
                i += 1
                continue
            }
            var j = i
            while j < n && s[j] >= 0x300 && Decomposition.combiningClass(s[j]) != 0 { j += 1 }
            if j - i > 1 {
                for k in (i + 1)..<j {
                    var m = k
                    while m > i && Decomposition.combiningClass(s[m - 1]) > Decomposition.combiningClass(s[m]) {
                        s.swapAt(m - 1, m)
                        changes.swapAt(m - 1, m)
                        m -= 1
                    }
                }
            }
            i = j
        }
    }

    /// Canonical composition (UAX #15): a scalar composes with the last starter
    /// unless something in between blocks it.
    private static func compose(_ s: inout [UInt32], _ changes: inout [Int]) {
        var outS: [UInt32] = []
        var outC: [Int] = []
        outS.reserveCapacity(s.count)
        outC.reserveCapacity(s.count)
        var starter = -1
        // Combining class of the last scalar kept after the starter; -1: none yet.
        var lastClass = -1
        for (c, change) in zip(s, changes) {
            let ccc = Int(Decomposition.combiningClass(c))
            if starter >= 0 && (ccc != 0 || Decomposition.composesBackward(c)) {
                let unblocked = lastClass == -1 || (lastClass != 0 && lastClass < ccc)
                if unblocked, let composed = composePair(outS[starter], c) {
                    outS[starter] = composed
                    outC[starter] += change - 1
                    continue
                }
            }
            if ccc == 0 {
                starter = outS.count
                lastClass = -1
            } else {
                lastClass = ccc
            }
            outS.append(c)
            outC.append(change)
        }
        s = outS
        changes = outC
    }

    private static func composePair(_ a: UInt32, _ b: UInt32) -> UInt32? {
        // Hangul syllables compose arithmetically.
        if a >= 0x1100 && a < 0x1113 && b >= 0x1161 && b < 0x1176 {
            return 0xAC00 + ((a - 0x1100) * 21 + (b - 0x1161)) * 28
        }
        if a >= 0xAC00 && a < 0xAC00 + 11172 && (a - 0xAC00) % 28 == 0 && b > 0x11A7 && b < 0x11C3 {
            return a + (b - 0x11A7)
        }
        return Decomposition.compositions[UInt64(a) << 32 | UInt64(b)]
    }
}
