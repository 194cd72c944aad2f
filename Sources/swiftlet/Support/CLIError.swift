/// A runtime failure the user can act on: printed as one `swiftlet: error: …` line, exit 1.
/// (Mistakes in the command line itself are the parser's, exit 64 with the usage.)
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
