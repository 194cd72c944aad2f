/// Fixed-point numbers and padded columns for human-readable output (the profile table,
/// the progress line) without Foundation's String(format:), which needs full Foundation.
enum TextFormat {
    /// `x` rounded to `digits` decimals: fixed(3.14159, 2) == "3.14".
    static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return "\(x)" }
        var scale = 1
        for _ in 0..<max(0, digits) { scale *= 10 }
        let scaled = (abs(x) * Double(scale)).rounded()
        guard scaled < 9e18 else { return "\(x)" }
        let n = Int(scaled)
        var s = (x < 0 && n != 0 ? "-" : "") + "\(n / scale)"
        if digits > 0 {
            let frac = "\(n % scale)"
            s += "." + String(repeating: "0", count: digits - frac.count) + frac
        }
        return s
    }

    static func padLeft(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    static func padRight(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    /// A duration for people: "42s", "3m05s", "2h07m".
    static func duration(seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        if s < 3600 { return "\(s / 60)m\(two(s % 60))s" }
        return "\(s / 3600)h\(two(s % 3600 / 60))m"
    }
}
