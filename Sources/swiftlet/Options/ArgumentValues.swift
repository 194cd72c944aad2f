import ArgumentParser
import Swiftlet

/// Option values checked while parsing, so a bad one is a usage error (exit 64, with the
/// command's usage) that names the option, before any model is loaded. Each error's text
/// follows the parser's "The value 'x' is invalid for '--opt <v>': ".
enum ArgumentValues {
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// `NAME=FILE.npy`: a graph input and the file holding it.
    @Sendable static func namedFile(_ s: String) throws -> NamedFile {
        guard let eq = s.firstIndex(of: "="), eq != s.startIndex, s.index(after: eq) != s.endIndex else {
            throw Invalid(description: "wants NAME=FILE.npy")
        }
        return NamedFile(name: String(s[..<eq]), path: String(s[s.index(after: eq)...]))
    }

    /// `MxNxK`, each in 1...65536: a GEMM shape for `bench --gemm`.
    @Sendable static func gemmShape(_ s: String) throws -> [Int] {
        let d = s.split(separator: "x").compactMap { Int($0) }
        guard d.count == 3, d.allSatisfy({ $0 > 0 && $0 <= 1 << 16 }) else { throw Invalid(description: "wants MxNxK, e.g. 4096x384x384") }
        return d
    }
}

struct NamedFile: Sendable {
    let name: String
    let path: String
}

extension NamedFile {
    /// Reads every `NAME=FILE.npy` into the feeds of one graph run.
    static func feeds(_ inputs: [NamedFile]) throws -> [String: Tensor] {
        var feeds: [String: Tensor] = [:]
        for i in inputs { feeds[i.name] = try NPY.read(i.path) }
        return feeds
    }
}
