import ArgumentParser

/// An integer option that must be > 0 (batch sizes, threads, runs). A type rather than a
/// transform so `--help` still shows the default; a bad value is a usage error (exit 64).
struct Positive: ExpressibleByArgument, ExpressibleByIntegerLiteral, CustomStringConvertible, Sendable {
    let value: Int

    init?(argument: String) {
        guard let n = Int(argument), n > 0 else { return nil }
        value = n
    }

    init(_ value: Int) {
        precondition(value > 0, "a Positive default must be > 0")
        self.value = value
    }

    init(integerLiteral value: Int) { self.init(value) }

    var description: String { "\(value)" }
}

/// An integer option that must be ≥ 0 (warm-up runs, milliseconds).
struct NonNegative: ExpressibleByArgument, ExpressibleByIntegerLiteral, CustomStringConvertible, Sendable {
    let value: Int

    init?(argument: String) {
        guard let n = Int(argument), n >= 0 else { return nil }
        value = n
    }

    init(_ value: Int) {
        precondition(value >= 0, "a NonNegative default must be ≥ 0")
        self.value = value
    }

    init(integerLiteral value: Int) { self.init(value) }

    var description: String { "\(value)" }
}
