#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Recycles intermediate buffers between graph nodes and between calls.
/// Best-fit reuse means a run with varying shapes mostly reuses what earlier runs
/// allocated; `trim` bounds what is kept to the peak of the latest run, so memory
/// shrinks again after an unusually large input instead of staying at the high-water mark.
///
/// `limit` bounds the bytes of tensors live at once: a graph whose legal shapes ask for more
/// (a `Resize` or `Expand` to a huge shape) gets an error from the op that asked, instead of
/// the process dying when the kernel refuses the memory.
public final class BufferPool: @unchecked Sendable {
    private var free: [(ptr: UnsafeMutableRawPointer, capacity: Int)] = []  // sorted by capacity
    private let lock = Lock()
    private var liveBytes = 0
    private var peakLiveBytes = 0
    /// The most bytes of live tensors this pool hands out at once.
    public let limit: Int
    /// False for load-time pools (constant folding): their tensors outlive the pool's use, and
    /// a block freed later (a folded weight dropped once packed) must go back to the system.
    let cachesBlocks: Bool

    /// An empty pool; buffers are allocated on first use. `limit` defaults to the machine's
    /// physical memory: a run that needs more cannot succeed anyway.
    public init(limit: Int? = nil) {
        self.limit = max(0, limit ?? BufferPool.physicalMemoryBytes)
        cachesBlocks = true
    }

    init(limit: Int?, cachesBlocks: Bool) {
        self.limit = max(0, limit ?? BufferPool.physicalMemoryBytes)
        self.cachesBlocks = cachesBlocks
    }

    /// Installed memory (sysconf); `Int.max` when the system does not say.
    public static var physicalMemoryBytes: Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return Int.max }
        let (bytes, overflow) = pages.multipliedReportingOverflow(by: size)
        return overflow ? Int.max : bytes
    }

    deinit {
        for b in free { Self.deallocateBlock(b.ptr, b.capacity) }
    }

    /// Blocks this large are mapped from the kernel directly and unmapped on trim. Through
    /// malloc, freeing them raised glibc's dynamic mmap threshold, after which they came
    /// from the heap and fragmented it: e5 on the 1,000-text corpus held ~30 MB more RSS.
    static let mappedBlockBytes = 256 << 10

    /// nil when the kernel refuses a large mapping (small blocks come from malloc, whose
    /// failure still traps: see Storage.alignedAlloc).
    static func allocateBlock(_ size: Int) -> UnsafeMutableRawPointer? {
        guard size >= mappedBlockBytes else { return Storage.alignedAlloc(size) }
        guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            return nil
        }
        return p
    }

    static func deallocateBlock(_ p: UnsafeMutableRawPointer, _ size: Int) {
        if size >= mappedBlockBytes { munmap(p, size) } else { Glibc.free(p) }
    }

    /// - Throws: ``SwiftletError/runtime(_:)`` when the request would take the live bytes past
    ///   `limit`, or the kernel refuses the memory.
    func allocate(_ byteCount: Int) throws -> Storage {
        let (rounded, overflow) = byteCount.addingReportingOverflow(63)
        guard byteCount >= 0, !overflow else { throw Self.outOfMemory(byteCount, limit: limit) }
        let need = max(64, rounded & ~63)
        lock.lock()
        defer { lock.unlock() }
        guard need <= limit - liveBytes else { throw Self.outOfMemory(need, limit: limit) }
        liveBytes += need
        peakLiveBytes = max(peakLiveBytes, liveBytes)
        // Best fit: the smallest free block that holds the request, if not wastefully large.
        if let i = firstIndex(atLeast: need), free[i].capacity <= need * 2 {
            let b = free.remove(at: i)
            liveBytes += b.capacity - need
            return Storage(pooled: b.ptr, capacity: b.capacity, pool: self)
        }
        guard let block = Self.allocateBlock(need) else {
            liveBytes -= need
            throw SwiftletError.runtime("out of memory: the system refused \(need) bytes for a tensor")
        }
        return Storage(pooled: block, capacity: need, pool: self)
    }

    static func outOfMemory(_ bytes: Int, limit: Int) -> SwiftletError {
        .runtime("out of memory: a tensor of \(bytes) bytes would take this run past its limit of \(limit) bytes of intermediate tensors (SessionOptions.memoryLimit)")
    }

    func release(_ ptr: UnsafeMutableRawPointer, capacity: Int) {
        lock.lock()
        defer { lock.unlock() }
        liveBytes -= capacity
        guard cachesBlocks else { return Self.deallocateBlock(ptr, capacity) }
        let i = firstIndex(atLeast: capacity) ?? free.count
        free.insert((ptr, capacity), at: i)
    }

    /// Drops cached blocks (smallest first) until the cache is no larger than the peak live
    /// bytes seen since the previous trim, plus half of it: best fit over differently sized
    /// blocks needs some slack, and trimming to the exact peak made every run of the same
    /// input free and re-fault the same few megabytes (~470 page faults per PP-OCRv5 det run).
    func trim() {
        lock.lock()
        defer { lock.unlock() }
        var cached = free.reduce(0) { $0 + $1.capacity }
        let keep = peakLiveBytes + peakLiveBytes / 2
        while cached > keep, !free.isEmpty {
            let b = free.removeFirst()
            Self.deallocateBlock(b.ptr, b.capacity)
            cached -= b.capacity
        }
        peakLiveBytes = liveBytes
    }

    /// Bytes held in idle buffers, ready for reuse.
    public var cachedBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return free.reduce(0) { $0 + $1.capacity }
    }

    private func firstIndex(atLeast n: Int) -> Int? {
        var lo = 0, hi = free.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if free[mid].capacity < n { lo = mid + 1 } else { hi = mid }
        }
        return lo < free.count ? lo : nil
    }
}
