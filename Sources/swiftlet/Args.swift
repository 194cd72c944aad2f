import Foundation

/// Minimal flag parser: `--name value`, `--name=value`, boolean `--flag`, positionals.
struct Args {
    var positionals: [String] = []
    private var values: [String: [String]] = [:]
    private var flags = Set<String>()

    init(_ argv: [String], booleanFlags: Set<String>) throws {
        var i = 0
        while i < argv.count {
            let a = argv[i]
            if a == "--" {
                positionals += argv[(i + 1)...]
                break
            }
            if a.hasPrefix("--") {
                let body = String(a.dropFirst(2))
                if let eq = body.firstIndex(of: "=") {
                    values[String(body[..<eq]), default: []].append(String(body[body.index(after: eq)...]))
                } else if booleanFlags.contains(body) {
                    flags.insert(body)
                } else {
                    guard i + 1 < argv.count else { throw CLIError("option --\(body) needs a value") }
                    values[body, default: []].append(argv[i + 1])
                    i += 1
                }
            } else {
                positionals.append(a)
            }
            i += 1
        }
    }

    func value(_ k: String) -> String? { values[k]?.last }
    func all(_ k: String) -> [String] { values[k] ?? [] }
    func flag(_ k: String) -> Bool { flags.contains(k) }
    var optionNames: Set<String> { Set(values.keys).union(flags) }

    func int(_ k: String, default d: Int) throws -> Int {
        guard let v = value(k) else { return d }
        guard let n = Int(v), n > 0 else { throw CLIError("--\(k) must be a positive integer, got '\(v)'") }
        return n
    }

    func rejectUnknown(_ allowed: Set<String>) throws {
        if let bad = optionNames.subtracting(allowed).sorted().first { throw CLIError("unknown option --\(bad)") }
    }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ m: String) { description = m }
}
