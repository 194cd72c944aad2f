import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Arguments must be valid UTF-8: Swift would otherwise repair them silently and the
/// tokenizer would see U+FFFD instead of an error.
func validatedArguments() throws -> [String] {
    var out: [String] = []
    for i in 1..<Int(CommandLine.argc) {
        guard let p = CommandLine.unsafeArgv[i] else { continue }
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p))
        guard let s = String(validating: bytes, as: UTF8.self) else { throw ValidationError("argument \(i) is not valid UTF-8") }
        out.append(s)
    }
    return out
}

/// Parses and runs the command line. The parser's exit handling gives the codes scripts
/// see: help and --version 0 on stdout; a usage error 64 with the command's usage on
/// stderr; an error thrown while running 1 with one `swiftlet: error: …` line.
func swiftletMain() async -> Never {
    do {
        var command = try SwiftletCommand.parseAsRoot(try validatedArguments())
        // Inside an async function, so `run()` is the async requirement (`serve`); in
        // top-level code the compiler picks the synchronous default, which prints help.
        if var asyncCommand = command as? AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    } catch {
        SwiftletCommand.exit(withError: error)
    }
    SwiftletCommand.exit()
}

await swiftletMain()
