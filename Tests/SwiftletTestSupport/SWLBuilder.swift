import Foundation

/// Builds small `.swl` files by hand for format and error-path tests.
package struct SWLBuilder {
    package var inputs: [[String: Any]] = []
    package var outputs: [[String: Any]] = []
    package var nodes: [[String: Any]] = []
    package var tensors: [(name: String, dtype: String, shape: [Int], bytes: [UInt8])] = []
    package var pipeline: [String: Any] = ["kind": "graph"]
    package var opset = 17
    package var blobs: [String: [UInt8]] = [:]
    package var version: UInt32 = 1
    package var magic: [UInt8] = Array("SWLT".utf8)
    /// Per tensor name: an `encoding` object for its row, and the bytes of its int8 scales
    /// (placed after the data, their offset/length filled in as "scales").
    package var encodings: [String: (encoding: [String: Any], scales: [UInt8]?)] = [:]

    package init() {}

    package mutating func floatTensor(_ name: String, _ values: [Float], _ shape: [Int]) {
        tensors.append((name, "float32", shape, values.withUnsafeBytes { Array($0) }))
    }

    package func bytes() throws -> [UInt8] {
        // Two passes: lay out data after a header whose size we first measure.
        var headerLen = 0
        var out: [UInt8] = []
        for _ in 0..<3 {
            var offset = (16 + headerLen + 63) / 64 * 64
            var entries: [[String: Any]] = []
            var data: [(Int, [UInt8])] = []
            for t in tensors {
                var entry: [String: Any] = ["name": t.name, "dtype": t.dtype, "shape": t.shape, "offset": offset, "length": t.bytes.count]
                data.append((offset, t.bytes))
                offset = (offset + t.bytes.count + 63) / 64 * 64
                if let e = encodings[t.name] {
                    var enc = e.encoding
                    if let scales = e.scales {
                        enc["scales"] = ["offset": offset, "length": scales.count]
                        data.append((offset, scales))
                        offset = (offset + scales.count + 63) / 64 * 64
                    }
                    entry["encoding"] = enc
                }
                entries.append(entry)
            }
            var blobEntries: [String: Any] = [:]
            for (k, v) in blobs.sorted(by: { $0.key < $1.key }) {
                blobEntries[k] = ["offset": offset, "length": v.count]
                data.append((offset, v))
                offset = (offset + v.count + 63) / 64 * 64
            }
            let header: [String: Any] = [
                "format_version": 1,
                "graph": ["opset": opset, "inputs": inputs, "outputs": outputs, "nodes": nodes],
                "tensors": entries, "blobs": blobEntries, "pipeline": pipeline,
            ]
            let h = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
            if h.count + 64 < headerLen || h.count > headerLen { headerLen = h.count + 64; continue }
            var padded = [UInt8](h)
            padded += [UInt8](repeating: 0x20, count: headerLen - h.count)
            out = magic
            withUnsafeBytes(of: version.littleEndian) { out += $0 }
            withUnsafeBytes(of: UInt64(headerLen).littleEndian) { out += $0 }
            out += padded
            for (off, bytes) in data {
                if out.count < off { out += [UInt8](repeating: 0, count: off - out.count) }
                out += bytes
            }
            return out
        }
        return out
    }

    package func write() throws -> String {
        let path = NSTemporaryDirectory() + "swl-test-\(UUID().uuidString).swl"
        try Data(try bytes()).write(to: URL(fileURLWithPath: path))
        return path
    }
}
