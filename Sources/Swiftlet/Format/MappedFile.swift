#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// A read-only memory map of a whole file. Tensors borrow from it without copying;
/// they keep this object alive, so the mapping lasts as long as any weight is in use.
final class MappedFile: PageReleasing, @unchecked Sendable {
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

    /// Drops the resident pages wholly inside [start, start + count) — bytes the process has
    /// copied elsewhere (a weight packed at load, a parsed tokenizer) and will not read
    /// again — so they stop counting in its RSS. Always safe on this read-only private
    /// map: a later read faults the page back in from the file.
    func release(_ start: UnsafeRawPointer, count: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let lo = Int(bitPattern: start), hi = lo + count
        let mapLo = Int(bitPattern: UnsafeRawPointer(base)), mapHi = mapLo + size
        guard page > 0, lo >= mapLo, hi <= mapHi else { return }
        let first = (lo + page - 1) / page * page, last = hi / page * page
        guard last > first, let p = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(p, last - first, MADV_DONTNEED)
    }

    func bytes(_ offset: Int, _ length: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + offset, count: length)
    }
}
