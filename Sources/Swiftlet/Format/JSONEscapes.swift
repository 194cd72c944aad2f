/// JSON text facts the parsers do not report clearly. Python's `json.dumps` writes a lone
/// surrogate (legal in a Python str) as a `\udXXX` escape; Foundation's parsers then just
/// fail, so the CLI and the server look for it to say what is wrong.
public enum JSONEscapes {
    /// The first `\uD800`–`\uDFFF` escape in a JSON text that is not half of a high+low pair.
    public static func unpairedSurrogate(_ json: String) -> String? {
        let u = Array(json.utf8)
        func hex(_ i: Int) -> Int? {
            guard i + 6 <= u.count, u[i] == UInt8(ascii: "\\"), u[i + 1] == UInt8(ascii: "u"),
                  let v = Int(String(decoding: u[(i + 2)..<(i + 6)], as: UTF8.self), radix: 16) else { return nil }
            return v
        }
        var i = 0
        while i < u.count {
            if u[i] == UInt8(ascii: "\\"), i + 1 < u.count, u[i + 1] != UInt8(ascii: "u") { i += 2; continue }
            if let v = hex(i) {
                if (0xD800...0xDBFF).contains(v), let w = hex(i + 6), (0xDC00...0xDFFF).contains(w) { i += 12; continue }
                if (0xD800...0xDFFF).contains(v) { return String(decoding: u[i..<(i + 6)], as: UTF8.self) }
                i += 6
                continue
            }
            i += 1
        }
        return nil
    }
}
