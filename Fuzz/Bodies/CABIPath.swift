import CSwiftlet

/// A path argument drawn from the input before the call (so the call's closures need not
/// read the input): one of the fixture models, a file holding bytes from the input, a
/// missing file, a directory, NULL, invalid UTF-8, or one longer than SWIFTLET_MAX_PATH_BYTES.
struct CABIPath {
    static let fixtures = ["graph-add", "embedder", "tokenizer-wordpiece", "ocr-det", "ocr-rec", "ocr-cls"]
    private let choice: Int
    private let bytes: [UInt8]

    init(_ r: inout ByteReader) {
        choice = r.pick(Self.fixtures.count + 6)
        bytes = choice == Self.fixtures.count ? r.chunk(max: 255) : []
    }

    func with(_ body: (UnsafePointer<CChar>?) -> swiftlet_status) -> swiftlet_status {
        if choice < Self.fixtures.count { return body(FuzzFixtures.path("models/\(Self.fixtures[choice]).swl")) }
        switch choice - Self.fixtures.count {
        case 0: return bytes.withUnsafeBytes { raw in ScratchFile.with(raw, suffix: ".swl") { body($0) } } ?? swiftlet_status(SWIFTLET_OK)
        case 1: return body("/nonexistent/model.swl")
        case 2: return body(FuzzFixtures.directory)
        case 3: return body(nil)
        case 4: return body([0x2f, -1, -2, 0x41, 0])  // "/\xff\xfeA"
        default: return body([CChar](repeating: 0x61, count: Int(SWIFTLET_MAX_PATH_BYTES) + 8) + [0])
        }
    }
}
