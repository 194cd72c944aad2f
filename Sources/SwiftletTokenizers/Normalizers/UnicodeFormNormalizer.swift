import Foundation

/// NFD, NFKD, NFC and NFKC with per-scalar alignment.
///
/// Decomposition is table driven. Composition is delegated to Foundation one
/// segment at a time (a starter plus what may compose with it), so that the
/// alignment of everything outside a composed segment stays exact.
struct UnicodeFormNormalizer: Normalizer {
    enum Form {
        case nfd, nfkd, nfc, nfkc
    }

    let form: Form

    func normalize(_ text: inout NormalizedText) {
        let compatibility = form == .nfkd || form == .nfkc
        var out = NormalizedText(reservingCapacity: text.count)
        var buffer: [UInt32] = []
        for i in 0..<text.count {
            let c = text.scalars[i]
            if c < 0xA0 {
                out.append(c, start: text.starts[i], end: text.ends[i])
                continue
            }
            buffer.removeAll(keepingCapacity: true)
            Decomposition.decompose(c, compatibility: compatibility, into: &buffer)
            for d in buffer { out.append(d, start: text.starts[i], end: text.ends[i]) }
        }
        Decomposition.reorder(&out)
        if form == .nfc || form == .nfkc { out = Self.compose(out) }
        text = out
    }

    private static func compose(_ text: NormalizedText) -> NormalizedText {
        var out = NormalizedText(reservingCapacity: text.count)
        let n = text.count
        var i = 0
        while i < n {
            var j = i + 1
            while j < n && text.scalars[j] >= 0x300
                && (Decomposition.combiningClass(text.scalars[j]) != 0 || Decomposition.composesBackward(text.scalars[j]))
            {
                j += 1
            }
            if j - i == 1 {
                out.append(text.scalars[i], start: text.starts[i], end: text.ends[i])
            } else {
                var segment = String.UnicodeScalarView()
                for k in i..<j { segment.append(Unicode.Scalar(text.scalars[k])!) }
                let composed = String(segment).precomposedStringWithCanonicalMapping.unicodeScalars.map(\.value)
                if composed.count == j - i {
                    for (k, c) in composed.enumerated() {
                        out.append(c, start: text.starts[i + k], end: text.ends[i + k])
                    }
                } else {
                    // Scalars merged: each output covers the whole segment's source.
                    let start = text.starts[i..<j].min()!
                    let end = text.ends[i..<j].max()!
                    for c in composed { out.append(c, start: start, end: end) }
                }
            }
            i = j
        }
        return out
    }
}
