#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Standard output and error by file descriptor. Each call is whole write(2)s, no stdio
/// buffer: a reader of the JSON lines sees each line as soon as it is complete, and a
/// progress line on stderr never waits behind a buffered stdout.
enum Output {
    /// One line of the command's result on stdout.
    static func line(_ text: String) { writeAll(STDOUT_FILENO, text + "\n") }

    /// Text on stderr, as given (no newline added).
    static func error(_ text: String) { writeAll(STDERR_FILENO, text) }

    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    private static func writeAll(_ fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var done = 0
            while done < bytes.count {
                let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return }
                done += n
            }
        }
    }
}
