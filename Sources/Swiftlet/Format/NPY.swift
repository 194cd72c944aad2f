#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SwiftletTokenizers

/// Reads and writes numpy `.npy` files (versions 1–3, little-endian, C order): the
/// exchange format of `swiftlet run` and of the golden reference outputs.
public enum NPY {
    private static let descrs: [String: DType] = [
        "<f4": .float32, "<f2": .float16, "<i8": .int64, "<i4": .int32, "|i1": .int8, "|u1": .uint8, "|b1": .bool,
    ]

    /// Reads an `.npy` file.
    ///
    /// - Throws: ``SwiftletError/io(_:)`` when the file cannot be read, ``SwiftletError/invalidInput(_:)``
    ///   for a header or dtype this reader does not take.
    public static func read(_ path: String) throws -> Tensor {
        guard let data = readWholeFile(path) else { throw SwiftletError.io("cannot read '\(path)'") }
        return try decode(data, name: path)
    }

    /// Decodes `.npy` bytes held in `Data` (emitted into the caller: this module references
    /// no Foundation symbol, see docs/C-ABI.md).
    @_alwaysEmitIntoClient
    public static func decode(_ data: Data, name: String = "npy") throws -> Tensor {
        try decode([UInt8](data), name: name)
    }

    /// Decodes `.npy` bytes; `name` labels error messages.
    public static func decode(_ b: [UInt8], name: String = "npy") throws -> Tensor {
        guard b.count >= 10, b[0] == 0x93, Array(b[1...5]) == Array("NUMPY".utf8) else {
            throw SwiftletError.invalidInput("'\(name)' is not a .npy file")
        }
        let major = b[6]
        let headerLen: Int, start: Int
        if major == 1 {
            headerLen = Int(b[8]) | Int(b[9]) << 8
            start = 10
        } else {
            guard b.count >= 12 else { throw SwiftletError.invalidInput("'\(name)': truncated .npy header") }
            headerLen = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24
            start = 12
        }
        guard start + headerLen <= b.count, let header = String(validating: b[start..<(start + headerLen)], as: UTF8.self) else {
            throw SwiftletError.invalidInput("'\(name)': truncated .npy header")
        }
        guard let descr = field(header, "descr"), let dtype = descrs[descr] else {
            throw SwiftletError.invalidInput("'\(name)': unsupported dtype \(field(header, "descr") ?? "?") (supported: \(descrs.keys.sorted()))")
        }
        if let f = rawField(header, "fortran_order"), f.hasPrefix("True") {
            throw SwiftletError.invalidInput("'\(name)': Fortran-order arrays are not supported")
        }
        // The ")" searched after the "(": a header with ")(" must not make an inverted range.
        guard let shapeText = rawField(header, "shape"), let open = shapeText.firstIndex(of: "("),
              let close = shapeText[open...].firstIndex(of: ")") else {
            throw SwiftletError.invalidInput("'\(name)': .npy header has no shape")
        }
        let dims = try shapeText[shapeText.index(after: open)..<close].split(separator: ",").map { s -> Int in
            let t = s.trimmingSpaces
            guard let v = Int(t), v >= 0 else { throw SwiftletError.invalidInput("'\(name)': bad shape entry '\(t)'") }
            return v
        }
        let dataStart = start + headerLen
        // Checked products: the header's dims are anyone's numbers.
        var need = dtype.byteSize
        for d in dims {
            let (p, overflow) = need.multipliedReportingOverflow(by: d)
            guard !overflow else { throw SwiftletError.invalidInput("'\(name)': shape \(dims) is too large") }
            need = p
        }
        guard b.count - dataStart == need else {
            throw SwiftletError.invalidInput("'\(name)': has \(b.count - dataStart) data bytes, shape \(dims) of \(dtype.rawValue) needs \(need)")
        }
        return try b.withUnsafeBytes { raw in
            try Tensor(dtype: dtype, shape: dims, bytes: UnsafeRawBufferPointer(rebasing: raw[dataStart...]))
        }
    }

    /// The `.npy` (version 1.0) bytes of `t`.
    public static func encode(_ t: Tensor) -> [UInt8] {
        let descr = descrs.first { $0.value == t.dtype }!.key
        let shape = t.shape.isEmpty ? "()" : t.shape.count == 1 ? "(\(t.shape[0]),)" : "(" + t.shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        let total = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"
        var d: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let hl = header.utf8.count
        d.append(contentsOf: [UInt8(hl & 0xff), UInt8(hl >> 8)])
        d.append(contentsOf: Array(header.utf8))
        t.withUnsafeBytes { d.append(contentsOf: $0) }
        return d
    }

    /// Writes `t` as an `.npy` file at `path`, replacing any file there.
    public static func write(_ t: Tensor, to path: String) throws {
        guard writeWholeFile(path, encode(t)) else { throw SwiftletError.io("cannot write '\(path)'") }
    }

    private static func rawField(_ header: String, _ key: String) -> String? {
        // Character-wise search as `firstRange(of:)` does, without that _StringProcessing
        // generic (the C ABI library links no _StringProcessing: tools/build-lib.sh).
        let h = Array(header), k = Array("'\(key)':")
        guard h.count >= k.count,
              let at = (0...(h.count - k.count)).first(where: { h[$0..<($0 + k.count)].elementsEqual(k) }) else { return nil }
        return String(h[(at + k.count)...]).trimmingSpaces
    }

    private static func field(_ header: String, _ key: String) -> String? {
        guard let v = rawField(header, key), v.first == "'" else { return nil }
        let rest = v.dropFirst()
        guard let end = rest.firstIndex(of: "'") else { return nil }
        return String(rest[..<end])
    }
}

private extension StringProtocol {
    /// Without leading and trailing spaces and tabs (the .npy header's whitespace).
    var trimmingSpaces: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[first...last])
    }
}
