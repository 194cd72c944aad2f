#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// A loaded `.swl` file (layout in docs/FORMAT.md): the parsed header plus zero-copy
/// access to tensors and blobs. Every range is validated before any data is touched, so a
/// truncated or corrupt file fails here with a message instead of faulting later.
public final class ModelFile: @unchecked Sendable {
    /// The four bytes every `.swl` file starts with: "SWLT".
    public static let magic: [UInt8] = Array("SWLT".utf8)
    /// The format version this build reads.
    public static let supportedVersion: UInt32 = 1

    /// The path the file was opened from.
    public let path: String
    /// The format version in the file's preamble.
    public let version: UInt32
    /// The raw `pipeline` and `provenance` header sections: Pipelines/PipelineConfig.swift
    /// types the first, `inspect` prints both as they are.
    package let pipeline: [String: Any]
    package let provenance: [String: Any]
    /// The header's `metadata` section (from the source model), values as strings.
    public let metadata: [String: String]
    let graphSection: GraphSection
    /// Weights and other constants by name, views into the mapping.
    let tensors: [String: Tensor]
    /// Float32 weights stored compressed (int8, Q8_0, Q4_0, float16), by name; not in `tensors`.
    let encoded: [String: EncodedTensor]
    private let file: MappedFile
    private let blobRanges: [String: (offset: Int, length: Int)]

    /// Maps the file and validates its header, tensor and blob ranges.
    ///
    /// - Throws: ``SwiftletError/io(_:)`` when the file cannot be read, ``SwiftletError/invalidModel(_:)``
    ///   when it is not a `.swl` file, has another format version, or is truncated or corrupt.
    public init(path: String) throws {
        self.path = path
        file = try MappedFile(path: path)
        guard file.size >= 16 else { throw SwiftletError.invalidModel("'\(path)' is \(file.size) bytes, too short for a .swl header") }
        let head = file.bytes(0, 16)
        guard Array(head[0..<4]) == ModelFile.magic else {
            let got = head[0..<4].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            throw SwiftletError.invalidModel("'\(path)' is not a Swiftlet model (magic bytes \(got), expected 'SWLT')")
        }
        version = head.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
        guard version == ModelFile.supportedVersion else {
            throw SwiftletError.invalidModel("'\(path)' has format version \(version); this build reads version \(ModelFile.supportedVersion)")
        }
        let headerLength = head.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian
        guard headerLength <= UInt64(file.size - 16) else {
            throw SwiftletError.invalidModel("'\(path)' is truncated: header needs \(headerLength) bytes, file has \(file.size - 16) after the preamble")
        }
        let headerData = [UInt8](file.bytes(16, Int(headerLength)))
        guard let json = try? HeaderJSON.parse(headerData), let h = json as? [String: Any] else {
            throw SwiftletError.invalidModel("'\(path)': header is not a JSON object")
        }
        pipeline = h["pipeline"] as? [String: Any] ?? [:]
        provenance = h["provenance"] as? [String: Any] ?? [:]
        var meta: [String: String] = [:]
        for (k, v) in h["metadata"] as? [String: Any] ?? [:] { meta[k] = v as? String ?? "\(v)" }
        metadata = meta

        var blobs: [String: (Int, Int)] = [:]
        for (name, v) in h["blobs"] as? [String: Any] ?? [:] {
            guard let d = v as? [String: Any], let off = d["offset"] as? Int, let len = d["length"] as? Int else {
                throw SwiftletError.invalidModel("'\(path)': blob '\(name)' lacks offset/length")
            }
            try ModelFile.checkRange(off, len, fileSize: file.size, what: "blob '\(name)'", path: path)
            blobs[name] = (off, len)
        }
        blobRanges = blobs

        guard let g = h["graph"] as? [String: Any] else { throw SwiftletError.invalidModel("'\(path)': header has no graph") }
        var constants: [String: Tensor] = [:]
        var encoded: [String: EncodedTensor] = [:]
        for entry in h["tensors"] as? [[String: Any]] ?? [] {
            switch try ModelFile.tensorEntry(entry, file: file, path: path) {
            case .plain(let name, let t): constants[name] = t
            case .encoded(let e): encoded[e.name] = e
            }
        }
        tensors = constants
        self.encoded = encoded
        graphSection = try GraphSection(json: g, tensorNames: Set(constants.keys).union(encoded.keys), path: path)
    }

    /// Bytes of a named blob (e.g. "tokenizer.json"), or nil if the file has none.
    public func blob(_ name: String) -> [UInt8]? {
        guard let r = blobRanges[name] else { return nil }
        return [UInt8](file.bytes(r.offset, r.length))
    }

    /// Names of the blobs in the file, sorted.
    public var blobNames: [String] { blobRanges.keys.sorted() }

