import CSwiftlet

/// The C ABI driven by a byte stream: each step picks an entry point and its arguments —
/// NULLs, absurd counts (negative numbers cast to size_t), unknown enum values and flags,
/// invalid UTF-8, closed handles, handles of the wrong kind, forged handle bits — on the
/// tiny models of Fuzz/Fixtures/models. Every pointer passed is real memory at least as
/// long as the length passed with it (anything else is undefined behaviour by the header's
/// own contract); everything else is fair game. At the end every handle is closed.
public enum CABIBody {
    /// Steps per input: enough for open → use → close → use-after-close chains.
    static let maxSteps = 24

    public static func run(_ data: UnsafeRawBufferPointer) {
        var r = ByteReader(data)
        var state = CABIState()
        var steps = 0
        while !r.isAtEnd, steps < maxSteps {
            CABICalls.step(&r, &state)
            steps += 1
        }
        state.closeAll()
    }
}

/// What a C ABI handle is, to close it with the right function at the end.
enum CABIKind: CaseIterable {
    case embedder, tokenizer, session, tensors, ocr, ocrResult

    func close(_ h: OpaquePointer?) -> swiftlet_status {
        switch self {
        case .embedder: return swiftlet_embedder_close(h)
        case .tokenizer: return swiftlet_tokenizer_close(h)
        case .session: return swiftlet_session_close(h)
        case .tensors: return swiftlet_tensors_free(h)
        case .ocr: return swiftlet_ocr_close(h)
        case .ocrResult: return swiftlet_ocr_result_free(h)
        }
    }
}

/// Handles one input has opened (closed ones stay listed: using them is a test), plus
/// values that were never issued.
struct CABIState {
    var handles: [(handle: OpaquePointer, kind: CABIKind)] = []

    /// Never-issued values: small integers, a pointer-looking value, the handle tag with an
    /// unknown kind, and tagged values of each kind whose slot was never used.
    static let forged: [OpaquePointer?] = [nil, OpaquePointer(bitPattern: 1), OpaquePointer(bitPattern: 0x7fff_dead_b000),
                                           OpaquePointer(bitPattern: UInt(1) << 63 | UInt(0x7f) << 56)]
        + (1...6).map { OpaquePointer(bitPattern: UInt(1) << 63 | UInt($0) << 56 | 0xff_ffff) }

    /// Any handle, of any kind, live or not, or a forged one.
    func any(_ r: inout ByteReader) -> OpaquePointer? {
        let i = r.pick(Self.forged.count + handles.count)
        return i < Self.forged.count ? Self.forged[i] : handles[i - Self.forged.count].handle
    }

    /// Usually a handle of `kind` (the newest first), sometimes any other value.
    func of(_ kind: CABIKind, _ r: inout ByteReader) -> OpaquePointer? {
        let mine = handles.filter { $0.kind == kind }.map(\.handle)
        let choice = Int(r.byte())
        if choice < 192, !mine.isEmpty { return mine[mine.count - 1 - choice % mine.count] }
        return any(&r)
    }

    mutating func opened(_ status: swiftlet_status, _ handle: OpaquePointer?, _ kind: CABIKind) {
        if status == swiftlet_status(SWIFTLET_OK) {
            guard let handle else { fatalError("\(kind) opened with SWIFTLET_OK but a NULL handle") }
            handles.append((handle, kind))
        }
    }

    func closeAll() {
        for (h, kind) in handles { _ = kind.close(h) }
    }
}
