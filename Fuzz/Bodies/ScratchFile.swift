import Foundation

/// The loaders take paths (a `.swl` is memory-mapped), so a body writes its input to a file
/// first: on tmpfs when there is one, so a run costs no disk I/O. Each call makes a fresh
/// file and unlinks it afterwards; anything still mapping it keeps the inode alive.
enum ScratchFile {
    private static let directory: String = {
        var st = stat()
        return stat("/dev/shm", &st) == 0 && access("/dev/shm", W_OK) == 0 ? "/dev/shm" : NSTemporaryDirectory()
    }()

    static func with<R>(_ bytes: UnsafeRawBufferPointer, suffix: String, _ body: (String) -> R) -> R? {
        let path = "\(directory)/swiftlet-fuzz-\(getpid())-\(UInt64.random(in: 0...UInt64.max))\(suffix)"
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        defer { unlink(path) }
        var written = 0
        while written < bytes.count {
            let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
            guard n > 0 else { close(fd); return nil }
            written += n
        }
        close(fd)
        return body(path)
    }
}