    /// Drops the resident pages of a blob already copied out (see `MappedFile.release`).
    func releasePages(ofBlob name: String) {
        guard let r = blobRanges[name] else { return }
        file.release(file.base + r.offset, count: r.length)
    }

    /// SHA-256 of the whole file, lower-case hex (what `sha256sum` prints): reads every
    /// page of the mapping once, so call it once per load (≈1 s per 400 MB).
    public func sha256() -> String { SHA256.hex(file.bytes(0, file.size)) }
    /// The graph's inputs as declared in the file.
    public var inputs: [ValueInfo] { graphSection.inputs }
    /// The graph's outputs as declared in the file.
    public var outputs: [ValueInfo] { graphSection.outputs }
    /// Nodes in the stored graph (before any rewrite).
    public var nodeCount: Int { graphSection.nodes.count }
    /// Constants in the file, encoded ones included.
    public var tensorCount: Int { tensors.count + encoded.count }
    /// Bytes the constants take in the file (encoded ones as stored, scales included).
    public var weightBytes: Int {
        tensors.values.reduce(0) { $0 + $1.byteCount } + encoded.values.reduce(0) { $0 + $1.storedBytes }
    }
    /// Every constant by name: its storage ("float32", "int8", "q4_0", …; encoded weights
    /// are float32 tensors stored compressed), logical shape and bytes in the file.
    public var tensorSummaries: [(name: String, storage: String, shape: [Int], bytes: Int)] {
        let plain = tensors.map { (name: $0.key, storage: $0.value.dtype.rawValue, shape: $0.value.shape, bytes: $0.value.byteCount) }
        let packed = encoded.map { (name: $0.key, storage: $0.value.encoding.label, shape: $0.value.shape, bytes: $0.value.storedBytes) }
        return (plain + packed).sorted { $0.name < $1.name }
    }

    /// Bytes per storage type ("float32", "int8", "q4_0", …) over all constants.
    public var weightBytesByStorage: [String: Int] {
        var r: [String: Int] = [:]
        for t in tensors.values { r[t.dtype.rawValue, default: 0] += t.byteCount }
        for e in encoded.values { r[e.encoding.label, default: 0] += e.storedBytes }
        return r
    }
    /// Op histogram of the stored graph (before fusion and constant folding).
    public var opCounts: [String: Int] { graphSection.nodes.reduce(into: [:]) { $0[$1.op, default: 0] += 1 } }

    private static func checkRange(_ off: Int, _ len: Int, fileSize: Int, what: String, path: String) throws {
        guard off >= 0, len >= 0, off <= fileSize, len <= fileSize - off else {
            throw SwiftletError.invalidModel("'\(path)' is truncated or corrupt: \(what) spans bytes \(off)..<\(off &+ len) but the file has \(fileSize)")
        }
    }

    private enum Entry {
        case plain(String, Tensor)
        case encoded(EncodedTensor)
    }

    private static func tensorEntry(_ e: [String: Any], file: MappedFile, path: String) throws -> Entry {
        guard let name = e["name"] as? String else { throw SwiftletError.invalidModel("'\(path)': tensor entry without a name") }
        guard let dts = e["dtype"] as? String, let dtype = DType(rawValue: dts) else {
            throw SwiftletError.invalidModel("'\(path)': tensor '\(name)' has unknown dtype \(e["dtype"] ?? "nil")")
        }
        guard let shape = e["shape"] as? [Int], shape.allSatisfy({ $0 >= 0 }),
              let off = e["offset"] as? Int, let len = e["length"] as? Int else {
            throw SwiftletError.invalidModel("'\(path)': tensor '\(name)' has a malformed shape, offset or length")
        }
        try checkRange(off, len, fileSize: file.size, what: "tensor '\(name)'", path: path)
        guard off % 64 == 0 else { throw SwiftletError.invalidModel("'\(path)': tensor '\(name)' offset \(off) is not 64-byte aligned") }
        if let enc = e["encoding"] {
            guard let enc = enc as? [String: Any], dtype == .float32 else {
                throw SwiftletError.invalidModel("'\(path)': tensor '\(name)' has an encoding but is not a float32 tensor with an encoding object")
            }
            return .encoded(try EncodedTensor.parse(name: name, shape: shape, encoding: enc, offset: off, length: len, file: file, path: path))
        }
        let (count, overflow) = shape.reduce((1, false)) { acc, d in
            let (m, o) = acc.0.multipliedReportingOverflow(by: d); return (m, acc.1 || o)
        }
        guard !overflow, count * dtype.byteSize == len else {
            throw SwiftletError.invalidModel("'\(path)': tensor '\(name)' is \(len) bytes but \(dtype.rawValue) \(shape) needs \(count * dtype.byteSize)")
        }
        let storage = Storage(borrowing: file.base + off, capacity: len, owner: file)
        return .plain(name, Tensor(dtype: dtype, shape: shape, storage: storage))
    }
}
