import Swiftlet

/// The structured values of `serve`'s flags, checked while parsing (usage errors, exit 64).
enum ServeValues {
    typealias Invalid = ArgumentValues.Invalid

    struct Listen: Sendable { let host: String; let port: Int }
    struct Model: Sendable { let name: String; let path: String }
    struct Alias: Sendable { let alias: String; let name: String }
    struct OCRSet: Sendable { let det: String; let rec: String; let cls: String? }

    /// "PORT", "HOST:PORT" or "[V6]:PORT"; loopback when no host is given.
    @Sendable static func listen(_ s: String) throws -> Listen {
        var host = "127.0.0.1", portText = s
        if let colon = s.lastIndex(of: ":") {
            let h = s[..<colon].filter { $0 != "[" && $0 != "]" }
            portText = String(s[s.index(after: colon)...])
            if !h.isEmpty { host = String(h) }
        }
        guard let port = Int(portText), (0...65535).contains(port) else { throw Invalid(description: "wants HOST:PORT or PORT") }
        return Listen(host: host, port: port)
    }

    /// "NAME=M", or a bare model name or path, named by its file stem.
    @Sendable static func model(_ s: String) throws -> Model {
        guard let eq = s.firstIndex(of: "=") else {
            let path = ModelPath.resolve(s)
            return Model(name: ModelPath.stem(path), path: path)
        }
        let name = String(s[..<eq]), path = String(s[s.index(after: eq)...])
        guard !name.isEmpty, !path.isEmpty else { throw Invalid(description: "wants NAME=PATH") }
        return Model(name: name, path: ModelPath.resolve(path))
    }

    @Sendable static func alias(_ s: String) throws -> Alias {
        let kv = s.split(separator: "=", maxSplits: 1).map(String.init)
        guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else { throw Invalid(description: "wants ALIAS=NAME") }
        return Alias(alias: kv[0], name: kv[1])
    }

    /// "det=D,rec=R[,cls=C]".
    @Sendable static func ocr(_ s: String) throws -> OCRSet {
        var parts: [String: String] = [:]
        for item in s.split(separator: ",") {
            let kv = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, ["det", "rec", "cls"].contains(kv[0]) else { throw Invalid(description: "wants det=PATH,rec=PATH[,cls=PATH]") }
            parts[kv[0]] = ModelPath.resolve(kv[1])
        }
        guard let det = parts["det"], let rec = parts["rec"] else { throw Invalid(description: "needs det= and rec=") }
        return OCRSet(det: det, rec: rec, cls: parts["cls"])
    }

    static func milliseconds(_ d: Duration) -> Int {
        Int(d.components.seconds) * 1000 + Int(d.components.attoseconds / 1_000_000_000_000_000)
    }
}
