/// Fixed-point text for log and progress lines (FoundationEssentials has no
/// `String(format:)`). `package`: the CLI and server print with it too.
package enum Decimals {
    /// `x` rounded to `digits` decimals, e.g. fixed(2.345, 2) == "2.35" (half away from zero).
    package static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return "\(x)" }
        var scale = 1.0
        for _ in 0..<max(0, digits) { scale *= 10 }
        let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e18 else { return "\(x)" }
        let n = UInt64(scaled), unit = UInt64(scale)
        let sign = x < 0 && n != 0 ? "-" : ""
        guard digits > 0 else { return sign + String(n) }
        let frac = String(n % unit)
        return sign + String(n / unit) + "." + String(repeating: "0", count: digits - frac.count) + frac
    }
}
