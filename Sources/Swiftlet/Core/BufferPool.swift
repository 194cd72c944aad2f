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
public final class BufferPool: @unchecked Sendable {
    private var free: [(ptr: UnsafeMutableRawPointer, capacity: Int)] = []  // sorted by capacity
    private let lock = Lock()
    private var liveBytes = 0
    private var peakLiveBytes = 0

    /// An empty pool; buffers are allocated on first use.
    public init() {}

    deinit {
        for b in free { Self.deallocateBlock(b.ptr, b.capacity) }
    }

    /// Blocks this large are mapped from the kernel directly and unmapped on trim. Through
    /// malloc, freeing them raised glibc's dynamic mmap threshold, after which they came
    /// from the heap and fragmented it: e5 on the 1,000-text corpus held ~30 MB more RSS.
    static let mappedBlockBytes = 256 << 10

    static func allocateBlock(_ size: Int) -> UnsafeMutableRawPointer {
        guard size >= mappedBlockBytes else { return Storage.alignedAlloc(size) }
        guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            fatalError("out of memory mapping \(size) bytes")
        }
        return p
    }

    static func deallocateBlock(_ p: UnsafeMutableRawPointer, _ size: Int) {
        if size >= mappedBlockBytes { munmap(p, size) } else { Glibc.free(p) }
    }

    func allocate(_ byteCount: Int) -> Storage {
        let need = max(64, (byteCount + 63) & ~63)
        lock.lock()
        defer { lock.unlock() }
        liveBytes += need
        peakLiveBytes = max(peakLiveBytes, liveBytes)
        // Best fit: the smallest free block that holds the request, if not wastefully large.
        if let i = firstIndex(atLeast: need), free[i].capacity <= need * 2 {
            let b = free.remove(at: i)
            liveBytes += b.capacity - need
            return Storage(pooled: b.ptr, capacity: b.capacity, pool: self)
        }
        return Storage(pooled: Self.allocateBlock(need), capacity: need, pool: self)
    }

    func release(_ ptr: UnsafeMutableRawPointer, capacity: Int) {
        lock.lock()
        defer { lock.unlock() }
        liveBytes -= capacity
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
