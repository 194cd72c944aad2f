#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// A block of tensor memory. It either belongs to a `BufferPool` (returned there when the
/// last tensor viewing it goes away) or borrows bytes from something that outlives it
/// (the memory-mapped model file, kept alive through `owner`).
public final class Storage: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let capacity: Int
    private let pool: BufferPool?
    private let owner: AnyObject?
    private let ownsMemory: Bool

    /// Memory owned by nobody in particular: freed on deinit.
    init(byteCount: Int) {
        let size = max(byteCount, 1)
        base = Storage.alignedAlloc(size)
        capacity = size
        pool = nil
        owner = nil
        ownsMemory = true
    }

    init(pooled base: UnsafeMutableRawPointer, capacity: Int, pool: BufferPool) {
        self.base = base
        self.capacity = capacity
        self.pool = pool
        owner = nil
        ownsMemory = false
    }

    init(borrowing base: UnsafeMutableRawPointer, capacity: Int, owner: AnyObject) {
        self.base = base
        self.capacity = capacity
        self.owner = owner
        pool = nil
        ownsMemory = false
    }

    /// What this storage borrows its bytes from (the mapped model file), if anything.
    var lender: AnyObject? { owner }

    deinit {
        if let pool { pool.release(base, capacity: capacity) } else if ownsMemory { free(base) }
    }

    static func alignedAlloc(_ size: Int) -> UnsafeMutableRawPointer {
        var p: UnsafeMutableRawPointer?
        // 64-byte alignment keeps AVX-512 loads and BLAS packing on cache-line boundaries.
        if posix_memalign(&p, 64, max(size, 64)) != 0 || p == nil {
            fatalError("out of memory allocating \(size) bytes")
        }
        return p!
    }
}

/// Memory that can give back the pages of a byte range it lent out (a file mapping):
/// layers below Format reach MappedFile.release through this.
protocol PageReleasing: AnyObject {
    func release(_ start: UnsafeRawPointer, count: Int)
}
