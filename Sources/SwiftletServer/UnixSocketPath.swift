#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Getting a Unix-socket path ready to bind: the parent directory is created private
/// (0700); an existing socket is probed — a live server there is left alone and is an
/// error, a stale file from a crashed run is removed.
enum UnixSocketPath {
    static func prepare(_ path: String) throws {
        guard path.utf8.count < 108 else { throw ServeError("socket path is \(path.utf8.count) bytes; Unix sockets allow at most 107") }
        let dir = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        if !dir.isEmpty && !FileManager.default.fileExists(atPath: dir) {
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw ServeError("cannot create socket directory '\(dir)': \(error)")
            }
        }
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        guard (st.st_mode & S_IFMT) == S_IFSOCK else {
            throw ServeError("'\(path)' exists and is not a socket; not touching it")
        }
        if isLive(path) {
            throw ServeError("a server is already listening on '\(path)'; not touching it")
        }
        guard unlink(path) == 0 else { throw ServeError("cannot remove stale socket '\(path)': \(String(cString: strerror(errno)))") }
    }

    /// True when something accepts connections on the socket.
    static func isLive(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() where i < raw.count - 1 { raw[i] = b }
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return rc == 0
    }
}

/// A start-up problem reported to the user (bad flag, busy socket, model that fails to load).
public struct ServeError: Error, CustomStringConvertible {
    public let description: String
    public init(_ m: String) { description = m }
}
