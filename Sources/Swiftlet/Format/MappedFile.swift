import Foundation

/// A read-only memory map of a whole file. Tensors borrow from it without copying;
/// they keep this object alive, so the mapping lasts as long as any weight is in use.
final class MappedFile: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let size: Int
    let path: String

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw SwiftletError.io("cannot open '\(path)': \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw SwiftletError.io("cannot stat '\(path)'") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw SwiftletError.io("'\(path)' is not a regular file") }
        size = Int(st.st_size)
        guard size > 0 else { throw SwiftletError.invalidModel("'\(path)' is empty") }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw SwiftletError.io("cannot map '\(path)': \(String(cString: strerror(errno)))")
        }
        base = p
    }

    deinit { munmap(base, size) }

    func bytes(_ offset: Int, _ length: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + offset, count: length)
    }
}
