import Foundation
import XCTest
@testable import Swiftlet

/// Where tests find real models and reference outputs. Models come from tools/setup.sh;
/// when one is missing the test fails with the command to run — it never skips.
enum TestPaths {
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var models: URL {
        if let m = ProcessInfo.processInfo.environment["SWIFTLET_MODELS"] { return URL(fileURLWithPath: m) }
        return root.appendingPathComponent("models")
    }
    static var golden: URL { root.appendingPathComponent("golden") }

    static func model(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let p = models.appendingPathComponent("\(name).swl").path
        guard FileManager.default.fileExists(atPath: p) else {
            XCTFail("model \(p) is missing: run `bash tools/setup.sh` (CI runs it through .ci/run)", file: file, line: line)
            throw XCTSkip("unreachable: failed above")
        }
        return p
    }

    static func goldenFile(_ rel: String) throws -> URL {
        let u = golden.appendingPathComponent(rel)
        guard FileManager.default.fileExists(atPath: u.path) else {
            XCTFail("golden file \(u.path) is missing (tools/golden.py embedder writes it)")
            throw XCTSkip("unreachable: failed above")
        }
        return u
    }
}

/// Reads a JSONL file's lines as dictionaries.
func readJSONL(_ url: URL) throws -> [[String: Any]] {
    let data = try Data(contentsOf: url)
    return try data.split(separator: UInt8(ascii: "\n")).map { line in
        guard let o = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { throw SwiftletError.invalidInput("bad JSONL line") }
        return o
    }
}

/// Builds small `.swl` files by hand for format and error-path tests.
struct SWLBuilder {
    var inputs: [[String: Any]] = []
    var outputs: [[String: Any]] = []
    var nodes: [[String: Any]] = []
    var tensors: [(name: String, dtype: String, shape: [Int], bytes: [UInt8])] = []
    var pipeline: [String: Any] = ["kind": "graph"]
    var blobs: [String: [UInt8]] = [:]
    var version: UInt32 = 1
    var magic: [UInt8] = Array("SWLT".utf8)

    mutating func floatTensor(_ name: String, _ values: [Float], _ shape: [Int]) {
        tensors.append((name, "float32", shape, values.withUnsafeBytes { Array($0) }))
    }

    func bytes() throws -> [UInt8] {
        // Two passes: lay out data after a header whose size we first measure.
        var headerLen = 0
        var out: [UInt8] = []
        for _ in 0..<3 {
            var offset = (16 + headerLen + 63) / 64 * 64
            var entries: [[String: Any]] = []
            var data: [(Int, [UInt8])] = []
            for t in tensors {
                entries.append(["name": t.name, "dtype": t.dtype, "shape": t.shape, "offset": offset, "length": t.bytes.count])
                data.append((offset, t.bytes))
                offset = (offset + t.bytes.count + 63) / 64 * 64
            }
            var blobEntries: [String: Any] = [:]
            for (k, v) in blobs.sorted(by: { $0.key < $1.key }) {
                blobEntries[k] = ["offset": offset, "length": v.count]
                data.append((offset, v))
                offset = (offset + v.count + 63) / 64 * 64
            }
            let header: [String: Any] = [
                "format_version": 1,
                "graph": ["opset": 17, "inputs": inputs, "outputs": outputs, "nodes": nodes],
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

    func write() throws -> String {
        let path = NSTemporaryDirectory() + "swl-test-\(UUID().uuidString).swl"
        try Data(try bytes()).write(to: URL(fileURLWithPath: path))
        return path
    }
}

func cosine(_ a: [Float], _ b: [Float]) -> Double {
    var d = 0.0, na = 0.0, nb = 0.0
    for i in a.indices { d += Double(a[i]) * Double(b[i]); na += Double(a[i]) * Double(a[i]); nb += Double(b[i]) * Double(b[i]) }
    return d / max((na * nb).squareRoot(), 1e-30)
}

func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// Deterministic uniform(-1, 1) floats (SplitMix64), so kernel-test failures reproduce.
func testRandoms(_ n: Int, seed: UInt64) -> [Float] {
    var s = seed
    return (0..<n).map { _ in
        s &+= 0x9E37_79B9_7F4A_7C15
        var z = s
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) / Float(1 << 24) * 2 - 1
    }
}
