#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// A NUL-terminated copy of a string and a copy of an Int64 array, in memory this
/// object owns, so C callers can borrow stable pointers for as long as it lives.
final class BorrowedValue {
    let name: UnsafeMutablePointer<CChar>
    let dims: UnsafeMutablePointer<Int64>
    let rank: Int

    init(name: String, dims: [Int64]) {
        self.name = strdup(name)!
        rank = dims.count
        self.dims = .allocate(capacity: max(1, dims.count))
        self.dims.initialize(from: dims, count: dims.count)
    }

    deinit {
        free(name)
        dims.deallocate()
    }
}
